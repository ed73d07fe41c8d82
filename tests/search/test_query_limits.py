"""What a search may cost: a query beyond a limit is refused naming it; a slow one stops and says so."""

import pytest
from django.conf import settings
from django.utils import translation

from archive.search.service import SearchParams, article_search

URL = "/api/search"


@pytest.mark.parametrize(
    ("q", "limit", "words"),
    [
        ("ا" * 41, {"SEARCH_MAX_QUERY_CHARS": 40}, "at most 40 characters"),
        (" ".join(["لافروف"] * 6), {"SEARCH_MAX_QUERY_WORDS": 5}, "too many words: at most 5"),
        ("لافروف OR شويغو OR بوتين -موسكو", {"SEARCH_MAX_QUERY_OPERATORS": 2}, "too many operators"),
        ('"وزير الخارجية الروسي سيرغي لافروف"', {"SEARCH_MAX_PHRASE_WORDS": 4}, "at most 4"),
    ],
)
def test_it_refuses_a_query_beyond_a_limit_naming_it(client, db, settings, q, limit, words):
    for name, value in limit.items():
        setattr(settings, name, value)

    response = client.get(URL, {"q": q}, HTTP_ACCEPT_LANGUAGE="en")
    with translation.override("en"):
        page = client.get("/en/search/", {"q": q})

    assert response.status_code == 400
    assert response.json()["error"]["param"] == "q"
    assert words in response.json()["error"]["message"]
    assert page.status_code == 400 and words in page.content.decode()


def test_it_answers_the_limit_in_arabic_on_arabic_pages(client, db, settings):
    settings.SEARCH_MAX_QUERY_WORDS = 2
    page = client.get("/ar/search/", {"q": "لافروف شويغو بوتين"})

    assert page.status_code == 400
    assert "في عبارة البحث كلمات كثيرة جداً: الحد الأقصى لعدد الكلمات 2." in page.content.decode()


def test_it_accepts_a_query_within_every_limit(client, seeded):
    assert client.get(URL, {"q": "لافروف OR شويغو -موسكو title:الهجرة"}).status_code == 200


@pytest.mark.skipif(
    settings.SEARCH_ENGINE == "postgres",
    reason="the PostgreSQL engine answers each query whole: no time budget cuts it short",
)
def test_it_says_the_results_are_partial_when_the_time_budget_runs_out(client, seeded, settings):
    assert article_search(params=SearchParams(q="طاجيكستان")).partial is False

    # Whoosh's own matchers look at the clock every 64 matches; the vectorised executor reads at least one
    # segment whole (these five articles are one), so the cut is shown on the walked path.
    settings.SEARCH_WHOOSH_EXECUTOR = "whoosh"
    settings.SEARCH_TIME_BUDGET_MS = 0.000001  # spent before the first match is looked at
    results = article_search(params=SearchParams(q="طاجيكستان"))
    data = client.get(URL, {"q": "طاجيكستان"}).json()
    page = client.get("/en/search/", {"q": "طاجيكستان"}).content.decode()

    assert results.partial and len(results.hits) < 5
    assert data["partial"] is True
    assert "The search stopped at its time limit" in page
