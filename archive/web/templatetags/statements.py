"""Statements and topics in templates: ``{{ statement|in_context }}`` (the quote marked in its paragraph,
every piece escaped), ``{{ statement|speaker }}`` and ``{{ topic|topic_name }}`` in the page's language."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from archive.entities.models import Statement, Topic
from archive.entities.statements import statement_context
from archive.web.figures import official_label

register = template.Library()


def _english() -> bool:
    return (get_language() or "").split("-")[0] == "en"


@register.filter
def in_context(statement: Statement) -> SafeString:
    before, quote, after = statement_context(statement=statement)
    return format_html('{}<mark class="quote">{}</mark>{}', before, quote, after)


@register.filter
def speaker(statement: Statement) -> str:
    if statement.official is not None:
        return official_label(statement.official)
    institution = statement.institution
    if institution is None:
        return ""
    return institution.name_en if _english() and institution.name_en else institution.name_ar


@register.filter
def topic_name(topic: Topic) -> str:
    return topic.name_en if _english() and topic.name_en else topic.name_ar
