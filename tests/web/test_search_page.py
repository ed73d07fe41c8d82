from urllib.parse import quote

import pytest

from tests.web.sample import make_article

pytestmark = pytest.mark.django_db


def search(client, language="ar", **params):
    response = client.get(f"/{language}/search/", params)
    return response, response.content.decode()


def test_it_lists_matching_articles_with_highlighted_snippets(client, sample_archive):
    response, page = search(client, q="هجره")

    assert response.status_code == 200
    assert sample_archive.visit.headline in page
    assert "<mark>" in page
    assert "مقال مخفي" not in page  # hidden articles are never found
    assert f"/ar/articles/{sample_archive.visit.pk}/?q={quote('هجره')}" in page


def test_it_shows_facets_with_counts_and_a_removable_active_filter(client, sample_archive):
    _, page = search(client, language="en", q="لافروف")

    assert "?q=%D9%84%D8%A7%D9%81%D8%B1%D9%88%D9%81&amp;year=2022" in page  # the 2022 facet adds a filter
    assert 'class="facet__count">2</span>' in page  # two articles mention Lavrov

    _, filtered = search(client, language="en", q="لافروف", year="2022")

    assert "1 article found" in filtered
    assert 'aria-current="true" href="?q=%D9%84%D8%A7%D9%81%D8%B1%D9%88%D9%81"' in filtered
    assert "Remove filter Year: 2022" in filtered


def test_it_labels_the_official_facet_in_the_pages_language(client, sample_archive):
    _, page = search(client, language="en", q="لافروف", official=str(sample_archive.lavrov.pk))

    assert "Official: <bdi>Sergey Lavrov</bdi>" in page


def test_it_offers_sort_strictness_and_match_switches_as_links(client, sample_archive):
    _, page = search(client, language="en", q="لافروف", sort="newest")

    assert 'aria-current="true" href="?q=%D9%84%D8%A7%D9%81%D8%B1%D9%88%D9%81&amp;sort=newest"' in page
    assert "mode=exact" in page and "match=any" in page


def test_it_suggests_a_spelling_when_nothing_matches(client, sample_archive):
    _, page = search(client, language="en", q="لافرووف")

    assert "Did you mean:" in page


def test_it_shows_how_the_query_was_understood(client, sample_archive):
    _, page = search(client, language="en", q="الهِجْرَة في")

    assert "How the query was understood" in page
    assert "Words ignored" in page


def test_it_links_the_feed_and_the_exports_of_the_same_search(client, sample_archive):
    _, page = search(client, language="en", q="لافروف", page="1")

    assert '/en/feeds/search/?q=%D9%84%D8%A7%D9%81%D8%B1%D9%88%D9%81"' in page
    assert '/en/export/search.csv?q=%D9%84%D8%A7%D9%81%D8%B1%D9%88%D9%81"' in page
    assert '/en/export/search.json?q=%D9%84%D8%A7%D9%81%D8%B1%D9%88%D9%81"' in page


def test_it_answers_a_bad_parameter_with_a_translated_400_page(client, sample_archive):
    english, english_page = search(client, language="en", q="x", sort="sideways")
    arabic, arabic_page = search(client, language="ar", q="x", date_from="yesterday")

    assert english.status_code == 400 and arabic.status_code == 400
    assert "Bad request" in english_page and "<bdi>sort</bdi>" in english_page
    assert "طلب غير صالح" in arabic_page and "<bdi>date_from</bdi>" in arabic_page


def test_it_never_fails_on_a_bad_page_number(client, sample_archive):
    response, _ = search(client, q="لافروف", page="999")

    assert response.status_code == 200


def test_it_paginates_with_permalinkable_urls(client, sample_archive):
    for number in range(25):
        make_article(title=f"لافروف في موسكو {number}", blocks=[("paragraph", "لقاء لافروف")], day=None)
    from archive.articles.models import Article
    from archive.search.indexing import search_index_update

    search_index_update(article_ids=Article.objects.values_list("pk", flat=True))

    _, first = search(client, language="en", q="لافروف")
    _, second = search(client, language="en", q="لافروف", page="2")

    assert 'rel="next" href="?q=%D9%84%D8%A7%D9%81%D8%B1%D9%88%D9%81&amp;page=2"' in first
    assert 'rel="prev"' in second and '<span aria-current="page">2</span>' in second


def test_it_renders_results_in_a_bounded_number_of_queries(
    client, sample_archive, django_assert_max_num_queries, engine_queries
):
    for number in range(30):
        make_article(title=f"لافروف في موسكو {number}", blocks=[("paragraph", "لقاء لافروف")], day=None)
    from archive.articles.models import Article
    from archive.search.indexing import search_index_update

    search_index_update(article_ids=Article.objects.values_list("pk", flat=True))

    with django_assert_max_num_queries(8 + engine_queries):
        client.get("/en/search/", {"q": "لافروف", "per_page": "50"})


def test_it_says_when_no_article_has_every_word(client, sample_archive):
    _, page = search(client, language="en", q="لافروف كوكبة")

    assert "No article has all the words" in page
    assert sample_archive.visit.headline in page


def test_it_filters_by_a_date_range_keeping_the_query(client, sample_archive):
    _, form_page = search(client, language="en", q="لافروف", sort="newest")
    _, page = search(client, language="en", q="لافروف", date_from="2023-01-01", date_to="2023-12-31")

    assert '<input type="hidden" name="q" value="لافروف">' in form_page
    assert '<input type="hidden" name="sort" value="newest">' in form_page
    assert '<label for="date-from">From</label>' in form_page
    assert "1 article found" in page and sample_archive.migration.headline in page
    assert "Remove filter From: 2023-01-01" in page


def test_it_names_an_official_filter_even_without_a_matching_facet(client, sample_archive):
    _, page = search(client, language="en", q="كوكبة", official=str(sample_archive.rahmon.pk))

    assert "Official: <bdi>Emomali Rahmon</bdi>" in page


def test_it_judges_a_numeric_parameter_by_its_whole_value(client, sample_archive):
    response, page = search(client, language="en", q="لافروف", per_page="0000000101")

    assert response.status_code == 400
    assert "<bdi>per_page</bdi>" in page and "between 1 and 100" in page
