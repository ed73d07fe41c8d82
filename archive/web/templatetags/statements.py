"""Statements and topics in templates: ``{{ statement|in_context }}`` (the quote marked in its paragraph,
every piece escaped), ``{{ statement|speaker }}`` and ``{{ topic|topic_name }}`` in the page's language
(the labels of ``archive.web.presenters``)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from archive.entities.models import Statement
from archive.entities.statements import statement_context
from archive.web import presenters

register = template.Library()

register.filter("speaker", presenters.speaker)
register.filter("topic_name", presenters.topic_name)


@register.filter
def in_context(statement: Statement) -> SafeString:
    before, quote, after = statement_context(statement=statement)
    return format_html('{}<mark class="quote">{}</mark>{}', before, quote, after)
