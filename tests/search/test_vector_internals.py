"""The Whoosh internals the vectorised executor reads, asserted against Whoosh's own answers.

The executor (archive/search/whoosh_engine/) reads posting blocks, the length and date columns and the
deletion sets of Whoosh-Reloaded 2.7.5 directly, and reproduces choices Whoosh makes inside its matchers
(BM25F's formula and parameters, which union an Or builds, what a phrase and a prefix score, the order of
ties). Each of those is checked here on a real index, so that a changed pinned Whoosh fails here, loudly,
before any search answers differently.
"""

from __future__ import annotations

import datetime

import numpy as np
import pytest
from haystack import connections
from whoosh import fields, matching, scoring, sorting
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.filedb.filestore import FileStorage
from whoosh.matching.wrappers import FilterMatcher
from whoosh.searching import SearchContext
from whoosh.util.times import datetime_to_long

from archive.articles.models import Article
from archive.search.indexing import search_index_update
from archive.search.whoosh_engine import segment_eval
from archive.search.whoosh_engine.codec import SegmentWriter
from archive.search.whoosh_engine.segment_arrays import (
    SearcherArrays,
    field_lengths,
    numeric_column,
    positions_arrays,
    postings_arrays,
    searcher_arrays,
    term_values,
)
from archive.search.whoosh_engine.vector import vector_search

pytestmark = pytest.mark.whoosh_only

WORDS = ["مؤتمر", "موسكو", "وزير", "خارجية", "طاقة", "مباحثات", "زيارة", "رئيس", "اتفاق", "دوشنبه"]
DOCS = 700  # more than two of Whoosh's 256-posting blocks for the common words


def _schema() -> fields.Schema:
    return fields.Schema(
        django_id=fields.ID(stored=True, sortable=True),
        text=fields.TEXT(phrase=True),
        title=fields.TEXT(phrase=False, field_boost=2.0),
        date=fields.DATETIME(sortable=True),
        tag=fields.KEYWORD(scorable=False),
    )


def _document(number: int) -> dict:
    words = [WORDS[(number * 7 + k * k) % len(WORDS)] for k in range(3 + number % 11)]
    document = {
        "django_id": str(number + 1),
        "text": " ".join(words),
        "title": " ".join(words[: 2 + number % 3]),
        "tag": WORDS[number % 3],
    }
    if number % 13:
        document["date"] = datetime.datetime(2022, 1, 1) + datetime.timedelta(days=number % 40)
    return document


def _index(folder, *, codec_writer: bool, docs: int = DOCS, segments: int = 3):
    """An index of `docs` documents in `segments` commits (no merging), then a few deleted."""
    index = FileStorage(str(folder)).create().create_index(_schema())
    per_segment = docs // segments
    for part in range(segments):
        writer = SegmentWriter(index) if codec_writer else index.writer()
        for number in range(part * per_segment, docs if part == segments - 1 else (part + 1) * per_segment):
            writer.add_document(**_document(number))
        writer.commit(merge=False)
    writer = SegmentWriter(index) if codec_writer else index.writer()
    for number in range(3, docs, 97):
        writer.delete_by_term("django_id", str(number + 1))
    writer.commit(merge=False)
    return index


@pytest.fixture(params=["diwan codec", "whoosh codec"])
def codec(request) -> str:
    return request.param


@pytest.fixture
def searcher(codec, tmp_path):
    index = _index(tmp_path, codec_writer=codec == "diwan codec")
    with index.searcher() as opened:
        yield opened


def _leaves(searcher):
    return [subsearcher.reader() for subsearcher, _ in searcher.leaf_searchers()]


def _unfiltered(reader, fieldname, btext):
    """The segment's matcher itself: the reader wraps it in a FilterMatcher skipping deleted documents."""
    matcher = reader.postings(fieldname, btext)
    if reader.has_deletions():
        assert isinstance(matcher, FilterMatcher)
        matcher = matcher.child
        matcher.reset()  # the wrapper stepped it past the first deleted documents
    return matcher


def _each_posting(matcher):
    while matcher.is_active():
        yield matcher
        matcher.next()


def test_the_index_has_segments_deletions_and_both_kinds_of_postings(searcher, codec):
    leaves = _leaves(searcher)
    assert len(leaves) == 3 and all(reader.has_deletions() for reader in leaves)
    kinds = {
        type(_unfiltered(reader, fieldname, btext))
        for reader in leaves
        for fieldname in ("text", "django_id")
        for btext in reader.lexicon(fieldname)
    }
    assert W3LeafMatcher in kinds  # posting blocks in the postings file
    # Diwan's codec keeps a rare term's postings in the term dictionary; Whoosh's own never does.
    assert any(issubclass(kind, matching.ListMatcher) for kind in kinds) == (codec == "diwan codec")


def test_a_term_s_arrays_are_its_matcher_s_postings_one_by_one(searcher):
    for reader in _leaves(searcher):
        for fieldname in ("text", "title", "tag", "django_id"):
            for btext in reader.lexicon(fieldname):
                ids, weights = postings_arrays(reader, fieldname, btext)
                expected = [
                    (m.id(), m.weight()) for m in _each_posting(_unfiltered(reader, fieldname, btext))
                ]
                assert ids.tolist() == [docnum for docnum, _ in expected], (fieldname, btext)
                assert weights.tolist() == [weight for _, weight in expected], (fieldname, btext)


def test_a_block_holds_id_gaps_then_weights_then_values_after_a_header_with_its_last_id(codec, tmp_path):
    index = _index(tmp_path, codec_writer=codec == "diwan codec", segments=1)
    with index.reader() as reader:
        common = max(reader.lexicon("text"), key=lambda btext: reader.doc_frequency("text", btext))
        matcher = _unfiltered(reader, "text", common)
        assert isinstance(matcher, W3LeafMatcher) and not matcher._atend and not matcher._lastblock
        matcher._read_data()
        gaps, weights, values = matcher._data
        matcher._read_ids()
        assert np.cumsum(gaps).tolist() == list(matcher._ids)
        assert matcher._blocklength == len(gaps) == len(values) > 1
        assert matcher._maxid == matcher._ids[-1]
        assert weights is None or isinstance(weights, float | tuple)
        last = matcher._maxid
        matcher._next_block()  # the next block follows on, its ids past the last one's
        assert not matcher._atend and matcher.id() > last


def test_positions_read_for_chosen_documents_are_the_matcher_s(searcher):
    format_ = searcher.schema["text"].format
    for reader in _leaves(searcher):
        for btext in reader.lexicon("text"):
            expected = {
                m.id(): m.value_as("positions") for m in _each_posting(_unfiltered(reader, "text", btext))
            }
            chosen = np.array(sorted(expected)[::3], dtype=np.int64)
            counts, positions = positions_arrays(format_, term_values(reader, "text", btext, chosen))
            split = [part.tolist() for part in np.split(positions, np.cumsum(counts)[:-1])]
            assert split == [expected[doc] for doc in chosen.tolist()]
            values: list[bytes] = []
            ids, _ = postings_arrays(reader, "text", btext, values)
            assert [format_.decode_positions(value) for value in values] == [
                expected[doc] for doc in ids.tolist()
            ]


def test_field_lengths_are_doc_field_length_and_the_lengths_column_is_one_byte(searcher):
    assert LENGTHS_COLUMN._typecode == "B" and LENGTHS_COLUMN._default == 0
    for reader in _leaves(searcher):
        for fieldname in ("text", "title"):
            lengths = field_lengths(reader, fieldname)
            assert lengths.tolist() == [
                reader.doc_field_length(doc, fieldname, 1) or 0 for doc in range(reader.doc_count_all())
            ]


def test_the_date_column_holds_the_indexed_dates_and_whoosh_s_sort_keys(searcher):
    for reader in _leaves(searcher):
        column = reader.column_reader("date", translate=False)
        values = numeric_column(reader, "date")
        assert values.tolist() == [column.sort_key(doc) for doc in range(reader.doc_count_all())]
        for doc in range(reader.doc_count_all()):
            stored = reader.stored_fields(doc)
            number = int(stored["django_id"]) - 1
            date = _document(number).get("date")
            expected = datetime_to_long(date) if date else reader.schema["date"].column_type.default_value()
            assert values[doc] == expected


def test_the_searcher_weights_with_default_bm25f_and_the_executor_gets_whoosh_s_scores_to_the_bit(searcher):
    weighting = searcher.weighting
    assert type(weighting) is scoring.BM25F and not weighting.use_final
    assert (weighting.B, weighting.K1, weighting._field_B) == (0.75, 1.2, {})
    assert scoring.bm25(2.0, 3.0, 10, 5.0, 0.75, 1.2) == 2.0 * (
        (3.0 * 2.2) / (3.0 + 1.2 * (0.25 + 0.75 * 10 / 5.0))
    )
    for fieldname in ("text", "title", "tag"):
        for text in searcher.lexicon(fieldname):
            query = wq.Term(fieldname, text)
            expected = [(hit.docnum, hit.score) for hit in searcher.search(query, limit=None)]
            assert vector_search(searcher, query).hits == expected


def test_or_is_a_preloaded_union_in_small_segments_and_a_tree_of_unions_otherwise(tmp_path):
    context = SearchContext(weighting=scoring.BM25F())
    three = wq.Or([wq.Term("text", word) for word in WORDS[:3]])
    two = wq.Or([wq.Term("text", word) for word in WORDS[:2]])
    for docs, union in (
        (segment_eval.PRELOADED_OR_MAX_DOCS, matching.ArrayUnionMatcher),
        (5001, matching.UnionMatcher),
    ):
        index = _index(tmp_path / str(docs), codec_writer=True, docs=docs, segments=1)
        with index.searcher() as opened:
            assert type(three.matcher(opened, context)) is union
            assert type(two.matcher(opened, context)) is matching.UnionMatcher
            # A prefix is a constant-score Or: 1 per match in the small segment, BM25F times the boost in the
            # big one; the executor gives Whoosh's scores in both.
            prefix = wq.Prefix("text", "م", boost=3.0)
            assert prefix.constantscore
            expected = [(hit.docnum, hit.score) for hit in opened.search(prefix, limit=None)]
            found = vector_search(opened, prefix)
            assert [docnum for docnum, _ in found.hits] == [docnum for docnum, _ in expected]
            assert [score for _, score in found.hits] == pytest.approx([s for _, s in expected], rel=1e-12)
            if union is matching.ArrayUnionMatcher:
                assert {score for _, score in expected} == {1.0}
            else:
                assert len({score for _, score in expected}) > 1


def test_a_phrase_scores_the_sum_of_its_words_where_they_stand_in_order(searcher):
    phrase = wq.Phrase("text", ["موسكو", "وزير"])
    words = {
        word: {hit.docnum: hit.score for hit in searcher.search(wq.Term("text", word), limit=None)}
        for word in phrase.words
    }
    hits = searcher.search(phrase, limit=None)
    assert len(hits) > 0
    for hit in hits:
        assert hit.score == pytest.approx(sum(words[word][hit.docnum] for word in phrase.words), rel=1e-12)
    found = vector_search(searcher, phrase)
    assert [docnum for docnum, _ in found.hits] == [hit.docnum for hit in hits]
    assert [score for _, score in found.hits] == pytest.approx([hit.score for hit in hits], rel=1e-12)


def test_ties_rank_by_docnum_and_date_orders_reverse_the_whole_key(searcher):
    # UnlimitedCollector: score descending, then docnum ascending; every `tag` match scores its weight.
    query = wq.Term("tag", WORDS[0])
    hits = [(hit.docnum, hit.score) for hit in searcher.search(query, limit=None)]
    assert len({score for _, score in hits}) == 1 and [d for d, _ in hits] == sorted(d for d, _ in hits)
    assert vector_search(searcher, query).hits == hits
    # SortingCollector: (key, docnum) pairs sorted, all reversed for newest first.
    facet = sorting.MultiFacet([sorting.FieldFacet("date"), sorting.FieldFacet("django_id")])
    for sort, reverse in (("newest", True), ("oldest", False)):
        expected = [
            hit.docnum for hit in searcher.search(wq.Every(), limit=None, sortedby=facet, reverse=reverse)
        ]
        assert [docnum for docnum, _ in vector_search(searcher, wq.Every(), sort=sort).hits] == expected
        limited = [hit.docnum for hit in searcher.search(query, limit=7, sortedby=facet, reverse=reverse)]
        assert [docnum for docnum, _ in vector_search(searcher, query, sort=sort, limit=7).hits] == limited


# --- the arrays the executor keeps -------------------------------------------------------------------


def test_the_arrays_of_a_searcher_are_dropped_once_the_index_changed(seeded):
    backend = connections["default"].get_backend()
    searcher = backend.store.searcher()
    vector_search(searcher, wq.Term("text", "لافروف"))
    arrays = searcher_arrays(searcher)
    assert arrays.size > 0
    article = Article.objects.order_by("pk").first()
    article.title = f"{article.title} زنجبيلوس"
    article.save()
    search_index_update(article_ids=[article.pk])

    newer = backend.store.searcher()  # the backend closes the searcher of the older generation
    assert newer is not searcher and searcher.is_closed
    assert searcher_arrays(newer) is not arrays
    query = wq.Term("title", "زنجبيلوس")
    assert vector_search(newer, query).total == len(newer.search(query, limit=None)) == 1


def test_the_arrays_kept_never_pass_their_cap(searcher):
    arrays = SearcherArrays(cap=2048)
    reader = _leaves(searcher)[0]
    for btext in reader.lexicon("text"):
        arrays.postings(0, reader, "text", btext)
        assert arrays.size <= 2048
    assert arrays.size > 0
