"""A rebuild's writer (`BulkSegmentWriter`) writes the very segment Whoosh's own writer writes.

The corpus: the seeds and 600 articles made up from their words, ingested, with two officials' spellings
approved (the names field). Both writers index the same prepared documents into a new index each; every
file of the two segments (terms, postings, stored fields, lengths, columns) must be equal byte for byte,
so searching either index gives the same results by construction. The corpus has terms with several
posting blocks, terms whose postings sit in the term dictionary, and fields that keep no lengths.
"""

import copy
import json
import os
import signal

import numpy as np
import pytest
from haystack import connections
from whoosh.filedb.filestore import FileStorage

from archive.ingest.services import articles_ingest
from archive.search import schema
from archive.search.engine import article_index
from archive.search.indexing import search_index_rebuild
from archive.search.service import SearchParams, article_search
from archive.search.whoosh_engine import backend, field_writing
from archive.search.whoosh_engine.analysers import Analysed, Analysers
from archive.search.whoosh_engine.backend import _documents
from archive.search.whoosh_engine.bulk import BulkSegmentWriter
from archive.search.whoosh_engine.codec import INLINE_LIMIT, SegmentWriter
from archive.search.whoosh_engine.posting_store import store_filename
from archive.search.whoosh_engine.store import BUILDING_PREFIX, commit
from tests.search.conftest import LAVROV_SPELLINGS, MINISTER_SPELLINGS, _approve
from tests.search.made_up import made_up_article, seed_vocabulary

pytestmark = pytest.mark.whoosh_only

MADE_UP = 600
BLOCK = 256  # postings per block (`Codec`)


@pytest.fixture
def documents(seeded, tmp_path):
    vocabulary = seed_vocabulary()
    path = tmp_path / "made-up.jsonl"
    rows = (made_up_article(n, vocabulary) for n in range(MADE_UP))
    path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows), encoding="utf-8")
    assert not articles_ingest(paths=[path]).failed
    _approve("سراج الدين مهر الدين", "Sirojiddin Muhriddin", MINISTER_SPELLINGS)
    _approve("سيرغي لافروف", "Sergey Lavrov", LAVROV_SPELLINGS)
    index = article_index()
    return list(_documents(index, index.index_queryset().order_by("pk")))


def segment_files(folder) -> dict[str, bytes]:
    """Each file of the index's one segment, named without the segment's random id."""
    index = FileStorage(str(folder)).open_index()
    (segment,) = index._segments()
    storage = segment.open_compound_file(index.storage) if segment.is_compound() else index.storage
    return {name.replace(segment.segment_id(), ""): storage.open_file(name).read() for name in storage.list()}


def build(folder, writer_class, documents, **options) -> dict[str, bytes]:
    folder.mkdir()
    index = connections["default"].get_backend().store.open_index(folder)
    writer = writer_class(index, limitmb=32, **options)
    for document in documents:
        writer.add_document(**document)
    commit(writer)
    index.close()
    return segment_files(folder)


def posting_store(folder) -> bytes:
    (segment,) = FileStorage(str(folder)).open_index()._segments()
    return (folder / store_filename(segment.segment_id())).read_bytes()


def test_it_writes_the_segment_whoosh_writes_byte_for_byte(documents, tmp_path, settings):
    settings.SEARCH_POSTING_STORE_MIN_POSTINGS = 50
    whoosh = build(tmp_path / "by-whoosh", SegmentWriter, documents)
    bulk = build(tmp_path / "by-bulk", BulkSegmentWriter, documents)

    assert sorted(bulk) == sorted(whoosh)
    assert [name for name in whoosh if bulk[name] != whoosh[name]] == []
    # The posting store the bulk writer makes from its arrays is the one read back from Whoosh's segment
    # after the commit.
    stored = posting_store(tmp_path / "by-bulk")
    assert stored == posting_store(tmp_path / "by-whoosh")
    assert len(stored) > 10_000


# Where the second process starts: the cut the writer chooses (inside a field, on this corpus), just
# after the first term, and at the last term.
CUTS = {
    "balanced": None,
    "after the first term": lambda parts: 1,
    "at a field's first term": lambda parts: next(
        r.first_term for r in parts.runs if r.name == schema.TEXT_NORM
    ),
    "at the last term": lambda parts: len(parts.sizes) - 1,
}


@pytest.mark.parametrize("cut", list(CUTS))
def test_it_writes_the_same_segment_with_a_second_process_writing_the_last_terms(
    documents, tmp_path, settings, monkeypatch, cut
):
    settings.SEARCH_POSTING_STORE_MIN_POSTINGS = 50
    one = build(tmp_path / "one-process", BulkSegmentWriter, documents)
    monkeypatch.setattr(field_writing, "SPLIT_MIN_POSTINGS", 0)  # the corpus is far below a split's worth
    if CUTS[cut] is not None:
        balanced = field_writing.FieldParts.cut
        monkeypatch.setattr(
            field_writing.FieldParts, "cut", lambda parts, _term: balanced(parts, CUTS[cut](parts))
        )
    shares = []

    def tail_writer(*args, head, tail, **kwargs):
        shares.append(([run.name for run in head], [run.name for run in tail]))
        return split_off(*args, head=head, tail=tail, **kwargs)

    split_off = field_writing.tail_writer
    monkeypatch.setattr(field_writing, "tail_writer", tail_writer)
    two = build(tmp_path / "two-processes", BulkSegmentWriter, documents, split=True)

    ((head, tail),) = shares  # written apart
    if cut == "balanced":
        assert head[-1] == tail[0] == schema.TEXT  # a field shared out: the second takes its last terms
    if cut == "at a field's first term":
        assert head[-1] == schema.TEXT and tail[0] == schema.TEXT_NORM

    assert [name for name in one if two.get(name) != one[name]] == []
    assert sorted(two) == sorted(one)
    assert posting_store(tmp_path / "two-processes") == posting_store(tmp_path / "one-process")


@pytest.mark.parametrize(
    ("sizes", "value_bytes", "cut"),
    [
        ([1, 1], [0, 0], 1),  # two terms: one each
        ([1] * 10, [0] * 10, 2),  # the first process also adds the second's records: small terms, few
        ([100] * 10, [0] * 10, 5),  # terms of many postings: halves
        ([10_000, 1, 1, 1], [0, 0, 0, 0], 1),  # a first term worth all the others: alone
        ([1, 1, 1, 10_000], [0, 0, 0, 0], 3),  # a last term worth all the others: alone in the second
        ([1, 1, 1, 1], [0, 0, 0, 100_000], 3),  # the values' bytes count
    ],
)
def test_it_shares_the_terms_out_by_what_writing_them_costs(sizes, value_bytes, cut):
    assert field_writing.balanced_cut(np.array(sizes), np.array(value_bytes)) == cut


def test_a_field_empty_in_every_article_is_written_as_whoosh_writes_it(documents, tmp_path):
    untitled = [
        {**doc, schema.TITLE: "", schema.TITLE_NORM: "", schema.TITLE_WRITTEN: ""} for doc in documents
    ]
    whoosh = build(tmp_path / "by-whoosh", SegmentWriter, untitled)
    live = connections["default"].get_backend().store.live_index()
    analysers = Analysers(jobs=2, schema=live.schema, names=schema.TEXT_FIELDS)
    batches = ([copy.copy(doc) for doc in untitled[at : at + 100]] for at in range(0, len(untitled), 100))
    apart = [doc for batch in analysers.analysed(batches) for doc in batch]

    assert build(tmp_path / "analysed-apart", BulkSegmentWriter, apart) == whoosh


def _full_disk(*args, **kwargs):
    raise OSError(28, "No space left on device")


def _killed(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)


@pytest.mark.parametrize("failure", [_full_disk, _killed], ids=["error", "killed"])
def test_a_rebuild_whose_second_writing_process_fails_leaves_the_live_index_as_it_was(
    documents, monkeypatch, failure
):
    query = SearchParams(q="لافروف", per_page=50)
    assert search_index_rebuild(jobs=0) == len(documents)
    before = [hit.article.pk for hit in article_search(params=query).hits]
    monkeypatch.setattr(backend, "available_cores", lambda: 2)  # the split is for machines of two cores
    monkeypatch.setattr(field_writing, "SPLIT_MIN_POSTINGS", 0)
    monkeypatch.setattr(field_writing, "_write_tail", failure)  # runs in the forked process

    with pytest.raises(RuntimeError, match="the process writing the segment's last terms failed"):
        search_index_rebuild(jobs=2)

    assert [hit.article.pk for hit in article_search(params=query).hits] == before != []
    root = connections["default"].get_backend().root
    assert [path.name for path in root.iterdir() if path.name.startswith(BUILDING_PREFIX)] == []
    assert search_index_rebuild(jobs=0) == len(documents)  # nothing left locked


def test_text_analysed_in_worker_processes_makes_the_same_segment(documents, tmp_path):
    here = build(tmp_path / "analysed-here", BulkSegmentWriter, documents)
    live = connections["default"].get_backend().store.live_index()
    analysers = Analysers(jobs=2, schema=live.schema, names=schema.TEXT_FIELDS)
    batches = ([copy.copy(doc) for doc in documents[at : at + 100]] for at in range(0, len(documents), 100))
    apart = [doc for batch in analysers.analysed(batches) for doc in batch]
    assert all(isinstance(doc[schema.TEXT], Analysed) for doc in apart)  # the workers analysed them

    assert build(tmp_path / "analysed-apart", BulkSegmentWriter, apart) == here


def test_a_rebuild_analysing_in_worker_processes_finds_what_one_analysing_itself_finds(documents):
    queries = ["لافروف", '"وزير الخارجية"', "مهر الدين", "موسكو -لافروف"]
    assert search_index_rebuild(jobs=0) == len(documents)
    alone = {q: article_search(params=SearchParams(q=q, per_page=50)) for q in queries}
    assert search_index_rebuild(jobs=2) == len(documents)
    apart = {q: article_search(params=SearchParams(q=q, per_page=50)) for q in queries}
    for q in queries:
        assert [(h.article.pk, h.snippet) for h in apart[q].hits] == [
            (h.article.pk, h.snippet) for h in alone[q].hits
        ], q
        assert apart[q].count == alone[q].count > 0, q


def test_it_is_tested_on_long_and_short_posting_lists_and_unscored_fields(documents, tmp_path):
    build(tmp_path / "by-bulk", BulkSegmentWriter, documents)
    with FileStorage(str(tmp_path / "by-bulk")).open_index().reader() as reader:
        frequencies = [reader.doc_frequency(schema.TEXT, term) for term in reader.lexicon(schema.TEXT)]
        officials = list(reader.lexicon(schema.OFFICIALS))  # a field without lengths (not scored)
    assert max(frequencies) > BLOCK  # a term of two blocks or more
    assert sum(1 for n in frequencies if n <= INLINE_LIMIT) > 100  # postings kept beside the term
    assert officials
