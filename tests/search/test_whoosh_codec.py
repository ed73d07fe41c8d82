"""The Whoosh engine's codec: the in-place reader of memory-mapped index parts behaves like the file Whoosh
expects, and the compact term dictionary finds what Whoosh's own finds."""

import pickle

import pytest
from whoosh import index
from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import QueryParser

from archive.search.whoosh_engine import codec
from archive.search.whoosh_engine.codec import Codec, SegmentWriter, ZeroCopyBufferFile

pytestmark = pytest.mark.whoosh_only


def test_it_reads_seeks_and_unpickles_without_copying_the_buffer():
    data = b"first line\n" + pickle.dumps({"مفتاح": [1, 2, 3]}) + b"tail"
    view = memoryview(data)
    part = ZeroCopyBufferFile(view, name="part")
    assert part.readline() == b"first line\n"
    assert pickle.load(part.file) == {"مفتاح": [1, 2, 3]}
    assert part.read() == b"tail"
    part.seek(0)
    assert part.read(5) == b"first"
    assert part.tell() == 5
    assert part.get(6, 4) == b"line"
    assert part._buf is view


# --- the compact term dictionary -----------------------------------------------------------------------

WORDS = ["نادر", "قليل", "شائع"]


def _documents():
    """Terms in 1, 3 and 40 documents (inlined compactly, inlined, in a block), some in phrases."""
    for number in range(40):
        words = ["شائع", "جدا"]
        if number < 3:
            words += ["قليل", "ومكرر", "قليل"]
        if number == 7:
            words += ["نادر", "جدا"]
        yield {"key": str(number), "body": " ".join(words), "tags": " ".join(words[:2])}


def _index(path, codec):
    schema = Schema(key=ID(stored=True), body=TEXT(phrase=True), tags=TEXT(phrase=False))
    path.mkdir()
    ix = index.create_in(str(path), schema)
    documents = list(_documents())
    for half in (documents[:20], documents[20:]):  # two segments, then merged
        writer = SegmentWriter(ix, codec=codec)
        for document in half:
            writer.add_document(**document)
        writer.commit(merge=False)
    writer = SegmentWriter(ix, codec=codec)
    writer.commit(optimize=True)
    return ix


def _answers(ix):
    out = {}
    with ix.searcher() as searcher:
        for text in [*WORDS, '"قليل ومكرر"', '"نادر جدا"', "tags:شائع", "tags:قليل", "ومكرر OR نادر"]:
            query = QueryParser("body", ix.schema).parse(text)
            everything = [(hit["key"], round(hit.score, 4)) for hit in searcher.search(query, limit=None)]
            # A top-N search (which skips postings by their bounds) keeps the same first hits.
            top = [(hit["key"], round(hit.score, 4)) for hit in searcher.search(query, limit=2)]
            assert top == everything[:2], text
            out[text] = everything
    return out


def test_it_finds_with_the_compact_term_dictionary_what_whoosh_finds_with_its_own(tmp_path):
    compact = _answers(_index(tmp_path / "compact", Codec()))
    plain = _answers(_index(tmp_path / "plain", W3Codec()))

    assert compact == plain
    assert [key for key, _score in compact['"نادر جدا"']] == ["7"]
    assert len(compact["قليل"]) == 3 and len(compact["شائع"]) == 40
    assert sum(p.stat().st_size for p in (tmp_path / "compact").iterdir()) < sum(
        p.stat().st_size for p in (tmp_path / "plain").iterdir()
    )


def test_it_still_reads_an_index_written_before_the_compact_term_dictionary(tmp_path, monkeypatch):
    with monkeypatch.context() as patch:
        # The codec as it was: inlined postings pickled by Whoosh's own term info.
        patch.setattr(codec.Codec, "field_writer", lambda self, st, seg: W3FieldWriter(self, st, seg))
        ix = _index(tmp_path / "earlier", codec.Codec())
    with ix.reader() as reader:
        raw = {reader._terms._tindex[reader._terms._keycoder("body", word.encode())][0] for word in WORDS[:2]}
    assert raw == {1}  # the rare words were inlined, the old way

    # Read through the current codec, as an upgraded server opens the existing index.
    assert _answers(ix) == _answers(_index(tmp_path / "plain", W3Codec()))


def test_it_unpickles_the_codec_of_an_index_written_under_the_modules_earlier_name():
    # An index's table of contents pickles its segments with their codec, by module path.
    written = pickle.dumps(Codec(), protocol=0).replace(
        b"archive.search.whoosh_engine.codec", b"archive.search.whoosh_io"
    )
    assert b"archive.search.whoosh_io" in written
    assert isinstance(pickle.loads(written), Codec)
