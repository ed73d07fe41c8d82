"""Whoosh's segments read as numpy arrays: postings, field lengths, deletions and sort columns.

Whoosh keeps writing, storing and merging the index; this module only reads what it wrote, through its
own readers and matchers: a term's postings come from the matcher `reader.postings()` returns, one block
at a time (Whoosh's own block reading and decompression), instead of one Python call per posting. What
each array holds is asserted against Whoosh's per-posting answers in tests/search/test_vector_internals.py,
so a changed pinned Whoosh fails there first.

The arrays of one searcher are kept in a `SearcherArrays` with a byte cap (`CACHE_BYTES`, least recently
used first out). A searcher sees one generation of the index, so its arrays never go stale; they are
dropped with it: the registry holds searchers weakly and forgets closed ones, and the backend closes a
searcher when the index changed. Searchers are per thread, so the memory bound is CACHE_BYTES per
serving thread.
"""

from __future__ import annotations

import io
import itertools
import pickle
import threading
import weakref
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterator

import numpy as np
from whoosh import formats
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.columns import NumericColumn
from whoosh.matching import ListMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.system import _INT_SIZE, unpack_int
from whoosh.util.numeric import byte_to_length

# What one searcher's arrays may hold: about 2.7M postings (int32 doc number and float32 weight each), or
# the lengths, deletions and date column of several million documents.
CACHE_BYTES = 24 * 1024 * 1024

# Whoosh stores a field's length per document as one byte; `byte_to_length` reads it back (lossily, as
# BM25F sees it). The same 256 values, as an array to index with the bytes.
LENGTH_OF_BYTE = np.array([byte_to_length(value) for value in range(256)], dtype=np.float64)

_EMPTY_IDS = np.zeros(0, dtype=np.int32)
_EMPTY_WEIGHTS = np.zeros(0, dtype=np.float32)


class UnreadablePostings(Exception):
    """A matcher of a kind this module cannot read as arrays (the query then runs on Whoosh's searcher)."""


class SearcherArrays:
    """The arrays read from one searcher's segments, kept up to `cap` bytes (least recently used out)."""

    def __init__(self, cap: int = CACHE_BYTES) -> None:
        self.cap = cap
        self.size = 0
        self._items: OrderedDict[tuple, tuple[object, int]] = OrderedDict()
        self._lock = threading.Lock()

    def _get(self, key: tuple):
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            self._items.move_to_end(key)
            return found[0]

    def _put(self, key: tuple, value, nbytes: int):
        if nbytes > self.cap:
            return value
        with self._lock:
            if key in self._items:
                return value
            self._items[key] = (value, nbytes)
            self.size += nbytes
            while self.size > self.cap:
                _, (_, dropped) = self._items.popitem(last=False)
                self.size -= dropped
        return value

    def postings(
        self, leaf: int, reader, fieldname: str, btext: bytes, values: list | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The term's (segment doc numbers ascending, weights), deleted documents included; when they are
        read from the segment (not kept from before), their encoded values go to `values` on the way."""
        key = ("postings", leaf, fieldname, btext)
        found = self._get(key)
        if found is None:
            ids, weights = postings_arrays(reader, fieldname, btext, values)
            found = self._put(key, (ids, weights), ids.nbytes + weights.nbytes)
        return found

    def has_term(self, leaf: int, reader, fieldname: str, btext: bytes) -> bool:
        """Whether the segment holds the term; asked again for each query that names it, and each look-up
        in Whoosh's term table is a few Python calls deep, so the answer is kept (about 100 bytes)."""
        key = ("has", leaf, fieldname, btext)
        found = self._get(key)
        if found is None:
            found = self._put(key, (fieldname, btext) in reader, 100 + len(btext))
        return found

    def lengths(self, leaf: int, reader, fieldname: str) -> np.ndarray:
        """Each document's length of `fieldname` as BM25F reads it (`doc_field_length`)."""
        key = ("lengths", leaf, fieldname)
        found = self._get(key)
        if found is None:
            found = self._put(key, *_sized(field_lengths(reader, fieldname)))
        return found

    def live(self, leaf: int, reader) -> np.ndarray | None:
        """A mask of the documents not deleted, or None when the segment has no deletions."""
        if not reader.has_deletions():
            return None
        key = ("live", leaf)
        found = self._get(key)
        if found is None:
            mask = np.ones(reader.doc_count_all(), dtype=bool)
            mask[np.fromiter(reader.deleted_docs_set, dtype=np.int64)] = False
            found = self._put(key, *_sized(mask))
        return found

    def numbers(self, leaf: int, reader, fieldname: str) -> np.ndarray | None:
        """A numeric column's values (Whoosh's sort keys, the column default where a document has none),
        or None when the field's column is not numeric."""
        key = ("numbers", leaf, fieldname)
        found = self._get(key)
        if found is None:
            column = numeric_column(reader, fieldname)
            if column is None:
                return None
            found = self._put(key, *_sized(column))
        return found

    def phrase(self, leaf: int, fieldname: str, words: tuple[bytes, ...]) -> np.ndarray | None:
        return self._get(("phrase", leaf, fieldname, words))

    def phrase_store(self, leaf: int, fieldname: str, words: tuple[bytes, ...], ids: np.ndarray) -> None:
        """The segment documents where `words` stand next to each other (positions are read once)."""
        self._put(("phrase", leaf, fieldname, words), ids, ids.nbytes)


def _sized(array: np.ndarray) -> tuple[np.ndarray, int]:
    return array, array.nbytes


_registry: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_registry_lock = threading.Lock()


def searcher_arrays(searcher) -> SearcherArrays:
    """The arrays of this searcher; those of closed searchers are dropped on the way."""
    with _registry_lock:
        for stale in [s for s in _registry if s.is_closed]:
            del _registry[stale]
        found = _registry.get(searcher)
        if found is None:
            found = _registry[searcher] = SearcherArrays()
        return found


def searcher_arrays_forget() -> None:
    """Drop every searcher's arrays (benchmarks that time the uncached path call this)."""
    with _registry_lock:
        _registry.clear()


# --- reading Whoosh's structures ------------------------------------------------------------------------


def leaf_matcher(reader, fieldname: str, btext: bytes):
    """The segment's own matcher of the term, without the wrapper that skips deleted documents (deletions
    are one mask over the whole query)."""
    matcher = reader.postings(fieldname, btext)
    if isinstance(matcher, FilterMatcher):
        # The wrapper moved its child past the first deleted documents (into a later block, maybe): back.
        matcher = matcher.child
        matcher.reset()
    return matcher


def postings_arrays(reader, fieldname: str, btext: bytes, values: list | None = None):
    """The term's (doc numbers, weights) arrays; its encoded values (positions) appended to `values`, if
    given, since the blocks are decompressed anyway."""
    matcher = leaf_matcher(reader, fieldname, btext)
    if isinstance(matcher, ListMatcher):  # postings kept in the term dictionary (a rare term)
        ids = np.asarray(matcher._ids, dtype=np.int32)
        if values is not None:
            values.extend(_value(matcher, index) for index in range(len(ids)))
        return ids, _list_weights(matcher, len(ids))
    id_blocks, weight_blocks = [], []
    for count, _, read in posting_blocks(matcher):
        deltas, weights, block_values = read(values=values is not None)
        id_blocks.append(np.cumsum(np.fromiter(deltas, dtype=np.int64, count=count)))
        weight_blocks.append(_block_weights(weights, count))
        if values is not None:
            values.extend(_block_values(matcher, block_values, count))
    if not id_blocks:
        return _EMPTY_IDS, _EMPTY_WEIGHTS
    return np.concatenate(id_blocks).astype(np.int32), np.concatenate(weight_blocks)


def posting_blocks(matcher) -> Iterator[tuple[int, int, Callable[[], tuple]]]:
    """(postings, last doc number, read) of each block of a W3LeafMatcher's posting list; `read()`
    decompresses and unpickles the block's (id gaps, weights, values), the values None with
    `values=False`.

    The layout is the one W3PostingsWriter._write_block writes and W3LeafMatcher._goto and _read_data read:
    after a 4-byte tag, per block a signed int (the length of what follows, negative for the last block),
    the pickled header (count, last id, max weight, compression, min and max length bytes), then the
    (compressed) pickled data. Each block is read here in two slices of the file, since the matcher's own
    header reads go through many small file reads each. (The posting list's total length is not usable:
    W3TermInfo.from_bytes keeps it as a 1-tuple; the last block's negative length ends the list.)
    """
    if not isinstance(matcher, W3LeafMatcher):
        raise UnreadablePostings(type(matcher).__name__)
    postfile = matcher._postfile
    position = matcher._baseoffset
    while True:
        length = unpack_int(postfile.get(position, _INT_SIZE))[0]
        chunk = postfile.get(position + _INT_SIZE, abs(length))
        header = io.BytesIO(chunk)
        count, last_id, _, compression, _, _ = pickle.load(header)
        data = memoryview(chunk)[header.tell() :]

        def read(data=data, compression=compression, *, values: bool = True):
            return _block_data(zlib.decompress(data) if compression else data, values=values)

        yield count, last_id, read
        if length < 0:
            return
        position += _INT_SIZE + abs(length)


# A block's data is the protocol-2 pickle of (id gaps, weights, values). Python 3 pickles each bytes value
# in protocol 2 as a call of `_codecs.encode` on a str, which makes the values nine tenths of the
# unpickling of a block with positions. When only ids and weights are wanted, the pickle is cut where the
# values' tuple opens (a MARK, then that global) and closed with None in their place (NONE, TUPLE3, STOP).
_VALUES_START = b"(c_codecs\nencode\n"
_NO_VALUES_END = b"N\x87."


def _block_data(data, *, values: bool) -> tuple:
    if not values:
        # The marker cannot stand inside the ids and weights before it: their opcodes (K, M, J, G)
        # recur every few bytes and are not in it. A tuple of one to three values has no MARK: read whole.
        data = bytes(data)
        cut = data.find(_VALUES_START)
        if cut > 0:
            return pickle.loads(data[:cut] + _NO_VALUES_END)
    return pickle.loads(data)


def _block_values(matcher: W3LeafMatcher, values, count: int):
    # As W3LeafMatcher._read_values: a tuple of bytes for variable sizes, one joined string for fixed ones.
    size = matcher._fixedsize
    if size is None or size < 0:
        return values
    if size == 0:
        return (None,) * count
    return tuple(values[i : i + size] for i in range(0, len(values), size))


def _block_weights(weights, count: int) -> np.ndarray:
    # As W3LeafMatcher._read_weights: None when every weight is 1, one float when all are equal.
    if weights is None:
        return np.ones(count, dtype=np.float32)
    if isinstance(weights, float):
        return np.full(count, weights, dtype=np.float32)
    return np.asarray(weights, dtype=np.float32)


def _list_weights(matcher: ListMatcher, count: int) -> np.ndarray:
    # As ListMatcher.weight(): one weight for all, else the list, else 1.0.
    if matcher._all_weights:
        return np.full(count, matcher._all_weights, dtype=np.float32)
    if matcher._weights:
        return np.asarray(matcher._weights, dtype=np.float32)
    return np.ones(count, dtype=np.float32)


def term_values(reader, fieldname: str, btext: bytes, docs: np.ndarray) -> list[bytes]:
    """The term's encoded values (its positions) in each of `docs` (ascending segment doc numbers, all
    holding the term). Only the blocks holding one of `docs` are decompressed: a block's header says its
    last id."""
    matcher = leaf_matcher(reader, fieldname, btext)
    if isinstance(matcher, ListMatcher):
        ids = np.asarray(matcher._ids, dtype=np.int64)
        return [_value(matcher, index) for index in np.searchsorted(ids, docs).tolist()]
    found: list[bytes] = []
    start = 0
    for count, last_id, read in posting_blocks(matcher):
        if start == len(docs):
            break
        end = int(np.searchsorted(docs, last_id, side="right"))
        if end > start:
            deltas, _, values = read()
            values = _block_values(matcher, values, count)
            ids = np.cumsum(np.fromiter(deltas, dtype=np.int64, count=count))
            found.extend(values[i] for i in np.searchsorted(ids, docs[start:end]).tolist())
            start = end
    return found


def positions_arrays(format_, encoded: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """(positions per value, every position in order) of encoded values, as `format_.decode_positions`
    reads each: for Whoosh's `Positions`, a 4-byte count then the pickled gaps (the pickle's closing "."
    added when missing), summed here as arrays instead of one Python loop per value."""
    if type(format_) is formats.Positions:
        lists = [
            pickle.loads(value[_INT_SIZE:] if value.endswith(b".") else value[_INT_SIZE:] + b".")
            for value in encoded
        ]
        gaps = True
    else:
        lists = [format_.decode_positions(value) for value in encoded]
        gaps = False
    counts = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    flat = np.fromiter(itertools.chain.from_iterable(lists), dtype=np.int64, count=int(counts.sum()))
    if gaps:
        sums = np.cumsum(flat)
        before = np.concatenate(([0], sums))[np.cumsum(counts) - counts]
        flat = sums - np.repeat(before, counts)
    return counts, flat


def _value(matcher: ListMatcher, index: int) -> bytes:
    matcher._i = index
    return matcher.value()


def field_lengths(reader, fieldname: str) -> np.ndarray:
    """As `doc_field_length(docnum, fieldname, 1)`: the length column's bytes through `byte_to_length`,
    1 for every document when the segment has no lengths for the field."""
    size = reader.doc_count_all()
    perdoc = reader._perdoc
    lengthfield = _lenfield(fieldname)
    if not perdoc.has_column(lengthfield):
        return np.ones(size, dtype=np.float64)
    column = perdoc.column_reader(lengthfield, LENGTHS_COLUMN)
    return LENGTH_OF_BYTE[_fixed_column(column, size, np.uint8)]


def numeric_column(reader, fieldname: str) -> np.ndarray | None:
    """A numeric column's values per document, or None for a field without one."""
    fieldobj = reader.schema[fieldname]
    if not isinstance(fieldobj.column_type, NumericColumn):
        return None
    size = reader.doc_count_all()
    column = reader.column_reader(fieldname, translate=False)
    if not isinstance(column, NumericColumn.Reader):  # the segment has no column file: all defaults
        return np.full(
            size, fieldobj.column_type.default_value(), dtype=np.dtype(fieldobj.column_type._typecode)
        )
    return _fixed_column(column, size, np.dtype(">" + column._typecode))


def _fixed_column(column, size: int, dtype) -> np.ndarray:
    """A fixed-width column's values: the bytes Whoosh wrote for the first `_count` documents, its default
    for the documents after them (as `FixedBytesColumn.Reader.__getitem__`)."""
    dtype = np.dtype(dtype)
    raw = column._dbfile.get(column._basepos, column._count * column._fixedlen)
    values = np.frombuffer(raw, dtype=dtype, count=column._count).astype(dtype.newbyteorder("="))
    if column._count >= size:
        return values[:size]
    default = np.frombuffer(column._defaultbytes, dtype=dtype)[0]
    return np.concatenate([values, np.full(size - column._count, default, dtype=values.dtype)])
