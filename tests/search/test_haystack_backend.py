"""Haystack's own API (SearchQuerySet) on the Arabic backend: the defects of its Whoosh backend fixed."""

from haystack.query import SearchQuerySet

from archive.articles.models import Article


def test_it_finds_arabic_through_a_searchqueryset(seeded):
    origins = {result.object.origin for result in SearchQuerySet().auto_query("هجره")}
    assert origins == {"000_900ead7f2c160cfd.txt", "001_e85774afd2b191b1.txt"}


def test_it_highlights_arabic_matches_through_haystack(seeded):
    results = SearchQuerySet().auto_query("هجره").highlight()
    snippets = [result.highlighted["text"][0] for result in results]
    assert all("<mark>" in snippet for snippet in snippets)


def test_it_suggests_a_spelling_when_haystack_finds_nothing(seeded):
    query = SearchQuerySet().auto_query("لافرووف")
    assert query.count() == 0
    assert query.spelling_suggestion() == "لافروف"


def test_it_proposes_more_like_this_without_stored_text(seeded):
    article = Article.objects.get(origin__endswith="000_900ead7f2c160cfd.txt")
    related = [result.pk for result in SearchQuerySet().more_like_this(article)[:3]]
    assert related and str(article.pk) not in map(str, related)
