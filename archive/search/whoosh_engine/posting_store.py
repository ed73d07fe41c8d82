"""The long posting lists of each Whoosh segment, kept beside it in a form cheap to read.

A common word's postings in Whoosh are hundreds of zlib-compressed, pickled blocks; at 157k articles
decoding them was half of the vectorised executor's time, and no in-process cache can hold them all
within the serving memory bound. So once a segment is committed, the document numbers and weights of
every term with at least `SEARCH_POSTING_STORE_MIN_POSTINGS` postings are written to `<segment id>.dposts`
in the index folder, read from Whoosh's own segment through `postings_arrays` (the same arrays the
executor would decode, so stored and decoded answers cannot differ; tests/search/test_posting_store.py
compares them). A query then reads a term's arrays with one `pread`: the bytes come from the page cache,
which the kernel may drop at will, not from the serving process's memory.

The file is derived and optional. A segment without one (an index written before this module, a writer
stopped between its commit and the file) is read from Whoosh's blocks as before; a file that does not
belong to its segment (another document count, another format) is ignored. The name matches Whoosh's
segment file pattern, so Whoosh deletes the file with its segment when a merge or a rebuild retires it.
A segment never changes once written (deletions are kept apart), so a file never goes stale.

Layout: the magic, the directory's length (8 bytes, little-endian), the directory as JSON (format, document
count, and per term its field, its bytes as Latin-1, where its data starts, its compressed size, its
posting count and the types of its gaps and weights), then per term, zlib-compressed, the gaps between
document numbers (uint16, or uint32 when a gap is larger) and the weights (uint8 when every weight is a
whole number below 256, as term frequencies are, else float32 as Whoosh stores them), each byte of a
value in a plane of its own.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import zlib
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from whoosh.index import TOC
from whoosh.reading import SegmentReader

from archive.search.schema import TEXT_FIELDS
from archive.search.whoosh_engine.segment_arrays import postings_arrays

log = logging.getLogger(__name__)

MAGIC = b"DIWANPS1"
FORMAT = 1
EXTENSION = "dposts"
_HEADER = len(MAGIC) + 8
# Directories of this many store files stay open in a process (a few hundred kB each at 40k documents).
OPEN_FILES = 64


def store_filename(segment_id: str) -> str:
    return f"{segment_id}.{EXTENSION}"


# --- writing ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EncodedStore:
    """A segment's long lists, encoded and compressed: what its store file holds after the directory."""

    terms: list  # per term: field, bytes as Latin-1, offset, compressed size, postings, gap and weight types
    chunks: list[bytes]


def posting_store_encode(postings: Iterable[tuple]) -> EncodedStore:
    """Encode a segment's long lists, (field, term bytes, doc numbers, weights) by field then term."""
    terms, chunks, offset = [], [], 0
    for fieldname, btext, ids, weights in postings:
        chunk, gap_type, weight_type = _encode(ids, weights)
        chunks.append(chunk)
        text = btext.decode("latin-1")
        terms.append([fieldname, text, offset, len(chunk), len(ids), gap_type, weight_type])
        offset += len(chunk)
    return EncodedStore(terms, chunks)


def posting_store_write(*, folder: str, segment_id: str, docs: int, encoded: EncodedStore) -> None:
    """Write the store of segment `segment_id` (of `docs` documents) into `folder`, under a temporary
    name and renamed, so that a reader sees a whole file or none."""
    terms, chunks = encoded.terms, encoded.chunks
    directory = json.dumps({"format": FORMAT, "docs": docs, "terms": terms}).encode("ascii")
    final = os.path.join(folder, store_filename(segment_id))
    # A dot first: Whoosh's file cleaning leaves it alone, and a failed write leaves no store behind.
    temporary = os.path.join(folder, f".{store_filename(segment_id)}.{os.getpid()}.{threading.get_ident()}")
    try:
        with open(temporary, "wb") as handle:
            handle.write(MAGIC + len(directory).to_bytes(8, "little") + directory)
            for chunk in chunks:
                handle.write(chunk)
        os.replace(temporary, final)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def stored_fields(fieldnames) -> list[str]:
    """The fields whose long lists a store holds, in the order it holds them."""
    return sorted(set(TEXT_FIELDS) & set(fieldnames))


def segment_long_lists(reader, *, min_postings: int) -> Iterator[tuple]:
    """(field, term bytes, doc numbers, weights) of each term of the segment with at least
    `min_postings` postings, as the executor decodes them from Whoosh's blocks."""
    for fieldname in stored_fields(reader.indexed_field_names()):
        for btext, terminfo in reader.iter_field(fieldname):
            if terminfo.doc_frequency() >= min_postings:
                yield (fieldname, btext, *postings_arrays(reader, fieldname, btext))


def _encode(ids: np.ndarray, weights: np.ndarray) -> tuple[bytes, str, str]:
    """A term's postings as (compressed bytes, gap type, weight type): the gaps between document numbers
    and the weights in the narrowest exact type (term frequencies are small whole numbers), each byte of
    a gap in a plane of its own (the high bytes are nearly all zero, which compresses to little), then
    compressed. About one byte a posting, and a tenth of the time Whoosh's pickled blocks take to read."""
    gaps = np.diff(ids.astype(np.int64), prepend=-1)
    gap_type = np.dtype("<u2" if gaps.max(initial=0) < 1 << 16 else "<u4")
    narrow = weights.astype(np.uint8)
    exact = len(weights) == 0 or (weights.min() >= 0 and np.array_equal(narrow.astype(np.float32), weights))
    weight_type = np.dtype("u1" if exact else "<f4")
    raw = _planes(gaps.astype(gap_type)) + _planes(narrow if exact else weights.astype(weight_type))
    return zlib.compress(raw, 6), gap_type.str, weight_type.str


def _planes(values: np.ndarray) -> bytes:
    return values.view(np.uint8).reshape(-1, values.itemsize).T.tobytes()


def _unplanes(raw: bytes, dtype: np.dtype, count: int, offset: int) -> np.ndarray:
    planes = np.frombuffer(raw, dtype=np.uint8, count=count * dtype.itemsize, offset=offset)
    return np.ascontiguousarray(planes.reshape(dtype.itemsize, count).T).view(dtype).reshape(count)


def _decode(raw: bytes, count: int, gap_type: np.dtype, weight_type: np.dtype) -> tuple[np.ndarray, ...]:
    """(doc numbers as int32, weights as float32) of what `_encode` made, once decompressed."""
    gaps = _unplanes(raw, gap_type, count, 0)
    weights = _unplanes(raw, weight_type, count, count * gap_type.itemsize)
    ids = np.cumsum(gaps, dtype=np.int64) - 1
    return ids.astype(np.int32), weights.astype(np.float32)


def posting_store_complete(*, storage, indexname: str, schema, verify: bool = False) -> None:
    """Write the store of each segment of the index's latest generation that has none, and with `verify`
    also of each whose store does not open or fit its segment. Called after every commit (without
    `verify`: a stat per segment): a new segment is stored before the next search of a process that did
    not write it is likely to need it (until then it is read from Whoosh's blocks)."""
    folder = getattr(storage, "folder", None)
    if folder is None:  # an index in memory: nothing to keep beside it
        return
    for segment in TOC.read(storage, indexname, schema=schema).segments:
        segment_id = segment.segment_id()
        path = os.path.join(folder, store_filename(segment_id))
        if os.path.exists(path) and (not verify or _readable(path, segment.doc_count_all())):
            continue
        reader = SegmentReader(storage, schema, segment)
        try:
            long_lists = segment_long_lists(reader, min_postings=settings.SEARCH_POSTING_STORE_MIN_POSTINGS)
            encoded = posting_store_encode(long_lists)
            docs = reader.doc_count_all()
            posting_store_write(folder=folder, segment_id=segment_id, docs=docs, encoded=encoded)
        finally:
            reader.close()


def posting_store_status(*, storage, indexname: str, schema) -> tuple[int, int]:
    """(segments whose store opens and fits the segment, segments) of the latest generation of an index
    on disk (`storage.folder`)."""
    folder = storage.folder
    segments = TOC.read(storage, indexname, schema=schema).segments
    present = sum(
        _readable(os.path.join(folder, store_filename(segment.segment_id())), segment.doc_count_all())
        for segment in segments
    )
    return present, len(segments)


def _readable(path: str, docs: int) -> bool:
    """Whether the store at `path` opens as the store of a segment of `docs` documents, every term's
    postings decompressing to their stated size (what a search would find wrong, term by term)."""
    try:
        store = _StoreFile(path, docs)
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return all(store.raw(entry) is not None for entry in store.terms.values())


# --- reading ----------------------------------------------------------------------------------------


class _StoreFile:
    """One store file's directory, and the file kept open (a retired segment's file may be deleted
    meanwhile; what is open stays readable). Never closed explicitly: a thread may be reading it when it
    is dropped from the open files, so it closes when the last reference goes."""

    def __init__(self, path: str, docs: int):
        self._file = open(path, "rb", buffering=0)  # noqa: SIM115 (closed with the object)
        self.fd = self._file.fileno()
        head = os.pread(self.fd, _HEADER, 0)
        if len(head) != _HEADER or head[: len(MAGIC)] != MAGIC:
            raise ValueError(f"{path}: not a posting store")
        length = int.from_bytes(head[len(MAGIC) :], "little")
        directory = json.loads(os.pread(self.fd, length, _HEADER))
        if directory.get("format") != FORMAT or directory.get("docs") != docs:
            raise ValueError(f"{path}: format {directory.get('format')} for {directory.get('docs')} docs")
        self.path = path
        self.identity = _identity(os.fstat(self.fd))
        self.damaged = False  # set by the first term that does not decode
        self.data_start = _HEADER + length
        self.terms = {
            (fieldname, text.encode("latin-1")): (offset, size, count, np.dtype(gaps), np.dtype(weights))
            for fieldname, text, offset, size, count, gaps, weights in directory["terms"]
        }

    def read(self, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray] | None:
        found = self.terms.get((fieldname, btext))
        if found is None:
            return None
        raw = self.raw(found)
        if raw is None:
            # A damaged file: this term is read from Whoosh's blocks, which the store only repeats.
            self.damaged = True
            log.warning("Posting store %s: term %r of %s unreadable", self.path, btext, fieldname)
            return None
        _offset, _size, count, gap_type, weight_type = found
        return _decode(raw, count, gap_type, weight_type)

    def raw(self, entry: tuple) -> bytes | None:
        """A term's postings (its directory `entry`) decompressed, or None where they are damaged."""
        offset, size, count, gap_type, weight_type = entry
        try:
            raw = zlib.decompress(os.pread(self.fd, size, self.data_start + offset))
        except (OSError, zlib.error):
            return None
        return raw if len(raw) == count * (gap_type.itemsize + weight_type.itemsize) else None


def _identity(stat: os.stat_result) -> tuple[int, int, int]:
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


class _Unfit:
    """A store file that did not open as its segment's: remembered (and logged) once per version of it."""

    damaged = True

    def __init__(self, identity: tuple[int, int, int] | None):
        self.identity = identity


_open: OrderedDict[str, _StoreFile | _Unfit] = OrderedDict()
_open_lock = threading.Lock()


def _store_of(reader) -> _StoreFile | None:
    """The store of the segment `reader` reads, or None (no file yet, or one that does not fit)."""
    # A compound segment's reader reads through an overlay of its compound file (`a`) on the folder (`b`).
    storage = reader._storage
    folder = getattr(storage, "folder", None) or getattr(getattr(storage, "b", None), "folder", None)
    if folder is None:
        return None
    path = os.path.join(folder, store_filename(reader._segid))
    with _open_lock:
        known = _open.get(path)
        if known is not None:
            _open.move_to_end(path)
    if known is not None and known.damaged:
        # A store that did not fit or decode is looked at again once its file changed (`check_index
        # --fix` writes it anew): a stat per search of that segment until then, none for a sound store.
        try:
            current = _identity(os.stat(path))
        except OSError:
            current = None
        if current != known.identity:
            with _open_lock:
                if _open.get(path) is known:
                    del _open[path]
            known = None
    if known is not None:
        return known if isinstance(known, _StoreFile) else None
    if not os.path.exists(path):
        return None  # not remembered: the writer may store it any moment
    try:
        found = _StoreFile(path, reader.doc_count_all())
    except (OSError, ValueError, KeyError, TypeError):
        log.warning("Posting store %s ignored", path, exc_info=True)
        try:
            found = _Unfit(_identity(os.stat(path)))
        except OSError:
            found = _Unfit(None)
    with _open_lock:
        if path in _open:  # another thread opened it meanwhile
            found = _open[path]
        else:
            _open[path] = found
            # The files of segments a merge or a rebuild retired: let go, so that their disk space is freed.
            gone = [other for other in _open if other != path and not os.path.exists(other)]
            while len(_open) - len(gone) > OPEN_FILES:
                gone.append(next(other for other in _open if other not in gone))
            for other in gone:
                del _open[other]
    return found if isinstance(found, _StoreFile) else None


def stored_postings(reader, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray] | None:
    """The term's (segment doc numbers ascending, weights) from the segment's store, deleted documents
    included, as `postings_arrays` gives them; None when the store does not hold the term."""
    store = _store_of(reader)
    return None if store is None else store.read(fieldname, btext)


def posting_store_forget() -> None:
    """Drop every store file this process holds open (tests that replace a file call this)."""
    with _open_lock:
        _open.clear()
