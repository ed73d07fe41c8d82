"""`GET /api/search`: the JSON an integrator gets, and the 400s that name the bad parameter."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.articles.models import Article
from archive.search.indexing import search_index_update

URL = "/api/search"


def test_it_returns_results_with_highlighted_snippets(client, seeded):
    response = client.get(URL, {"q": "هجره", "per_page": 1})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    assert (data["page"], data["num_pages"], data["per_page"]) == (1, 2, 1)
    assert data["next"].endswith("page=2") and data["previous"] is None
    result = data["results"][0]
    assert set(result) >= {
        "id",
        "title",
        "headline",
        "date",
        "source",
        "origin",
        "url",
        "snippet",
        "score",
        "matched_variants",
    }
    assert "<mark>الهجرة</mark>" in result["snippet"]
    assert result["url"].endswith(f"/articles/{result['id']}/")
    assert set(data["facets"]) == {"year", "source", "official", "place"}
    assert data["understood_as"] == {
        "normalized": "هجره",
        "variants": [],
        "ignored": [],
        "spellings": [],
        "english_names": [],
        "not_understood": [],
    }
    assert data["partial"] is False
    assert data["suggestion"] is None


def test_it_sends_arabic_as_utf8_not_escapes(client, seeded):
    body = client.get(URL, {"q": "هجره"}).content.decode("utf-8")
    assert "الهجرة" in body


def test_it_escapes_markup_from_articles_in_snippets(client, seeded):
    article = Article.objects.create(
        title="<script>alert(1)</script>",
        body="نص عن الهجرة <script>alert(1)</script> في موسكو",
        original_text="-",
        origin="test-script-api",
        content_hash="y" * 64,
    )
    search_index_update(article_ids=[article.pk])
    data = client.get(URL, {"q": "الهجرة موسكو"}).json()
    result = next(r for r in data["results"] if r["id"] == article.pk)
    assert "<script>" not in result["snippet"]
    assert "&lt;script&gt;" in result["snippet"]
    # Titles are data, not HTML: a JSON client escapes them when it renders them.
    assert result["title"] == "<script>alert(1)</script>"


def test_it_suggests_a_spelling_on_zero_hits(client, seeded):
    data = client.get(URL, {"q": "لافرووف"}).json()
    assert data["count"] == 0 and data["results"] == []
    assert data["suggestion"] == "لافروف"


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"per_page": "0"}, "per_page"),
        ({"per_page": "101"}, "per_page"),
        ({"per_page": "ten"}, "per_page"),
        ({"mode": "fuzzy"}, "mode"),
        ({"match": "some"}, "match"),
        ({"sort": "random"}, "sort"),
        ({"date_from": "2025-02-30"}, "date_from"),
        ({"date_from": "2025-03-01", "date_to": "2025-01-01"}, "date_to"),
        ({"year": "twenty"}, "year"),
        ({"official": "-3"}, "official"),
        ({"meeting": "x"}, "meeting"),
        ({"q": "ا" * 501}, "q"),
    ],
)
def test_it_rejects_bad_parameters_naming_them(client, db, params, param):
    response = client.get(URL, params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["param"] == param
    assert error["message"]


@pytest.mark.parametrize("page", ["0", "-1", "abc", "999"])
def test_it_never_fails_on_a_bad_page_number(client, seeded, page):
    response = client.get(URL, {"q": "طاجيكستان", "page": page, "per_page": 2})
    assert response.status_code == 200
    assert response.json()["results"]


def test_it_accepts_arabic_indic_digits_in_numbers(client, seeded):
    data = client.get(URL, {"q": "طاجيكستان", "year": "٢٠٢٣", "per_page": "٢"}).json()
    assert data["count"] == 1 and data["per_page"] == 2


def test_it_answers_only_get(client, db):
    assert client.post(URL, {"q": "x"}).status_code == 405


QUERY_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list('"-:()*?~^|\\/ ORANDNOT title: عنوان: أو و ال ة ى ٢٠')),
        st.characters(codec="utf-8"),
    ),
    max_size=60,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    q=QUERY_TEXT,
    extra=st.dictionaries(
        st.sampled_from(
            ["mode", "match", "sort", "page", "per_page", "year", "date_from", "source", "place"]
        ),
        st.text(max_size=12),
        max_size=3,
    ),
)
def test_it_never_fails_whatever_the_query(client, seeded, q, extra):
    response = client.get(URL, {"q": q, **extra})
    assert response.status_code in (200, 400)
    data = json.loads(response.content)
    assert "error" in data or "results" in data


def test_it_reads_a_number_with_leading_zeros_whole(client, seeded):
    data = client.get(URL, {"q": "طاجيكستان", "per_page": "0000000002", "year": "00000002023"}).json()
    assert data["per_page"] == 2 and data["count"] == 1


@pytest.mark.parametrize(
    ("param", "value"),
    [("per_page", "0000000101"), ("year", "00000010000"), ("official", "9" * 19), ("meeting", "1" * 40)],
)
def test_it_rejects_a_number_judged_by_its_whole_value(client, db, param, value):
    response = client.get(URL, {param: value})
    assert response.status_code == 400
    assert response.json()["error"]["param"] == param


def test_it_reads_a_page_number_with_leading_zeros_whole(client, seeded):
    data = client.get(URL, {"q": "طاجيكستان", "page": "0000000002", "per_page": 1}).json()
    assert data["page"] == 2 and data["num_pages"] >= 2
