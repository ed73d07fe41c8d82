import pytest

from archive.entities.models import Mention
from tests.web.sample import make_article

pytestmark = pytest.mark.django_db


def test_it_shows_the_article_with_dates_source_credit_and_section_headings(client, sample_archive):
    page = client.get(f"/ar/articles/{sample_archive.visit.pk}/").content.decode()

    assert "لافروف يلتقي نظيره الطاجيكي مهر الدين في موسكو" in page
    assert '<time datetime="2022-09-05">5 سبتمبر/أيلول 2022</time>' in page
    assert "9 صفر 1444 هـ" in page  # the Hijri date beside the Gregorian one
    assert "© Sputnik" in page
    assert '<h2 dir="auto">سياسة الهجرة</h2>' in page


def test_it_shows_english_dates_and_names_on_english_pages(client, sample_archive):
    page = client.get(f"/en/articles/{sample_archive.visit.pk}/").content.decode()

    assert "5 September 2022" in page and "9 Safar 1444 AH" in page
    assert f'<a href="/en/officials/{sample_archive.lavrov.pk}/"><bdi>Sergey Lavrov</bdi></a>' in page


def test_it_links_the_officials_mentioned_and_the_meetings_reported(client, sample_archive):
    page = client.get(f"/ar/articles/{sample_archive.visit.pk}/").content.decode()

    assert f'href="/ar/officials/{sample_archive.muhriddin.pk}/"' in page
    assert f'href="/ar/meetings/{sample_archive.moscow_talks.pk}/"' in page


def test_it_cites_the_article_in_arabic_and_english_with_permalinks(client, sample_archive):
    page = client.get(f"/en/articles/{sample_archive.visit.pk}/").content.decode()

    assert f"http://testserver/ar/articles/{sample_archive.visit.pk}/" in page
    assert f"http://testserver/en/articles/{sample_archive.visit.pk}/" in page
    assert '«<bdi dir="auto">لافروف يلتقي نظيره الطاجيكي مهر الدين في موسكو</bdi>»' in page


def test_it_highlights_the_search_terms_when_coming_from_a_search(client, sample_archive):
    page = client.get(f"/ar/articles/{sample_archive.visit.pk}/", {"q": "هجره"}).content.decode()

    assert "<mark>الهجرة</mark>" in page
    assert '<h1 id="article-title" dir="auto">' in page
    assert "/ar/search/?q=%D9%87%D8%AC%D8%B1%D9%87" in page  # back to the same search


def test_it_escapes_markup_from_the_article_text(client, sample_archive):
    page = client.get(f"/ar/articles/{sample_archive.migration.pk}/", {"q": "التنسيق"}).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_it_hides_hidden_articles(client, sample_archive):
    assert client.get(f"/ar/articles/{sample_archive.hidden.pk}/").status_code == 404


def test_it_renders_an_article_in_a_bounded_number_of_queries(
    client, sample_archive, django_assert_max_num_queries, engine_queries
):
    for number in range(20):
        other = make_article(
            title=f"لافروف مقال {number}", blocks=[("paragraph", "لافروف في موسكو")], day=None
        )
        Mention.objects.create(article=other, official=sample_archive.lavrov, surface="لافروف")

    with django_assert_max_num_queries(10 + engine_queries):
        client.get(f"/ar/articles/{sample_archive.visit.pk}/", {"q": "لافروف"})


def test_it_highlights_with_the_strictness_of_the_search(client, sample_archive):
    stemmed = client.get(f"/ar/articles/{sample_archive.visit.pk}/", {"q": "هجره"}).content.decode()
    exact = client.get(
        f"/ar/articles/{sample_archive.visit.pk}/", {"q": "هجره", "mode": "exact"}
    ).content.decode()

    assert "<mark>" in stemmed
    assert "<mark>" not in exact  # exactly as written: هجره is not الهجرة
    assert "&amp;mode=exact" in exact


def test_it_has_a_print_stylesheet_and_keeps_navigation_off_paper(client, sample_archive):
    page = client.get(f"/en/articles/{sample_archive.visit.pk}/").content.decode()

    assert 'href="/static/css/print.css" media="print"' in page
    assert '<aside class="article-aside no-print"' in page


def test_it_highlights_the_headline_too(client, sample_archive):
    page = client.get(f"/ar/articles/{sample_archive.visit.pk}/", {"q": "موسكو"}).content.decode()

    assert "في <mark>موسكو</mark></h1>" in page


def test_it_titles_the_page_without_the_headline_s_direction_controls(client, db):
    title = "\u202eعنوان\u202c \u2067مقلوب\u2069\u200f"
    article = make_article(title=title, blocks=[("paragraph", "نص")], day=None)

    page = client.get(f"/en/articles/{article.pk}/").content.decode()

    assert "<title>عنوان مقلوب · Diwan</title>" in page
    # The body keeps the headline as written, isolated in its own element.
    assert '<h1 id="article-title" dir="auto">\u202eعنوان\u202c \u2067مقلوب\u2069\u200f</h1>' in page


def test_it_titles_search_and_official_pages_without_direction_controls(client, sample_archive):
    search = client.get("/en/search/", {"q": "\u202eلافروف\u202c"}).content.decode()
    sample_archive.lavrov.name_en = "\u202eSergey Lavrov"
    sample_archive.lavrov.save()
    official = client.get(f"/en/officials/{sample_archive.lavrov.pk}/").content.decode()

    assert "<title>“لافروف”: search results · Diwan</title>" in search
    assert "<title>Sergey Lavrov · Diwan</title>" in official
