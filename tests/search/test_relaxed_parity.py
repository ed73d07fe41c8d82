"""The fallback "any of the words" is one flat OR: the same matches and scores as the OR of ORs it replaces.

A union of unions made Whoosh fill its match arrays twice; the flat OR reads each term once. This test
searches the real seed index with both forms and compares every match and its score.
"""

import pytest

from archive.search import query as query_building
from archive.search.engine import search_engine
from archive.search.service import SearchParams, _understand
from archive.search.whoosh_engine.compile import query_compile

pytestmark = pytest.mark.whoosh_only

QUERIES = [
    "لافروف طاجيكستان زعفران",  # an unknown word: nothing has all three
    "مهر الدين موسكو الهجرة",  # a name with its spellings, and ordinary words
    "Lavrov Dushanbe الطاقة",
    "الرئيس رحمون بوتين الأمن الإقليمي",
    '"وزير الخارجية" دوشنبه',  # a phrase beside a word
]


def _matches(searcher, node) -> list[tuple[int, float]]:
    return sorted((hit.docnum, hit.score) for hit in searcher.search(query_compile(node=node), limit=None))


@pytest.mark.parametrize("text", QUERIES)
def test_it_finds_the_same_articles_with_the_same_scores_as_the_or_of_each_word(
    approved_names, monkeypatch, text
):
    flat_query = _understand(SearchParams(q=text)).any_query
    monkeypatch.setattr(query_building, "_flat_or", query_building._or)  # the union of unions, as before
    nested_query = _understand(SearchParams(q=text)).any_query
    searcher = search_engine().store.searcher()

    assert len(flat_query.parts) > len(nested_query.parts)
    flat, reference = _matches(searcher, flat_query), _matches(searcher, nested_query)

    assert flat, text
    assert [docnum for docnum, _ in flat] == [docnum for docnum, _ in reference]
    for (_, score), (_, expected) in zip(flat, reference, strict=True):
        assert score == pytest.approx(expected, rel=1e-9)
