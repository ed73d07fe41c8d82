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

import threading
import weakref
from collections import OrderedDict

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.columns import NumericColumn
from whoosh.matching import ListMatcher
from whoosh.matching.wrappers import FilterMatcher
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

    def postings(self, leaf: int, reader, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
        """The term's (segment doc numbers ascending, weights), deleted documents included."""
        key = ("postings", leaf, fieldname, btext)
        found = self._get(key)
        if found is None:
            ids, weights = postings_arrays(reader, fieldname, btext)
            found = self._put(key, (ids, weights), ids.nbytes + weights.nbytes)
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


def postings_arrays(reader, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
    matcher = leaf_matcher(reader, fieldname, btext)
    if isinstance(matcher, ListMatcher):  # postings kept in the term dictionary (a rare term)
        ids = np.asarray(matcher._ids, dtype=np.int32)
        return ids, _list_weights(matcher, len(ids))
    if not isinstance(matcher, W3LeafMatcher):
        raise UnreadablePostings(type(matcher).__name__)
    id_blocks, weight_blocks = [], []
    while not matcher._atend:
        matcher._read_data()  # Whoosh's own: the block decompressed and unpickled
        deltas, weights, _ = matcher._data
        count = matcher._blocklength
        id_blocks.append(np.cumsum(np.fromiter(deltas, dtype=np.int64, count=count)))
        weight_blocks.append(_block_weights(weights, count))
        matcher._next_block()
    if not id_blocks:
        return _EMPTY_IDS, _EMPTY_WEIGHTS
    return np.concatenate(id_blocks).astype(np.int32), np.concatenate(weight_blocks)


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


def term_positions(reader, fieldname: str, btext: bytes, docs: np.ndarray) -> list[list[int]]:
    """The term's positions in each of `docs` (ascending segment doc numbers, all holding the term).

    Only the blocks holding one of `docs` are decompressed: the block header's last id says which.
    """
    matcher = leaf_matcher(reader, fieldname, btext)
    decode = reader.schema[fieldname].format.decode_positions
    if isinstance(matcher, ListMatcher):
        ids = np.asarray(matcher._ids, dtype=np.int64)
        return [decode(_value(matcher, int(i))) for i in np.searchsorted(ids, docs)]
    if not isinstance(matcher, W3LeafMatcher):
        raise UnreadablePostings(type(matcher).__name__)
    found: list[list[int]] = []
    start = 0
    while start < len(docs) and not matcher._atend:
        end = int(np.searchsorted(docs, matcher._maxid, side="right"))
        if end > start:
            matcher._read_data()
            deltas, _, values = matcher._data
            ids = np.cumsum(np.fromiter(deltas, dtype=np.int64, count=matcher._blocklength))
            found.extend(decode(values[i]) for i in np.searchsorted(ids, docs[start:end]).tolist())
            start = end
        matcher._next_block()
    return found


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
