"""Exports of a whole search, opened the way an analyst's spreadsheet or script would."""

import csv
import hashlib
import io
import json

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.articles.models import Article
from archive.entities.models import Mention, Official, ReviewStatus
from archive.ingest.services import articles_ingest
from archive.search.indexing import search_index_update

pytestmark = pytest.mark.django_db
BOM = b"\xef\xbb\xbf"
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


@pytest.fixture
def seeds() -> dict[str, Article]:
    summary = articles_ingest(paths=[settings.BASE_DIR / "seeds"])
    assert summary.created == 5, summary.failed
    articles = {article.origin[:3]: article for article in Article.objects.all()}
    # Whatever the ingest's extraction found, 003 names Lavrov (curated) and a proposal with no English name.
    lavrov, _created = Official.objects.update_or_create(
        name_ar="سيرغي لافروف", defaults={"name_en": "Sergey Lavrov", "status": ReviewStatus.APPROVED}
    )
    guest = Official.objects.create(name_ar="ضيف بلا اسم إنجليزي")
    wrong = Official.objects.create(name_ar="خطأ استخراج", status=ReviewStatus.REJECTED)
    for key, person in (("000", lavrov), ("003", lavrov), ("003", guest), ("003", wrong), ("004", lavrov)):
        Mention.objects.get_or_create(
            article=articles[key], official=person, defaults={"surface": person.name_ar, "count": 9}
        )
    search_index_update(article_ids=[article.pk for article in articles.values()])
    return articles


def read_csv(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(BOM)
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def matching_ids(query: dict) -> list[int]:
    """What the search service finds, in its order: the export must hold exactly these."""
    from archive.search.service import article_search_all_ids, search_params_from_query

    return article_search_all_ids(params=search_params_from_query(query), limit=1000)


def make_article(*, title: str, body: str) -> Article:
    return Article.objects.create(
        title=title,
        body=body,
        origin=f"test-{hashlib.sha1(title.encode()).hexdigest()[:12]}",
        content_hash=hashlib.sha256(f"{title}\n{body}".encode()).hexdigest(),
        original_text=f"{title}\n\n{body}",
    )


def test_it_exports_every_match_not_only_the_page_shown(client, seeds):
    expected = matching_ids({"q": "لافروف"})
    assert len(expected) >= 3
    rows = read_csv(client.get("/en/export/search.csv", {"q": "لافروف", "per_page": "1", "page": "2"}))
    assert [int(row["id"]) for row in rows] == expected


def test_it_writes_the_stated_csv_columns_with_absolute_links(client, seeds):
    response = client.get("/en/export/search.csv", {"q": "دوشنبه"})
    header = b"id,headline,title,date,source,origin,url,officials,statements,topics\r\n"
    assert response.content.startswith(BOM + header)
    assert response["Content-Disposition"].startswith('attachment; filename="diwan-search-')
    article = seeds["003"]
    [row] = [row for row in read_csv(response) if row["id"] == str(article.pk)]
    assert row == {
        "id": str(article.pk),
        "headline": article.headline,
        "title": 'لافروف في دوشنبه لتعزيز التنسيق ضمن "الدول المستقلة" و"شنغهاي" و"الأمن الجماعي"',
        "date": "2023-06-06",
        "source": "تاس",
        "origin": "003_ca72089d0cf560ca.txt",
        "url": f"http://testserver/en/articles/{article.pk}/",
        "officials": row["officials"],
        "statements": row["statements"],
        "topics": row["topics"],
    }
    assert "regional_organisations" in row["topics"].split("; ")
    # Named in the page's language (Arabic while no English name is curated); rejected ones left out.
    named = row["officials"].split("; ")
    assert {"Sergey Lavrov", "ضيف بلا اسم إنجليزي"} <= set(named)
    assert "خطأ استخراج" not in named
    assert response["X-Diwan-Truncated"] == "false"
    assert response["X-Diwan-Rows"] == str(len(matching_ids({"q": "دوشنبه"})))


def test_it_names_officials_in_the_language_of_the_page(client, seeds):
    rows = read_csv(client.get("/ar/export/search.csv", {"q": "دوشنبه"}))
    [row] = [row for row in rows if row["id"] == str(seeds["003"].pk)]
    assert {"سيرغي لافروف", "ضيف بلا اسم إنجليزي"} <= set(row["officials"].split("; "))
    assert row["url"].startswith("http://testserver/ar/articles/")


def test_it_exports_json_with_the_same_rows(client, seeds):
    response = client.get("/en/export/search.json", {"q": "لافروف"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["query"] == "لافروف"
    assert data["truncated"] is False
    assert data["count"] == data["total"] == len(data["results"])
    assert [row["id"] for row in data["results"]] == matching_ids({"q": "لافروف"})
    row = next(row for row in data["results"] if row["id"] == seeds["003"].pk)
    assert row["date"] == "2023-06-06"
    names = [person["name"] for person in row["officials"]]
    assert {"Sergey Lavrov", "ضيف بلا اسم إنجليزي"} <= set(names)
    assert "خطأ استخراج" not in names
    assert len(names) == len(set(names))
    # Arabic stays readable in the file, not \\u escapes.
    assert "لافروف".encode() in response.content


def test_it_honours_the_cap_and_says_the_export_was_cut(client, seeds, settings):
    settings.EXPORT_MAX_ROWS = 2
    response = client.get("/en/export/search.csv", {"q": ""})
    assert len(read_csv(response)) == 2
    assert response["X-Diwan-Truncated"] == "true"
    assert response["X-Diwan-Cap"] == "2"
    assert response["X-Diwan-Total"] == "5"
    data = json.loads(client.get("/en/export/search.json", {"q": ""}).content)
    assert (data["count"], data["total"], data["cap"], data["truncated"]) == (2, 5, 2, True)


def test_it_is_not_truncated_when_the_matches_fill_the_cap_exactly(client, seeds, settings):
    settings.EXPORT_MAX_ROWS = 5
    response = client.get("/en/export/search.csv", {"q": ""})
    assert len(read_csv(response)) == 5
    assert response["X-Diwan-Truncated"] == "false"


def test_it_leaves_out_hidden_articles(client, seeds):
    Article.objects.filter(pk=seeds["003"].pk).update(is_visible=False)
    search_index_update(article_ids=[seeds["003"].pk])
    ids = [int(row["id"]) for row in read_csv(client.get("/en/export/search.csv", {"q": "لافروف"}))]
    assert seeds["003"].pk not in ids


def test_it_defuses_cells_a_spreadsheet_would_run_as_formulas(client):
    article = make_article(title='=HYPERLINK("http://example.com")', body="نص")
    search_index_update(article_ids=[article.pk])
    [row] = read_csv(client.get("/en/export/search.csv", {"q": ""}))
    assert row["title"] == '\'=HYPERLINK("http://example.com")'
    assert row["date"] == ""


@pytest.mark.parametrize(
    ("url", "param", "value"),
    [
        ("/en/export/search.csv", "date_from", "yesterday"),
        ("/en/export/search.json", "sort", "sideways"),
        ("/ar/export/search.csv", "official", "-3"),
    ],
)
def test_it_refuses_a_bad_parameter_naming_it(client, seeds, url, param, value):
    response = client.get(url, {"q": "لافروف", param: value})
    assert response.status_code == 400
    assert param in response.content.decode()


def test_it_fetches_rows_in_chunks_whatever_the_number_of_articles(client, seeds, monkeypatch):
    def queries_for_export() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/en/export/search.csv", {"q": ""}).status_code == 200
        return len(captured)

    monkeypatch.setattr("archive.entities.selectors.EXPORT_CHUNK", 100)
    queries_for_export()  # the first request reads the English names table, which is then kept
    five = queries_for_export()
    more = [make_article(title=f"مقال رقم {n}", body=f"نص المقال {n}") for n in range(40)]
    for article in more:
        Mention.objects.create(article=article, official=Official.objects.first(), surface="لافروف")
    search_index_update(article_ids=[article.pk for article in more])
    assert queries_for_export() == five


def test_it_defuses_a_formula_hidden_behind_direction_controls(client):
    body = "نص \u2066فيه\u2069 \u200fعلامات"
    article = make_article(title='\u202e=HYPERLINK("http://evil.example")', body=body)
    search_index_update(article_ids=[article.pk])
    [row] = read_csv(client.get("/en/export/search.csv", {"q": ""}))
    assert row["title"] == '\'=HYPERLINK("http://evil.example")'
    assert not any(mark in value for value in row.values() for mark in BIDI_CONTROLS)
