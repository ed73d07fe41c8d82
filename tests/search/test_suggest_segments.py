"""“Did you mean” on an index of several segments reads each segment's term table as one segment does."""

import pytest
from whoosh.reading import IndexReader

from archive.articles.models import Article
from archive.search.engine import search_engine
from archive.search.indexing import search_index_update
from archive.search.service import SearchParams, article_search
from archive.search.suggest import NORMALIZED_FIELD
from archive.search.whoosh_engine.vocabulary import WhooshVocabulary
from archive.text import arabic

pytestmark = pytest.mark.whoosh_only


def _add_a_segment(article_pk: int, title: str) -> None:
    Article.objects.filter(pk=article_pk).update(title=title)
    search_index_update(article_ids=[article_pk])


def test_it_suggests_a_word_that_only_a_later_segment_holds(seeded):
    _add_a_segment(next(iter(seeded.values())), "الزعفرانية في موسكو")
    reader = search_engine().store.searcher().reader()
    assert len(reader.leaf_readers()) > 1

    results = article_search(params=SearchParams(q="الزعقرانية موسكوو"))

    assert arabic.normalize(results.suggestion) == arabic.normalize("الزعفرانية موسكو")


def test_it_finds_the_same_candidates_as_whooshs_generic_reader(seeded):
    _add_a_segment(next(iter(seeded.values())), "الزعفرانية في موسكو")
    reader = search_engine().store.searcher().reader()
    assert len(reader.leaf_readers()) > 1

    for word in ("لافرف", "طاجيكستن", "الزعفرانيه", "موسكوو", "المفاوضت", "دوشانبي"):
        normalized = arabic.normalize(word)
        for distance, prefix in ((1, 1), (2, 2), (1, 3), (2, 4)):
            generic = IndexReader.terms_within(reader, NORMALIZED_FIELD, normalized, distance, prefix=prefix)
            assert WhooshVocabulary(reader).terms_within(
                NORMALIZED_FIELD, normalized, distance, prefix
            ) == sorted(set(generic)), (
                word,
                distance,
                prefix,
            )
