"""Reading a Whoosh index through mmap without copying it into memory.

Whoosh-Reloaded 2.7.5 wraps each part of a memory-mapped segment in `BufferFile`, whose constructor does
`BytesIO(memoryview)`: a full copy. A searcher thus held the whole index in private memory (515 MB RSS
for the 31.5k-article corpus, 176 MB index) and every process of a server held its own copy. Turning
mmap off avoids the copy but doubles query latency (plain seeks and reads). This file-like view reads the
mapped bytes in place, so a searcher costs about the index's page cache, shared by all processes.
"""

from whoosh import multiproc, writing
from whoosh.codec.whoosh3 import W3Codec, W3PostingsWriter
from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile
from whoosh.matching import ListMatcher


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


INLINE_LIMIT = 1  # postings kept in the term dictionary (see `Codec`)


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

    def doc_field_length(self, docnum, fieldname, default=0):
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            read = self._reader.doc_field_length
            lengths = [read(doc, fieldname, default) for doc in range(self._reader.doc_count_all())]
            self._lengths[fieldname] = lengths
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


class Codec(W3Codec):
    """Whoosh's codec, with rare terms' postings kept in the term dictionary.

    Every term whose postings have a block of their own in the postings file costs a block header and a
    compressed stream (about 50 bytes) however few postings it has; most Arabic word forms occur in a
    handful of articles. With the inlining Whoosh 2.7.5 meant to have (its limit check never passes and
    the inlining call is misspelled), those postings sit beside the term instead.
    """

    def __init__(self, blocklimit=128, compression=3, inlinelimit=INLINE_LIMIT):
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)

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
