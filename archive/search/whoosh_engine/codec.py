"""How the Whoosh engine writes and reads its segments: Whoosh's codec with its defects in 2.7.5 mended.

Reading through mmap without copying into memory: Whoosh-Reloaded 2.7.5 wraps each part of a
memory-mapped segment in `BufferFile`, whose constructor does `BytesIO(memoryview)`: a full copy. A
searcher thus held the whole index in private memory (515 MB RSS for the 31.5k-article corpus, 176 MB
index) and every process of a server held its own copy. Turning mmap off avoids the copy but doubles query
latency (plain seeks and reads). This file-like view reads the mapped bytes in place, so a searcher costs
about the index's page cache, shared by all processes.
Writing: field lengths read once per field at commit, rare terms' postings inlined in the term dictionary
in a compact encoding, and the same for the processes of a multiprocess build (sections below).
"""

import struct
import sys
from array import array

from whoosh import multiproc, writing
from whoosh.codec.whoosh3 import (
    W3Codec,
    W3FieldCursor,
    W3FieldWriter,
    W3PostingsWriter,
    W3TermInfo,
    W3TermsReader,
)
from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile
from whoosh.matching import ListMatcher
from whoosh.reading import TermNotFound
from whoosh.system import _LONG_SIZE, pack_long, pack_ushort, unpack_long
from whoosh.util.numeric import length_to_byte
from whoosh.util.varints import varint

# An index's table of contents pickles its segments, and each segment its codec (`Codec` below) by
# module path. Indexes written before this module had its name call it `archive.search.whoosh_io`: the
# old name stays importable, so that those indexes open (and are rebuilt) without taking search down.
sys.modules.setdefault("archive.search.whoosh_io", sys.modules[__name__])


class _MemoryViewReader:
    """The read-only file methods Whoosh and pickle use, over a memoryview, without copying it."""

    __slots__ = ("_buf", "_pos")

    def __init__(self, buf):
        self._buf = buf
        self._pos = 0

    def read(self, size=-1):
        end = len(self._buf) if size is None or size < 0 else min(len(self._buf), self._pos + size)
        data = bytes(self._buf[self._pos : end])
        self._pos = max(self._pos, end)
        return data

    def readinto(self, target):
        data = self.read(len(target))
        target[: len(data)] = data
        return len(data)

    def readline(self, size=-1):
        buf, start = self._buf, self._pos
        limit = len(buf) if size is None or size < 0 else min(len(buf), start + size)
        end = start
        while end < limit and buf[end] != 10:
            end += 1
        return self.read(min(end + 1, limit) - start)

    def seek(self, offset, whence=0):
        base = (0, self._pos, len(self._buf))[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self):
        return self._pos

    def __iter__(self):
        while line := self.readline():
            yield line

    def flush(self):
        pass

    def close(self):
        self._buf = memoryview(b"")


class ZeroCopyBufferFile(BufferFile):
    def __init__(self, buf, name=None, onclose=None):
        super().__init__(b"", name=name, onclose=onclose)
        self._buf = buf
        self.file = _MemoryViewReader(buf)


def install() -> None:
    compound.BufferFile = ZeroCopyBufferFile


INLINE_LIMIT = 16  # postings kept in the term dictionary (see `Codec` and `CompactTermInfo`)


# --- writing: field lengths read once per field, not once per posting ---------------------------------------


class _CachedLengths:
    """A per-document reader whose field lengths are read once per field into a list.

    When a writer commits, Whoosh asks for the field length of every posting it writes (for the block
    statistics BM25 uses): one column lookup and byte decoding per posting, a quarter of the commit. The
    lengths of a new segment no longer change at that point, so one pass per field serves them all.
    """

    def __init__(self, reader):
        self._reader = reader
        self._lengths: dict[str, list] = {}

    def __getattr__(self, name):
        return getattr(self._reader, name)

    def field_lengths(self, fieldname: str, default=0) -> list:
        """Every document's length of `fieldname`, as `doc_field_length` gives them."""
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            read = self._reader.doc_field_length
            lengths = [read(doc, fieldname, default) for doc in range(self._reader.doc_count_all())]
            self._lengths[fieldname] = lengths
        return lengths

    def doc_field_length(self, docnum, fieldname, default=0):
        lengths = self.field_lengths(fieldname, default)
        if 0 <= docnum < len(lengths):
            return lengths[docnum]
        return self._reader.doc_field_length(docnum, fieldname, default)


class SegmentWriter(writing.SegmentWriter):
    """Whoosh's segment writer, with the field lengths cached while it commits, writing with `Codec`."""

    def __init__(self, index, **kwargs):
        kwargs.setdefault("codec", Codec())
        super().__init__(index, **kwargs)

    def per_document_reader(self):
        return _CachedLengths(super().per_document_reader())


class _PostingsWriter(W3PostingsWriter):
    """Whoosh's postings writer with inlining that works (2.7.5 calls a misspelled `set_inline`)."""

    def finish_postings(self):
        terminfo = self._terminfo
        if not self.written() and len(self) <= self._inlinelimit:
            terminfo.add_block(self)
            terminfo.set_inlined(self._ids, self._weights, self._values)
            self._terminfo = None
            return terminfo
        return super().finish_postings()


class _InlinedMatcher(ListMatcher):
    """The postings of an inlined term, whose value is bytes even when the format stores none.

    Whoosh's `ListMatcher.value()` answers the text "" for postings without values (word frequencies
    only, as in fields without positions). Searching never asks, but merging segments copies every
    posting with its value into a pool that accepts bytes only (`AssertionError: vbytes=''`), so the first
    merge of a segment holding such a term failed, and every incremental write after it.
    """

    def value(self):
        return super().value() if self._values else b""

    def supports_block_quality(self):
        # The list's bounds come from the term's header, where lengths are rounded to a byte: a top-N
        # search that skips by them dropped documents that belonged in it (ARCD MRR@10 0.804 -> 0.793
        # with terms of up to 16 postings inlined). A list this short gains nothing from skipping anyway.
        return False


# --- a compact term dictionary ------------------------------------------------------------------------
#
# Whoosh writes the postings of an inlined term with `pickle` (about 35 bytes for a single posting: the
# protocol header, three tuples, a float in 9 bytes); most Arabic word forms occur in one or two articles,
# so that was a fifth of the index. `CompactTermInfo` keeps Whoosh's fixed header (readers read the
# weight and document frequency at fixed offsets) and writes the postings as varints: a single posting
# needs only its value (its id and weight are the header's), a few more need their id gaps and weights.
# Its flag byte is 2 where Whoosh's is 1, so segments written before are read as they were.

_COMPACT = 2
_FLOAT = struct.Struct("!f")


def _read_varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


class CompactTermInfo(W3TermInfo):
    def to_bytes(self):
        if not self.is_inlined():
            return super().to_bytes()
        ids, weights, values = self._inlined
        if values and len(values) != len(ids):
            return super().to_bytes()  # some postings without a value: Whoosh's own encoding
        # Whoosh's header with the flag byte changed (its own `to_bytes` would pickle the postings too).
        header = self._struct.pack(
            _COMPACT,
            self._weight,
            self._df,
            length_to_byte(self._minlength),  # 0 for None, as Whoosh writes it
            length_to_byte(self._maxlength),
            self._maxweight,
            0xFFFFFFFF if self._minid is None else self._minid,
            0xFFFFFFFF if self._maxid is None else self._maxid,
        )
        return header + _compact_postings(ids, weights, values)

    @classmethod
    def from_bytes(cls, s):
        if s[0] != _COMPACT:
            return super().from_bytes(s)
        plain = bytearray(s[: cls._struct.size])
        plain[0] = 0
        terminfo = super().from_bytes(bytes(plain) + b"\x00" * 12)
        pos = cls._struct.size
        count, pos = _read_varint(s, pos)
        if count == 1:
            ids, weights = (terminfo._minid,), (terminfo._weight,)
        else:
            first, pos = _read_varint(s, pos)
            ids = [first]
            for _ in range(count - 1):
                gap, pos = _read_varint(s, pos)
                ids.append(ids[-1] + gap)
            weights = []
            for _ in range(count):
                weights.append(_FLOAT.unpack_from(s, pos)[0])
                pos += _FLOAT.size
        has_values = s[pos]
        pos += 1
        values = []
        if has_values:
            for _ in range(count):
                length, pos = _read_varint(s, pos)
                values.append(bytes(s[pos : pos + length]))
                pos += length
        terminfo._offset = terminfo._length = None
        terminfo._inlined = (tuple(ids), tuple(weights), tuple(values))
        return terminfo


def _compact_postings(ids, weights, values) -> bytes:
    """The postings of an inlined term after its header: their count, the ids' gaps and the weights
    (for a single posting they are the header's), then the values."""
    out = [varint(len(ids))]
    if len(ids) > 1:
        previous = ids[0]
        out.append(varint(previous))
        for docid in ids[1:]:
            out.append(varint(docid - previous))
            previous = docid
        out.append(struct.pack(f"!{len(weights)}f", *weights))
    if values:
        out.append(b"\x01")
        for value in values:
            out.append(varint(len(value)))
            out.append(value)
    else:
        out.append(b"\x00")
    return b"".join(out)


def inlined_term_bytes(
    ids: list[int], weights: list[float], values: list[bytes], lengths: list[int]
) -> bytes | None:
    """The term-dictionary record of a term whose postings (at most INLINE_LIMIT, ids ascending; each
    posting's weight, value and field length) are inlined: the bytes `_FieldWriter` writes through
    `start_term`, `_PostingsWriter` and `CompactTermInfo.to_bytes`, without their objects (a rebuild
    writes hundreds of thousands of such terms). None where Whoosh's own encoding applies."""
    values = [value for value in values if value]  # as `add_posting` keeps them
    if values and len(values) != len(ids):
        return None
    stored = array("f", weights)  # the block's weights as Whoosh buffers them
    heaviest = max(weights)
    nonzero = [length for length in lengths if length]
    header = W3TermInfo._struct.pack(
        _COMPACT,
        sum(stored),
        len(ids),
        length_to_byte(min(nonzero)) if nonzero else 0,
        length_to_byte(max(nonzero)) if nonzero else 0,
        heaviest if heaviest > 0 else 0,
        ids[0],
        ids[-1],
    )
    return header + _compact_postings(ids, stored, values)


_EXTENT = W3TermInfo._struct.size  # where a record's postings offset starts (after Whoosh's header)


def term_record_moved(record: bytes, by: int) -> bytes:
    """A term-dictionary record whose postings were written `by` bytes earlier in their file than where
    they end up (a share of a segment's postings written apart, then appended): the offset moved along.
    An inlined record (Whoosh's or the compact one) points nowhere and stays as it is."""
    if record[0] != 0:
        return record
    (offset,) = unpack_long(record[_EXTENT : _EXTENT + _LONG_SIZE])
    return record[:_EXTENT] + pack_long(offset + by) + record[_EXTENT + _LONG_SIZE :]


class _FieldWriter(W3FieldWriter):
    def start_term(self, btext):
        if self._postwriter is None:
            raise Exception("Called start_term before start_field")
        self._btext = btext
        self._postwriter.start_postings(self._fieldobj.format, CompactTermInfo())

    def finish_term(self):
        terminfo = self._postwriter.finish_postings()
        self._tindex.add(pack_ushort(self._fieldid) + self._btext, terminfo.to_bytes())


class _FieldCursor(W3FieldCursor):
    def term_info(self):
        if self._pos is None:
            return None
        return CompactTermInfo.from_bytes(self._tindex.dbfile.get(self._datapos, self._datalen))


class _TermsReader(W3TermsReader):
    def cursor(self, fieldname, fieldobj):
        return _FieldCursor(self._tindex, fieldname, self._keycoder, self._keydecoder, fieldobj)

    def items(self):
        decode = CompactTermInfo.from_bytes
        return ((self._keydecoder(key), decode(value)) for key, value in self._tindex.items())

    def items_from(self, fieldname, prefix):
        decode = CompactTermInfo.from_bytes
        items = self._tindex.items_from(self._keycoder(fieldname, prefix))
        return ((self._keydecoder(key), decode(value)) for key, value in items)

    def term_info(self, fieldname, tbytes):
        try:
            return CompactTermInfo.from_bytes(self._tindex[self._keycoder(fieldname, tbytes)])
        except KeyError:
            raise TermNotFound(f"No term {fieldname}:{tbytes!r}") from None


class Codec(W3Codec):
    """Whoosh's codec, with rare terms' postings kept in the term dictionary.

    Every term whose postings have a block of their own in the postings file costs a block header and a
    compressed stream (about 50 bytes) however few postings it has; most Arabic word forms occur in a
    handful of articles. With the inlining Whoosh 2.7.5 meant to have (its limit check never passes and
    the inlining call is misspelled), those postings sit beside the term instead.
    """

    def __init__(self, blocklimit=256, compression=9, inlinelimit=INLINE_LIMIT):
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)

    def field_writer(self, storage, segment):
        return _FieldWriter(self, storage, segment)

    def terms_reader(self, storage, segment):
        name = segment.make_filename(self.TERMS_EXT)
        postings = segment.open_file(storage, self.POSTS_EXT)
        return _TermsReader(self, storage.open_file(name), storage.file_length(name), postings)

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        if terminfo.is_inlined():
            ids, weights, values = terminfo.inlined_postings()
            return _InlinedMatcher(ids, weights, values, format_, scorer=scorer, term=term, terminfo=terminfo)
        return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)

    def postings_writer(self, dbfile, byteids=False):
        return _PostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )


# --- building with several processes ------------------------------------------------------------------------


class _SubWriterTask(multiproc.SubWriterTask):
    """Whoosh's sub-writer process, writing with `SegmentWriter` above (its own uses the stock writer:
    no inlined postings, field lengths read once per posting at commit)."""

    def run(self):
        ix = self.storage.open_index(self.indexname)
        writer = self.writer = SegmentWriter(ix, _lk=False, **self.kwargs)
        while self.running:
            jobinfo = self.jobqueue.get()
            if jobinfo is None:
                break
            self._process_file(*jobinfo)
        if not self.running:
            writer.cancel()
            return
        if self.multisegment:
            result = (None, writer.pool.fieldnames, writer._finalize_segment())
        else:
            # Its postings sorted into one run on disk, which the parent merges with the others'.
            result = multiproc.finish_subsegment(writer, self.kwargs.get("k", 64))
        self.resultqueue.put(result, timeout=60)


class MpWriter(multiproc.MpWriter):
    """Whoosh's multiprocessing writer, with `SegmentWriter`'s codec and cached field lengths throughout.

    The parent reads and prepares the documents; each of `procs` child processes analyses its share
    into a posting pool of `limitmb`. At commit the parent merges the children's postings into one
    segment (`multisegment=False`: the index is as compact as one written by one process), or lists the
    children's segments as they are (`multisegment=True`: faster, but every segment repeats the terms
    the others have, about a quarter more on disk for two, and searches read them all).
    """

    def __init__(self, index, *, procs: int, limitmb: int, multisegment: bool = False, batchsize: int = 200):
        super().__init__(
            index,
            procs=procs,
            batchsize=batchsize,
            multisegment=multisegment,
            subargs={"limitmb": limitmb, "codec": Codec()},
            codec=Codec(),
            limitmb=limitmb,
        )

    def _new_task(self):
        task = _SubWriterTask(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment
        )
        self.tasks.append(task)
        task.start()
        return task

    def _merge_subsegments(self, results, mergetype):
        """Whoosh's merge of the children's runs, with the field lengths read once per field."""
        schema = self.schema
        schemanames = set(schema.names())
        sources = []
        if self._added:
            sources.append(self.pool.iter_postings())
        readers = []
        for runname, fieldnames, segment in results:
            fieldnames = set(fieldnames) | schemanames
            reader = self.codec.per_document_reader(self.storage, segment)
            readers.append(reader)
            basedoc = self.docnum
            self.write_per_doc(fieldnames, reader)
            sources.append(self._read_and_renumber_run(runname, basedoc))
        self.perdocwriter.close()
        readers.insert(0, self.per_document_reader())
        lengths = multiproc.base.MultiPerDocumentReader(readers)
        try:
            self.fieldwriter.add_postings(schema, _CachedLengths(lengths), multiproc.imerge(sources))
        finally:
            lengths.close()
        self._added = True
