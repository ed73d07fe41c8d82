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

from urllib.parse import quote_plus

from django import template
from django.http import HttpRequest
from django.urls import reverse, translate_url
from django.utils import translation

from archive.text.arabic import without_bidi_controls
from archive.web import presenters

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


def _encoded(name: str, value: str) -> str:
    return f"{quote_plus(name)}={quote_plus(value)}"


def _kept_parameters(request: HttpRequest) -> list[tuple[str, list[str]]]:
    """The query's parameters but those reset on a change, each value encoded; read once per request
    (a results page builds some fifty links from them)."""
    kept = getattr(request, "_diwan_kept_parameters", None)
    if kept is None:
        lists = [(name, values) for name, values in request.GET.lists() if name not in RESET_ON_CHANGE]
        kept = _parameters(lists)
        request._diwan_kept_parameters = kept
    return kept


def _parameters(lists) -> list[tuple[str, list[str]]]:
    return [(name, [_encoded(name, value) for value in values if value != ""]) for name, values in lists]


def _query_string(parts: list[str]) -> str:
    return "?" + "&".join(parts)


@register.simple_tag
def query_set(request: HttpRequest, key: str, value: object) -> str:
    """The current query string with ``key`` set to ``value`` (page reset unless ``key`` is the page)."""
    reset = key not in RESET_ON_CHANGE
    parameters = _kept_parameters(request) if reset else _parameters(request.GET.lists())
    value = str(value)
    new = [_encoded(key, value)] if value != "" else []
    parts, placed = [], False
    for name, encoded in parameters:
        if name == key:
            # In the place the parameter had, as QueryDict keeps it.
            parts += new
            placed = True
        else:
            parts += encoded
    if not placed:
        parts += new
    return _query_string(parts)


@register.simple_tag
def query_without(request: HttpRequest, key: str, value: object = None) -> str:
    """The current query string without ``key`` (or only without its value ``value``)."""
    parts = []
    for name, encoded in _kept_parameters(request):
        if name != key:
            parts += encoded
        elif value is not None:
            unwanted = _encoded(key, str(value))
            parts += [part for part in encoded if part != unwanted]
    return _query_string(parts)


@register.simple_tag(takes_context=True)
def digit_style(context) -> str:
    """The analyst's digits preference ("arab" or "latn") from its cookie; for the ``digits`` filter."""
    request = context.get("request")
    return presenters.digit_style(request if isinstance(request, HttpRequest) else None)


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
