"""The search page's links (facets, sorts, pages, filter chips) keep the analyst's query: each link is the
current query string with one parameter set or removed, the page reset on any other change. The tags read
the query once per request; their links must be those QueryDict's own editing gives (the reference below)."""

from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.test import RequestFactory

from archive.web.templatetags.diwan import query_set, query_without

QUERIES = [
    "",
    "q=%D9%84%D8%A7%D9%81%D8%B1%D9%88%D9%81",
    "q=a+b&page=3&sort=newest",
    "page=2&q=x&year=2022&year=2023&mode=exact",
    "q=%26%3D%3F%23&official=12&official=&place=%D9%85%D9%88%D8%B3%D9%83%D9%88",
    "q=x&empty=&page=",
]
CHANGES = [
    ("page", 4),
    ("sort", "oldest"),
    ("year", "2024"),
    ("q", "new words & more"),
    ("official", ""),
    ("mode", "stemmed"),
]
REMOVALS = [
    ("year", None),
    ("year", "2022"),
    ("official", "12"),
    ("q", None),
    ("page", None),
    ("absent", None),
]


def _reference_set(query: QueryDict, key: str, value: object) -> str:
    query = query.copy()
    if key != "page":
        query.pop("page", None)
    query[key] = str(value)
    return _encode(query)


def _reference_without(query: QueryDict, key: str, value: object = None) -> str:
    query = query.copy()
    query.pop("page", None)
    if value is None:
        query.pop(key, None)
    else:
        query.setlist(key, [v for v in query.getlist(key) if v != str(value)])
    return _encode(query)


def _encode(query: QueryDict) -> str:
    pairs = [(key, value) for key, values in query.lists() for value in values if value != ""]
    return "?" + urlencode(pairs) if pairs else "?"


@pytest.mark.parametrize("query_string", QUERIES)
def test_it_links_each_change_as_the_query_dict_would(query_string):
    request = RequestFactory().get(f"/ar/search/?{query_string}")
    for key, value in CHANGES:
        assert query_set(request, key, value) == _reference_set(request.GET, key, value), (key, value)
    for key, value in REMOVALS:
        assert query_without(request, key, value) == _reference_without(request.GET, key, value), (key, value)


def test_it_resets_the_page_when_the_sort_changes():
    request = RequestFactory().get("/ar/search/?q=x&page=3")
    assert query_set(request, "sort", "newest") == "?q=x&sort=newest"
    assert query_set(request, "page", 4) == "?q=x&page=4"
