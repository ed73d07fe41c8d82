"""Template helpers for the bilingual pages: names in the active language (the labels of
``archive.web.presenters``) and query-string links.

Usage: ``{% load diwan %}`` then ``{{ official|official_name }}``, ``{{ meeting|place }}``,
``{{ article.source|source_name }}``, ``{{ official|country }}``, ``{{ value|named:"place" }}`` (a place,
country or source in the page's language, from the curated table of English names),
``{% query_set request "page" 2 %}`` (the current query with one parameter replaced) and
``{% query_without request "official" "12" %}`` (the current query without one value of a parameter),
``{% path_in_language request "en" %}`` (this page in another language) and ``{% digit_style as style %}``
(the analyst's digits, for ``{{ value|digits:style }}`` from the ``dates`` library).
"""

from urllib.parse import urlencode

from django import template
from django.http import HttpRequest, QueryDict
from django.urls import reverse, translate_url
from django.utils import translation

from archive.text.arabic import without_bidi_controls
from archive.web import presenters
from archive.web.presenters import DIGIT_STYLES, DIGITS_COOKIE

register = template.Library()

# Parameters that never survive a change of filter or sort: a new result set starts at its first page.
RESET_ON_CHANGE = ("page",)

# For plain-text places such as <title>, where no element can isolate the data's direction.
register.filter("without_bidi_controls", without_bidi_controls)
# Names in the page's language (archive.web.presenters).
register.filter("official_name", presenters.official_name)
register.filter("official_role", presenters.official_role)
register.filter("place", presenters.place)
register.filter("country", presenters.country)
register.filter("source_name", presenters.source_name)
register.filter("named", presenters.named)


def _encode(query: QueryDict) -> str:
    pairs = [(key, value) for key, values in query.lists() for value in values if value != ""]
    return "?" + urlencode(pairs) if pairs else "?"


@register.simple_tag
def query_set(request: HttpRequest, key: str, value: object) -> str:
    """The current query string with ``key`` set to ``value`` (page reset unless ``key`` is the page)."""
    query = request.GET.copy()
    if key not in RESET_ON_CHANGE:
        for name in RESET_ON_CHANGE:
            query.pop(name, None)
    query[key] = str(value)
    return _encode(query)


@register.simple_tag
def query_without(request: HttpRequest, key: str, value: object = None) -> str:
    """The current query string without ``key`` (or only without its value ``value``)."""
    query = request.GET.copy()
    for name in RESET_ON_CHANGE:
        query.pop(name, None)
    if value is None:
        query.pop(key, None)
    else:
        query.setlist(key, [v for v in query.getlist(key) if v != str(value)])
    return _encode(query)


@register.simple_tag(takes_context=True)
def digit_style(context) -> str:
    """The analyst's digits preference ("arab" or "latn") from its cookie; for the ``digits`` filter."""
    request = context.get("request")
    style = request.COOKIES.get(DIGITS_COOKIE, "") if isinstance(request, HttpRequest) else ""
    return style if style in DIGIT_STYLES else "latn"


@register.simple_tag
def path_in_language(request: HttpRequest | None, language: str) -> str:
    """This page and its query string in ``language``: the language switch's ``next``.

    Translated while rendering, because ``set_language`` can only translate a path of the language active
    when it runs (the browser's), which is not always the page's.
    """
    # Error pages rendered without a request (500, 400) switch to the home page.
    if not isinstance(request, HttpRequest):
        with translation.override(language):
            return reverse("web:home")
    return translate_url(request.get_full_path(), language)
