"""Template helpers for the bilingual pages: names in the active language and query-string links.

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

from archive.entities.bilingual import is_english, name_in_language
from archive.text.arabic import without_bidi_controls

register = template.Library()

# The analyst's digits preference on Arabic pages (set by the preferences view).
DIGITS_COOKIE = "diwan_digits"
DIGIT_STYLES = ("latn", "arab")

# Parameters that never survive a change of filter or sort: a new result set starts at its first page.
RESET_ON_CHANGE = ("page",)


def _in_language(obj: object, field: str) -> str:
    """`field_en` on English pages when curated, else `field_ar` (and `field_en` when only that is known)."""
    english = getattr(obj, f"{field}_en", "")
    if is_english() and english:
        return english
    return getattr(obj, f"{field}_ar", "") or english


# For plain-text places such as <title>, where no element can isolate the data's direction.
register.filter("without_bidi_controls", without_bidi_controls)


@register.filter
def official_name(official: object) -> str:
    """The curated English name on English pages, the Arabic one otherwise (and while none is curated)."""
    return "" if official is None else _in_language(official, "name")


@register.filter
def official_role(official: object) -> str:
    """The role in the active language, falling back to the Arabic one."""
    return _in_language(official, "role")


@register.filter
def place(meeting: object) -> str:
    """Where a meeting took place, in the active language when known; "" when no source says."""
    if meeting is None:
        return ""
    return name_in_language(kind="place", name_ar=meeting.place_ar, name_en=meeting.place_en)


@register.filter
def country(official: object) -> str:
    """An official's country in the active language (the curated table's English name when none is set)."""
    if official is None:
        return ""
    return name_in_language(kind="country", name_ar=official.country_ar, name_en=official.country_en)


@register.filter
def source_name(source: str) -> str:
    """A news source (as the article gives it, e.g. تاس) in the active language when the table has it."""
    return name_in_language(kind="source", name_ar=source or "")


@register.filter
def named(value: str, kind: str) -> str:
    """A place, country or source name (Arabic, as stored) in the active language: ``value|named:"place"``."""
    return name_in_language(kind=kind, name_ar=value or "")


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
