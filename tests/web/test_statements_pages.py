"""Where analysts see statements and agenda topics: the official's page, the statements search, the
meetings list's topic filter, the JSON API, the exports and the statements feed (seeds ingested)."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings

from archive.articles.models import Article
from archive.entities.models import Meeting, Official, ReviewStatus, Statement
from archive.ingest.services import articles_ingest
from archive.text.arabic import name_key

ATOM = "{http://www.w3.org/2005/Atom}"
pytestmark = pytest.mark.django_db


@pytest.fixture
def seeds() -> None:
    summary = articles_ingest(paths=[settings.BASE_DIR / "seeds"])
    assert summary.created == 5, summary.failed


def official(spelling: str) -> Official:
    return Official.objects.get(aliases__key=name_key(spelling))


def test_it_lists_an_officials_statements_newest_first_with_the_quote_marked(client, seeds):
    lavrov = official("سيرغي لافروف")

    page = client.get(f"/en/officials/{lavrov.pk}/").content.decode()

    section = page[page.index('id="statements-title"') :]
    assert "Statements" in section
    newest = section.index("14 September 2022")
    older = section.index("6 June 2023") if "6 June 2023" in section else -1
    assert older == -1 or older < newest
    assert '<mark class="quote">العلاقات بين روسيا وطاجيكستان هي مثال على الشراكة' in section
    article = Article.objects.get(origin="004_e58cfb67f5e5646e.txt")
    assert f'href="/en/articles/{article.pk}/"' in section


def test_it_escapes_the_article_text_around_a_quote(client, seeds):
    statement = Statement.objects.get(text="نيته مناقشة الهجرة")
    article = statement.article
    article.body = article.body[: statement.end] + " <b>غامق</b>" + article.body[statement.end :]
    article.save()

    page = client.get(f"/ar/officials/{statement.official_id}/").content.decode()

    assert '<mark class="quote">نيته مناقشة الهجرة</mark> &lt;b&gt;غامق&lt;/b&gt;' in page
    assert "<b>غامق</b>" not in page


def test_it_finds_quotes_containing_words_in_any_spelling(client, seeds):
    page = client.get("/ar/search/statements/", {"q": "الهجره"}).content.decode()

    assert "نيته مناقشة" in page
    assert "الأمور ليست سيئة" not in page


def test_it_filters_statements_by_speaker(client, seeds):
    zakharova = official("ماريا زاخاروفا")

    page = client.get("/en/search/statements/", {"official": zakharova.pk}).content.decode()

    assert "2 statements" in page
    assert "الوزيرين ينظران في جدول الاجتماعات" in page
    assert "نيته مناقشة الهجرة" not in page


def test_it_names_a_bad_speaker_parameter(client, seeds):
    response = client.get("/en/search/statements/", {"official": "lavrov"})

    assert response.status_code == 400
    assert "official" in response.content.decode()


def test_it_filters_the_meetings_list_by_topic_with_a_facet(client, seeds):
    page = client.get("/en/meetings/").content.decode()
    assert "Topics" in page and "Migration and labour" in page

    filtered = client.get("/en/meetings/", {"topic": "energy"}).content.decode()

    assert "1 meeting" in filtered
    assert "25 April 2025" in filtered
    assert "5 September 2022" not in filtered


def test_it_shows_a_meetings_topics_on_its_page(client, seeds):
    meeting = Meeting.objects.get(date="2025-02-13")

    page = client.get(f"/ar/meetings/{meeting.pk}/").content.decode()

    assert "الهجرة والعمالة" in page and "مكافحة الإرهاب" in page


def test_it_serves_statements_and_meetings_with_topics_as_json(client, seeds):
    data = client.get("/api/statements", {"q": "الهجرة"}).json()
    assert data["count"] >= 1
    first = data["results"][0]
    assert {"speaker", "text", "verb", "direct", "date", "start", "end", "article"} <= set(first)

    meetings = client.get("/api/meetings", {"topic": "terrorism"}).json()
    assert [m["date"] for m in meetings["results"]] == ["2025-02-13"]
    keys = {t["key"] for t in meetings["results"][0]["topics"]}
    assert {"migration_labour", "terrorism"} <= keys

    bad = client.get("/api/meetings", {"topic": "weather"})
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "topic"
    assert client.get("/api/statements", {"official": "x"}).json()["error"]["param"] == "official"


def test_it_leaves_rejected_statements_out_of_pages_and_api(client, seeds):
    statement = Statement.objects.get(text="نيته مناقشة الهجرة")
    statement.status = ReviewStatus.REJECTED
    statement.save()

    assert "نيته مناقشة الهجرة" not in client.get("/ar/search/statements/").content.decode()
    assert all(r["id"] != statement.pk for r in client.get("/api/statements").json()["results"])


def test_it_exports_statements_as_csv_and_json(client, seeds):
    zakharova = official("ماريا زاخاروفا")

    response = client.get("/en/export/statements.csv", {"official": zakharova.pk})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2 and response["X-Diwan-Rows"] == "2"
    assert rows[0]["speaker"] == "Maria Zakharova"

    data = json.loads(client.get("/en/export/statements.json", {"q": "الهجرة"}).content)
    assert data["count"] == len(data["results"]) >= 1


def test_it_carries_statements_and_topics_in_the_search_exports(client, seeds):
    response = client.get("/en/export/search.csv", {"q": "زاخاروفا"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    row = next(r for r in rows if r["origin"] == "000_900ead7f2c160cfd.txt")
    assert "Maria Zakharova: الوزيرين ينظران" in row["statements"]
    assert "migration_labour" in row["topics"].split("; ")

    data = json.loads(client.get("/en/export/search.json", {"q": "زاخاروفا"}).content)
    result = next(r for r in data["results"] if r["origin"] == "000_900ead7f2c160cfd.txt")
    assert result["statements"][0]["speaker_en"] == "Maria Zakharova"
    assert "health" in result["topics"]


def test_it_publishes_an_atom_feed_of_an_officials_statements(client, seeds):
    zakharova = official("ماريا زاخاروفا")

    response = client.get(f"/en/feeds/officials/{zakharova.pk}/statements/")

    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    titles = [entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry")]
    assert len(titles) == 2
    assert all(title.startswith("Maria Zakharova: «") for title in titles)
    assert "statements of Maria Zakharova" in root.find(f"{ATOM}title").text
