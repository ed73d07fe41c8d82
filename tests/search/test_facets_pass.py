"""Facets and totals are counted apart from the ranked page: what Layla, an analyst paging, sees."""

import datetime

from archive.articles.models import Article
from archive.search.indexing import search_index_update
from archive.search.service import SearchParams, article_search, article_search_all_ids


def facet_view(results) -> dict[str, list[tuple[str, int]]]:
    return {name: [(f.value, f.count) for f in counts] for name, counts in results.facets.items()}


def test_it_shows_the_same_exact_total_and_facets_on_every_page(seeded):
    pages = [article_search(params=SearchParams(q="طاجيكستان", per_page=2, page=page)) for page in (1, 2, 3)]
    assert [r.count for r in pages] == [5, 5, 5]
    assert facet_view(pages[1]) == facet_view(pages[0]) == facet_view(pages[2])
    assert dict(facet_view(pages[0])["year"]) == {"2025": 2, "2023": 1, "2022": 2}
    shown = [hit.article.pk for r in pages for hit in r.hits]
    assert sorted(shown) == sorted(article_search_all_ids(params=SearchParams(q="طاجيكستان")))


def test_it_counts_the_same_whichever_order_layla_sorts_in(seeded):
    by_relevance = article_search(params=SearchParams(q="طاجيكستان", per_page=1))
    newest = article_search(params=SearchParams(q="طاجيكستان", per_page=1, sort="newest"))
    oldest = article_search(params=SearchParams(q="طاجيكستان", per_page=1, sort="oldest", page=2))
    assert by_relevance.count == newest.count == oldest.count == 5
    assert facet_view(by_relevance) == facet_view(newest) == facet_view(oldest)


def test_it_counts_a_new_article_as_soon_as_it_is_indexed(seeded):
    before = article_search(params=SearchParams(q="طاجيكستان", per_page=1))
    article = Article.objects.create(
        title="طاجيكستان",
        body="وزير خارجية طاجيكستان يزور القاهرة.",
        original_text="-",
        origin="test-new-article",
        content_hash="n" * 64,
        source="رويترز",
        published_on=datetime.date(2024, 3, 1),
    )
    search_index_update(article_ids=[article.pk])
    after = article_search(params=SearchParams(q="طاجيكستان", per_page=1))
    assert after.count == before.count + 1
    assert dict(facet_view(after)["year"])["2024"] == 1
    assert ("رويترز", 1) in facet_view(after)["source"]


def test_it_counts_only_what_a_filter_leaves(seeded):
    unfiltered = article_search(params=SearchParams(q="طاجيكستان"))
    in_2025 = article_search(params=SearchParams(q="طاجيكستان", year=2025))
    assert unfiltered.count == 5
    assert in_2025.count == 2
    assert facet_view(in_2025)["year"] == [("2025", 2)]


def test_it_counts_the_partial_matches_when_no_article_has_every_word(seeded):
    results = article_search(params=SearchParams(q="هجرة ميشوستين", per_page=1))
    assert results.relaxed
    assert results.count == 3
    assert sum(count for _, count in facet_view(results)["source"]) == 3
