"""Facet counts and the exact total of a search, cached so that paging and re-sorting do not recount them.

Counting facets makes Whoosh visit every match, most of a query's time; the page alone only needs the top N.
The counts depend only on the query, the filters and the index version (its folder, which a
rebuild changes, and its generation, which every commit changes), so the first search counts them and the
next pages, the other sort orders and repeats of the query take them from a small in-process LRU.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from archive.search.schema import FACETS, MULTI_VALUED

CACHE_SIZE = 256
# Per-segment facet values kept in memory: a segment never changes once written (deletions aside).
SEGMENT_CACHE_SIZE = 64


@dataclass(frozen=True)
class FacetPass:
    """The exact number of matching documents and, per facet, each value's count (raw index keys)."""

    total: int
    groups: dict[str, dict]

    def as_text(self) -> dict[str, dict[str, int]]:
        """Facet name -> {value as text: count}, without empty values (what the engine returns)."""
        return {
            name: {_text(key): count for key, count in groups.items() if key not in (None, "", b"") and count}
            for name, groups in self.groups.items()
        }


def _text(key) -> str:
    return key.decode("utf-8") if isinstance(key, bytes) else str(key)


class _FacetCache:
    """A small thread-safe LRU: searchers are per thread, the counts they produce are not."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple, FacetPass] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> FacetPass | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple, value: FacetPass) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_cache = _FacetCache(CACHE_SIZE)


def facet_cache_clear() -> None:
    """Forget every cached count (benchmarks that time the uncached path call this)."""
    _cache.clear()


def facet_cache_key(searcher, query, *, index_folder: str, filter) -> tuple:
    """`query` and `filter` are query tree nodes (hashable). The folder changes when a rebuild swaps the
    index in, the generation with every commit to it."""
    generation = searcher.reader().generation()
    return (str(index_folder), generation, query, filter)


def facet_pass_cached(key: tuple) -> FacetPass | None:
    return _cache.get(key)


def facet_pass_store(key: tuple, value: FacetPass) -> None:
    _cache.put(key, value)


_segments = _FacetCache(SEGMENT_CACHE_SIZE)


@dataclass(frozen=True)
class _Column:
    """One facet of one segment as arrays: the value codes of document d are codes[starts[d]:starts[d+1]],
    each code an index into `labels` (the keys Whoosh's `FieldFacet` groups by)."""

    labels: list
    codes: np.ndarray  # int32
    starts: np.ndarray  # int64, one more than the segment's documents

    def count(self, docs: np.ndarray) -> dict:
        first, last = self.starts[docs], self.starts[docs + 1]
        lengths = last - first
        if len(lengths) and lengths.max(initial=0) == 1 and lengths.min(initial=1) == 1:
            picked = self.codes[first]  # one value per document (year, source)
        else:
            # Every document's run of codes, laid end to end: position within the run plus its start.
            ends = np.cumsum(lengths)
            within = np.arange(int(ends[-1]) if len(ends) else 0) - np.repeat(ends - lengths, lengths)
            picked = self.codes[np.repeat(first, lengths) + within]
        counts = np.bincount(picked, minlength=len(self.labels))
        return {self.labels[code]: int(counts[code]) for code in np.flatnonzero(counts)}


def _column(values_per_doc) -> _Column:
    labels: list = []
    code_of: dict = {}
    codes: list[int] = []
    starts = [0]
    for values in values_per_doc:
        for value in values:
            code = code_of.get(value)
            if code is None:
                code = code_of[value] = len(labels)
                labels.append(value)
            codes.append(code)
        starts.append(len(codes))
    return _Column(labels, np.asarray(codes, dtype=np.int32), np.asarray(starts, dtype=np.int64))


def _segment_values(reader, index_folder: str) -> dict[str, _Column]:
    """Each facet's key(s) for every document of one segment, read from its columns once and kept.

    The keys are the ones Whoosh's `FieldFacet` groups by (single values through the column's sort key and
    `from_column_value`, lists as stored), so the counts are the same as `groupedby` gives. Kept as arrays
    (about 12 bytes per document and value), so that counting a search's matches is one `bincount`.
    """
    key = (str(index_folder), reader.segment().segment_id())
    found = _segments.get(key)
    if found is not None:
        return found
    size = reader.doc_count_all()
    values: dict[str, _Column] = {}
    for name, fieldname in FACETS.items():
        if not reader.has_column(fieldname):
            values[name] = _column([()] * size)
            continue
        fieldobj = reader.schema[fieldname]
        column = reader.column_reader(fieldname, translate=False)
        if name in MULTI_VALUED:
            values[name] = _column(column[doc] for doc in range(size))
        else:
            to_name = fieldobj.from_column_value
            values[name] = _column((to_name(column.sort_key(doc)),) for doc in range(size))
    _segments.put(key, values)
    return values


def facet_pass_count(searcher, docnums, *, index_folder: str) -> FacetPass:
    """The facet counts of these matching documents (global docnums), from the cached segment columns."""
    docnums = np.unique(np.asarray(docnums, dtype=np.int64))
    groups: dict[str, dict] = {name: {} for name in FACETS}
    if not len(docnums):  # also an index with no segment yet, whose reader has no columns to read
        return FacetPass(total=0, groups=groups)
    leaves = searcher.reader().leaf_readers()
    bounds = np.searchsorted(docnums, [base for _, base in leaves[1:]])
    for (reader, base), local in zip(leaves, np.split(docnums, bounds), strict=True):
        if not len(local):
            continue
        for name, column in _segment_values(reader, index_folder).items():
            for value, count in column.count(local - base).items():
                groups[name][value] = groups[name].get(value, 0) + count
    return FacetPass(total=len(docnums), groups=groups)
