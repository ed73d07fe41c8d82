"""Atom feeds, read the way a feed reader does: parsed as XML, entries by title and link."""

import hashlib
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings

from archive.articles.models import Article
from archive.entities.models import Mention, Official, ReviewStatus
from archive.ingest.services import articles_ingest
from archive.search.indexing import search_index_update

ATOM = "{http://www.w3.org/2005/Atom}"
pytestmark = pytest.mark.django_db


@pytest.fixture
def seeds() -> dict[str, Article]:
    """The five seed articles, ingested as an operator would, keyed by file name prefix (000..004)."""
    summary = articles_ingest(paths=[settings.BASE_DIR / "seeds"])
    assert summary.created == 5, summary.failed
    return {article.origin[:3]: article for article in Article.objects.all()}


def read_feed(response) -> ET.Element:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root


def entries(root: ET.Element) -> dict[str, str]:
    """Entry title -> link, in feed order."""
    return {
        entry.find(f"{ATOM}title").text: entry.find(f"{ATOM}link").get("href")
        for entry in root.findall(f"{ATOM}entry")
    }


def test_it_lists_the_latest_seed_articles(client, seeds):
    root = read_feed(client.get("/en/feeds/latest/"))
    assert root.find(f"{ATOM}title").text == "Diwan: latest articles"
    found = entries(root)
    assert set(found) == {article.headline for article in seeds.values()}
    # The quotes in a seed title come back intact, and each entry links to its article page.
    assert 'لافروف في دوشنبه لتعزيز التنسيق ضمن "الدول المستقلة" و"شنغهاي" و"الأمن الجماعي"' in found
    assert found[seeds["003"].headline] == f"http://testserver/en/articles/{seeds['003'].pk}/"


def test_it_orders_by_publication_date(client, seeds):
    found = list(entries(read_feed(client.get("/en/feeds/latest/"))))
    by_date = sorted(seeds.values(), key=lambda article: article.published_on, reverse=True)
    assert found == [article.headline for article in by_date]


def test_it_follows_the_language_of_the_url(client, seeds):
    root = read_feed(client.get("/ar/feeds/latest/"))
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "ar"
    links = list(entries(root).values())
    assert len(links) == len(seeds)
    assert all(link.startswith("http://testserver/ar/articles/") for link in links)
    assert (
        read_feed(client.get("/en/feeds/latest/")).get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    )


def test_it_escapes_markup_from_articles(client):
    body = 'نص فيه <script>alert("x")</script> & رموز'
    Article.objects.create(
        title='<b onclick="x()">عنوان</b> & "اقتباس"',
        body=body,
        origin="markup-test",
        content_hash=hashlib.sha256(body.encode()).hexdigest(),
        original_text=body,
    )
    response = client.get("/en/feeds/latest/")
    assert b"<script>" not in response.content
    assert b"<b " not in response.content
    entry = read_feed(response).find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == '<b onclick="x()">عنوان</b> & "اقتباس"'
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    # An HTML summary: the reader unescapes it once and shows the markup as text, never runs it.
    assert "&lt;script&gt;" in summary.text
    assert "<script>" not in summary.text


def test_it_summarises_each_article_with_its_dates_source_and_officials(client, seeds, lavrov):
    root = read_feed(client.get(f"/en/feeds/officials/{lavrov.pk}/"))
    entry = next(
        e for e in root.findall(f"{ATOM}entry") if e.find(f"{ATOM}title").text == seeds["003"].headline
    )
    summary = entry.find(f"{ATOM}summary").text
    assert "6 June 2023" in summary
    assert "Dhu al-Qa&#x27;dah 1444 AH" in summary
    assert "تاس" in summary
    assert f'<a href="http://testserver/en/officials/{lavrov.pk}/">Sergey Lavrov</a>' in summary


def test_it_leaves_out_hidden_articles(client, seeds):
    Article.objects.filter(pk=seeds["003"].pk).update(is_visible=False)
    assert seeds["003"].headline not in entries(read_feed(client.get("/en/feeds/latest/")))


def test_it_gives_a_feed_per_search_with_only_matching_articles(client, seeds):
    # A link copied from the second page of results still gives the whole search.
    root = read_feed(client.get("/en/feeds/search/", {"q": "ميشوستين", "page": "2"}))
    assert root.find(f"{ATOM}title").text == "Diwan search: ميشوستين"
    assert list(entries(root)) == [seeds["002"].headline]
    # The feed's page is the results page of the same search.
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links == {
        "alternate": "http://testserver/en/search/?q=%D9%85%D9%8A%D8%B4%D9%88%D8%B3%D8%AA%D9%8A%D9%86",
        "self": "http://testserver/en/feeds/search/?q=%D9%85%D9%8A%D8%B4%D9%88%D8%B3%D8%AA%D9%8A%D9%86",
    }


def test_it_applies_the_search_filters_to_the_feed(client, seeds):
    everything = entries(read_feed(client.get("/en/feeds/search/", {"q": "لافروف"})))
    assert seeds["004"].headline in everything
    filtered = entries(read_feed(client.get("/en/feeds/search/", {"q": "لافروف", "year": "2022"})))
    assert filtered
    assert set(filtered) <= {seeds["000"].headline, seeds["004"].headline}
    assert seeds["003"].headline not in filtered


@pytest.mark.parametrize(("param", "value"), [("sort", "sideways"), ("date_from", "yesterday")])
def test_it_refuses_a_bad_search_parameter_naming_it(client, seeds, param, value):
    response = client.get("/en/feeds/search/", {"q": "لافروف", param: value})
    assert response.status_code == 400
    assert param in response.content.decode()


@pytest.fixture
def lavrov(seeds) -> Official:
    """Lavrov, named in 000 and 003 (the ingest's extraction may have found him there already)."""
    lavrov, _created = Official.objects.update_or_create(
        name_ar="سيرغي لافروف", defaults={"name_en": "Sergey Lavrov", "status": ReviewStatus.APPROVED}
    )
    # A duplicate an editor merged into Lavrov: its mentions are his.
    duplicate = Official.objects.create(name_ar="لافروف المكرر", merged_into=lavrov)
    # A false match an editor rejected: never named in a feed.
    wrong = Official.objects.create(name_ar="خطأ استخراج", status=ReviewStatus.REJECTED)
    for key, person in (("000", lavrov), ("003", lavrov), ("003", wrong), ("002", duplicate)):
        Mention.objects.get_or_create(
            article=seeds[key], official=person, defaults={"surface": person.name_ar}
        )
    search_index_update(article_ids=[article.pk for article in seeds.values()])
    return lavrov


def test_it_gives_a_feed_per_official(client, seeds, lavrov):
    root = read_feed(client.get(f"/en/feeds/officials/{lavrov.pk}/"))
    assert root.find(f"{ATOM}title").text == "Diwan: articles mentioning Sergey Lavrov"
    found = list(entries(root))
    named = Article.objects.filter(mentions__official__in=[lavrov, *lavrov.merged_from.all()]).distinct()
    assert found == [article.headline for article in named.order_by("-published_on")]
    # 002 names only the merged duplicate; 000 and 003 name him directly.
    assert {seeds[key].headline for key in ("000", "002", "003")} <= set(found)
    arabic = read_feed(client.get(f"/ar/feeds/officials/{lavrov.pk}/"))
    assert "سيرغي لافروف" in arabic.find(f"{ATOM}title").text


def categories(root: ET.Element, title: str) -> list[str]:
    entry = next(entry for entry in root.findall(f"{ATOM}entry") if entry.find(f"{ATOM}title").text == title)
    return [category.get("term") for category in entry.findall(f"{ATOM}category")]


def test_it_names_the_officials_of_each_entry_as_categories(client, seeds, lavrov):
    root = read_feed(client.get(f"/en/feeds/officials/{lavrov.pk}/"))
    in_003 = categories(root, seeds["003"].headline)
    assert "Sergey Lavrov" in in_003
    assert "خطأ استخراج" not in in_003
    # The merged duplicate is named as the official it was merged into.
    in_002 = categories(root, seeds["002"].headline)
    assert "Sergey Lavrov" in in_002
    assert "لافروف المكرر" not in in_002


def test_it_has_no_feed_for_an_unknown_or_rejected_official(client, seeds, lavrov):
    assert client.get("/en/feeds/officials/999999/").status_code == 404
    Official.objects.filter(pk=lavrov.pk).update(status=ReviewStatus.REJECTED)
    assert client.get(f"/en/feeds/officials/{lavrov.pk}/").status_code == 404


def test_it_builds_each_feed_in_a_bounded_number_of_queries(
    client, seeds, lavrov, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        client.get("/en/feeds/latest/")
    with django_assert_max_num_queries(4):
        client.get(f"/en/feeds/officials/{lavrov.pk}/")


def test_it_gives_entry_and_feed_titles_without_direction_controls(client):
    title = "\u202eعنوان\u202c \u2067مقلوب\u2069 \u200e\u200f\u061c\u202a\u202b\u202d\u2066\u2068"
    article = Article.objects.create(
        title=title,
        body="نص",
        origin="bidi-test",
        content_hash=hashlib.sha256(title.encode()).hexdigest(),
        original_text=title,
    )
    search_index_update(article_ids=[article.pk])

    [entry] = read_feed(client.get("/en/feeds/latest/")).findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "عنوان مقلوب "
    search_title = read_feed(client.get("/en/feeds/search/", {"q": "\u202eعنوان"})).find(f"{ATOM}title")
    assert search_title.text == "Diwan search: عنوان"
