"""The query tree in Whoosh's terms: each node matches what it says, and a prefix stands for few words."""

import datetime

import pytest
from whoosh import fields
from whoosh.filedb.filestore import RamStorage

from archive.search import querytree as qt
from archive.search.query import build_query, parse_query
from archive.search.whoosh_engine.compile import MAX_PREFIX_TERMS, query_compile

pytestmark = pytest.mark.whoosh_only

DOCS = [
    ("0", "وزير خارجية روسيا في موسكو", datetime.datetime(2023, 5, 1)),
    ("1", "روسيا وزير الزراعة", datetime.datetime(2024, 1, 9)),
    ("2", "دوشنبه عاصمة طاجيكستان", datetime.datetime(2024, 7, 2)),
]


@pytest.fixture(scope="module")
def searcher():
    schema = fields.Schema(id=fields.ID(stored=True), body=fields.TEXT(), date=fields.DATETIME())
    index = RamStorage().create_index(schema)
    with index.writer() as writer:
        for docid, body, date in DOCS:
            writer.add_document(id=docid, body=body, date=date)
    with index.searcher() as searcher:
        yield searcher


def _ids(searcher, node) -> list[str]:
    return sorted(hit["id"] for hit in searcher.search(query_compile(node=node), limit=None))


def test_each_node_matches_what_it_says(searcher):
    word = qt.Term("body", "وزير")
    russia = qt.Term("body", "روسيا")
    assert _ids(searcher, word) == ["0", "1"]
    assert _ids(searcher, qt.Phrase("body", ("وزير", "خارجية"))) == ["0"]
    assert _ids(searcher, qt.Phrase("body", ("خارجية", "وزير"))) == []
    assert _ids(searcher, qt.Prefix("body", "دوش")) == ["2"]
    assert _ids(searcher, qt.And((word, qt.Term("body", "موسكو")))) == ["0"]
    assert _ids(searcher, qt.Or((qt.Term("body", "موسكو"), qt.Term("body", "دوشنبه")))) == ["0", "2"]
    assert _ids(searcher, qt.AndNot(russia, qt.Term("body", "موسكو"))) == ["1"]
    in_2024 = qt.DateRange("date", datetime.datetime(2024, 1, 1), datetime.datetime(2024, 12, 31, 23, 59))
    assert _ids(searcher, in_2024) == ["1", "2"]
    assert _ids(searcher, qt.DateRange("date", None, datetime.datetime(2023, 12, 31))) == ["0"]
    assert _ids(searcher, qt.Every()) == ["0", "1", "2"]
    assert _ids(searcher, qt.And((word, qt.Nothing()))) == []


def test_a_boost_raises_the_score_of_what_it_matches(searcher):
    plain = searcher.search(query_compile(node=qt.Term("body", "روسيا")))
    boosted = searcher.search(query_compile(node=qt.Term("body", "روسيا", boost=3.0)))
    assert [hit["id"] for hit in plain] == [hit["id"] for hit in boosted]
    assert boosted[0].score == pytest.approx(3 * plain[0].score)


def test_a_prefix_stands_for_at_most_max_prefix_terms_words():
    schema = fields.Schema(id=fields.ID(stored=True), body=fields.TEXT())
    index = RamStorage().create_index(schema)
    with index.writer() as writer:
        for number in range(MAX_PREFIX_TERMS + 50):
            writer.add_document(id=str(number), body=f"كلمة{number:04d}")
    with index.searcher() as searcher:
        hits = searcher.search(query_compile(node=qt.Prefix("body", "كلمة")), limit=None)
        assert len(hits) == MAX_PREFIX_TERMS


def test_a_typed_query_becomes_the_same_hashable_tree_twice():
    first = build_query(parse_query('لافروف "وزير الخارجية" -موسكو year:2023'), mode="stemmed", match="all")
    second = build_query(parse_query('لافروف "وزير الخارجية" -موسكو year:2023'), mode="stemmed", match="all")
    assert isinstance(first.query, qt.AndNot)
    assert first.query == second.query and hash(first.query) == hash(second.query)


def test_something_that_is_not_a_node_is_refused():
    with pytest.raises(TypeError):
        query_compile(node="وزير")
