"""The posting store beside each Whoosh segment: the same arrays as Whoosh's own blocks, written with
each commit, deleted with its segment, and ignored when it does not belong to its segment.

That searches answer as Whoosh's searcher does with the stores in use is tests/search/test_vector_parity.py,
whose corpus is indexed with a low store threshold (so its queries mix stored and block-read terms).
"""

from __future__ import annotations

import contextlib
import json
import os
import zlib
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import translation
from haystack import connections
from whoosh.index import TOC

from archive.ingest.services import articles_ingest
from archive.search.indexing import search_index_sync
from archive.search.schema import TEXT_FIELDS
from archive.search.whoosh_engine import posting_store
from archive.search.whoosh_engine.posting_store import (
    posting_store_forget,
    store_filename,
    stored_postings,
)
from archive.search.whoosh_engine.segment_arrays import postings_arrays
from archive.search.whoosh_engine.store import acquire_writer, commit
from tests.search.conftest import SEEDS, whoosh_index_in
from tests.search.made_up import made_up_article, seed_vocabulary

pytestmark = pytest.mark.whoosh_only

MIN_POSTINGS = 20  # low enough that the made-up corpus has long lists in every segment


@pytest.fixture(scope="module")
def _search_index_in_tmp(tmp_path_factory):
    with whoosh_index_in(tmp_path_factory.mktemp("posting-store") / "whoosh"):
        yield


@pytest.fixture(scope="module")
def _corpus_rows(_search_index_in_tmp, django_db_setup, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("posting-store-corpus")
    vocabulary = seed_vocabulary()
    with (
        override_settings(SEARCH_POSTING_STORE_MIN_POSTINGS=MIN_POSTINGS),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        assert not articles_ingest(paths=[SEEDS]).failed
        for batch in range(2):
            path = folder / f"batch-{batch}.jsonl"
            rows = [made_up_article(n, vocabulary) for n in range(batch * 60, (batch + 1) * 60)]
            path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows), encoding="utf-8")
            assert not articles_ingest(paths=[path]).failed
        search_index_sync()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def index(_corpus_rows, db):
    posting_store_forget()
    return connections["default"].get_backend().store.live_index()


def _leaves(index):
    searcher = index.searcher()
    return searcher, [subsearcher.reader() for subsearcher, _ in searcher.leaf_searchers()]


def _store_files(index) -> set[str]:
    return {name for name in os.listdir(index.storage.folder) if name.endswith(".dposts")}


def test_it_holds_each_long_list_as_whoosh_decodes_it(index):
    searcher, leaves = _leaves(index)
    with searcher:
        assert len(leaves) >= 2
        stored = 0
        for reader in leaves:
            for fieldname in set(TEXT_FIELDS) & set(reader.indexed_field_names()):
                for btext, terminfo in reader.iter_field(fieldname):
                    found = stored_postings(reader, fieldname, btext)
                    if terminfo.doc_frequency() < MIN_POSTINGS:
                        assert found is None, (fieldname, btext)
                        continue
                    ids, weights = postings_arrays(reader, fieldname, btext)
                    assert found is not None, (fieldname, btext)
                    assert found[0].dtype == ids.dtype and found[1].dtype == weights.dtype
                    assert np.array_equal(found[0], ids), (fieldname, btext)
                    assert np.array_equal(found[1], weights), (fieldname, btext)
                    stored += 1
        assert stored > 50


def test_it_ignores_a_store_that_does_not_belong_to_its_segment(index, caplog):
    searcher, leaves = _leaves(index)
    reader = max(leaves, key=lambda leaf: leaf.doc_count_all())
    path = Path(index.storage.folder) / store_filename(reader._segid)
    kept = path.read_bytes()
    term = next(btext for btext, info in reader.iter_field("text") if info.doc_frequency() >= MIN_POSTINGS)
    directory = json.dumps({"format": posting_store.FORMAT, "docs": reader.doc_count_all() + 1, "terms": []})
    try:
        with searcher:
            assert stored_postings(reader, "text", term) is not None
            for wrong in (
                posting_store.MAGIC + len(directory).to_bytes(8, "little") + directory.encode(),
                b"not a store",
            ):
                path.write_bytes(wrong)
                posting_store_forget()
                caplog.clear()
                assert stored_postings(reader, "text", term) is None
                assert stored_postings(reader, "text", term) is None
                assert caplog.text.count(f"Posting store {path} ignored") == 1  # looked at once
            # Its directory whole, its data damaged: each term is then read from Whoosh's blocks.
            path.write_bytes(_data_zeroed(kept))
            posting_store_forget()
            caplog.clear()
            assert stored_postings(reader, "text", term) is None
            assert "unreadable" in caplog.text
    finally:
        path.write_bytes(kept)
        posting_store_forget()


def _data_zeroed(store: bytes) -> bytes:
    """The store with its directory whole and every byte after it zero."""
    header = len(posting_store.MAGIC) + 8 + int.from_bytes(store[len(posting_store.MAGIC) : 16], "little")
    return store[:header] + bytes(len(store) - header)


def test_it_is_reported_by_check_index_and_rewritten_by_its_fix(index, capsys):
    searcher, leaves = _leaves(index)
    reader = max(leaves, key=lambda leaf: leaf.doc_count_all())
    term = next(btext for btext, info in reader.iter_field("text") if info.doc_frequency() >= MIN_POSTINGS)
    folder = Path(index.storage.folder)
    damaged = folder / store_filename(reader._segid)
    deleted = next(folder / name for name in sorted(_store_files(index)) if folder / name != damaged)
    paths = sorted(folder / name for name in _store_files(index))
    kept = {path: path.read_bytes() for path in paths}
    line = "posting stores (one per segment): {} of {}"
    try:
        with searcher, translation.override("en"):
            call_command("check_index")
            assert line.format(len(paths), len(paths)) + "\n" in capsys.readouterr().out
            deleted.unlink()
            damaged.write_bytes(_data_zeroed(kept[damaged]))  # opens, but its postings do not decode
            call_command("check_index")  # not drift: no error
            out = capsys.readouterr().out
            assert line.format(len(paths) - 2, len(paths)) + " (run with --fix to write the rest)" in out
            # This process has read the damaged store: it reads the rewritten one, not what it remembers.
            assert stored_postings(reader, "text", term) is None
            call_command("check_index", "--fix")
            assert line.format(len(paths), len(paths)) + "\n" in capsys.readouterr().out
            assert {path: path.read_bytes() for path in paths} == kept  # written again from the segments
            ids, _weights = stored_postings(reader, "text", term)
            assert np.array_equal(ids, postings_arrays(reader, "text", term)[0])
    finally:
        for path, data in kept.items():
            path.write_bytes(data)
        posting_store_forget()


def test_it_is_written_with_each_commit_and_deleted_with_its_segment(index):
    before = _store_files(index)
    segments = {segment.segment_id() for segment in TOC.read(index.storage, index.indexname).segments}
    assert before == {store_filename(segment_id) for segment_id in segments}

    searcher, leaves = _leaves(index)
    with searcher:
        for reader in leaves:  # this process reads the stores of the segments about to be merged
            stored_postings(reader, "text", next(reader.lexicon("text")))
    assert _open_stores_deleted() == [] and _open_stores()

    # Whoosh merges every segment into one: the old segments' stores go with them.
    with override_settings(SEARCH_POSTING_STORE_MIN_POSTINGS=MIN_POSTINGS):
        commit(acquire_writer(index), optimize=True)
    (merged,) = TOC.read(index.storage, index.indexname).segments
    assert _store_files(index) == {store_filename(merged.segment_id())}
    searcher, (reader,) = _leaves(index)
    with searcher:
        term = next(btext for btext, info in reader.iter_field("text") if info.doc_frequency() >= 50)
        stored, _ = stored_postings(reader, "text", term)
        assert np.array_equal(stored, postings_arrays(reader, "text", term)[0])
    # Opening the new store let go of the deleted ones: their disk space is freed.
    assert _open_stores_deleted() == []
    assert [Path(name).name for name in _open_stores()] == [store_filename(merged.segment_id())]


def _open_stores() -> list[str]:
    """The store files this process has open (as /proc shows them, " (deleted)" after a deleted one)."""
    links = []
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(FileNotFoundError):  # the listing's own descriptor, closed by now
            links.append(os.readlink(f"/proc/self/fd/{fd}"))
    return [link for link in links if ".dposts" in link]


def _open_stores_deleted() -> list[str]:
    return [link for link in _open_stores() if link.endswith(" (deleted)")]


@pytest.mark.parametrize(
    ("ids", "weights"),
    [
        ([0, 1, 2, 70_000, 200_000], [1.0, 2.0, 255.0, 3.0, 1.0]),  # a gap past uint16
        ([5, 9, 11], [0.5, 1.0, 300.0]),  # weights that are not small whole numbers
        ([3], [1.0]),
    ],
)
def test_it_keeps_wide_gaps_and_weights_of_any_kind_exactly(ids, weights):
    ids = np.array(ids, dtype=np.int32)
    weights = np.array(weights, dtype=np.float32)
    chunk, gap_type, weight_type = posting_store._encode(ids, weights)
    found = posting_store._decode(zlib.decompress(chunk), len(ids), np.dtype(gap_type), np.dtype(weight_type))
    assert np.array_equal(found[0], ids) and found[0].dtype == np.int32
    assert np.array_equal(found[1], weights) and found[1].dtype == np.float32


def test_the_whoosh_internals_it_relies_on(index):
    # Whoosh deletes a store with its segment only if the name matches its segment file pattern.
    searcher, leaves = _leaves(index)
    with searcher:
        for reader in leaves:
            pattern = TOC._segment_pattern(index.indexname)
            assert pattern.match(store_filename(reader._segid)).group(1) == reader._segid
            storage = reader._storage  # a compound segment reads through an overlay on the folder
            folder = getattr(storage, "folder", None) or storage.b.folder
            assert Path(folder) == Path(index.storage.folder)
            assert reader._segid == reader._segment.segment_id()
