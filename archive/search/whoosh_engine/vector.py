"""Whoosh queries answered with numpy over Whoosh's own segments, with Whoosh's own scores.

Whoosh's searcher walks every match one posting at a time in Python. `vector_search` reads each query term's
postings per segment as arrays (a long list from the segment's posting store, posting_store.py; any other
from Whoosh's blocks, segment_arrays.py) and evaluates the query a segment at a time as Whoosh's
collector does (segment_eval.py), on whole arrays: a term's BM25F as `whoosh.scoring.BM25F` computes it (the
searcher's B and K1, the field's average length over the whole index, each document's length byte), an And
adds its parts' scores where all match, an Or adds those that match, an AndNot keeps its positive part's
scores, a boost multiplies. The ranking is Whoosh's `UnlimitedCollector`'s: score descending, then document
number ascending; the date orders are its `SortingCollector`'s over the date column, then the django_id
column, then the document number, reversed for newest first.

Whoosh's own rules are kept where they decide scores:
- a phrase matches where its words stand next to each other (Whoosh's `SpanNear2` with slop 1) and
  scores the sum of its words' scores (the span matcher wraps the intersection of the words);
  positions are decoded only for the documents holding every word;
- a prefix expands, per segment, to the words that segment's lexicon gives (`_btexts`, so a bounded
  prefix is bounded per segment); one word scores as a plain term (the prefix's boost is dropped); more
  words are a constant-score Or, which Whoosh scores with BM25F times the boost in a segment of more
  than 5,000 documents or for two words, and 1 for every match otherwise (its preloaded union, unscored);
- a date range matches the documents whose date column lies in it and scores its boost;
- a compound query with a single part is that part, its own boost ignored.

What it does not know how to make exact (another weighting model, a fielded `Every`, slop, a wildcard,
a fuzzy term, any query class `_unsupported` does not accept, a boost of 0 or less) is answered by Whoosh's
searcher instead; `VectorResults.fallback` names why.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from whoosh import fields as wf
from whoosh import query as wq
from whoosh import scoring, sorting
from whoosh.query.qcore import _NullQuery

from archive.search.whoosh_engine.segment_arrays import SearcherArrays, UnreadablePostings, searcher_arrays
from archive.search.whoosh_engine.segment_eval import Segment, Unsupported, phrase_words, segment_evaluate

SORTS = ("relevance", "newest", "oldest")
DATE_FIELD = "date"
ID_FIELD = "django_id"  # the tie-break of the date orders, as the search service sorts


@dataclass(frozen=True)
class VectorResults:
    """What Whoosh's `searcher.search(query, limit=None, filter=..., sortedby=...)` answers, as arrays."""

    hits: list[tuple[int, float]]  # (docnum, score) in Whoosh's order, at most `limit`; 0.0 by date
    total: int  # every match, exact
    docnums: np.ndarray = field(repr=False)  # every matching docnum, ascending (int64): facets count these
    fallback: str | None = None  # why Whoosh's own searcher answered; None when vectorised
    partial: bool = False  # the deadline passed before every segment was read: a lower bound


def vector_search(
    searcher,
    query,
    *,
    filter=None,
    sort: str = "relevance",
    limit: int | None = None,
    deadline: float = float("inf"),
):
    """The top `limit` (None: every) matches of `query` in Whoosh's order, the exact total and every match.

    `searcher` is a Whoosh searcher (top level: its segments are read as Whoosh's collector reads them);
    `filter` a Whoosh query whose matches restrict the results without adding to the scores (Whoosh's
    `filter=`); `sort` one of SORTS: "relevance" ranks by score (an `Every` query by date, newest first,
    as the search service does), "newest"/"oldest" by the date field with ties by django_id. Scores equal
    Whoosh's up to the order in which floating-point sums are added (relative 1e-12); two documents whose
    scores differ by less than that may come in the other order than Whoosh's.
    """
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}")
    if limit is not None and limit < 1:
        raise ValueError("limit must be at least 1")
    if sort == "relevance" and isinstance(query, wq.Every):
        sort = "newest"
    reason = _weighting_unsupported(searcher) or _unsupported(query, searcher.schema)
    if reason is None and filter is not None:
        reason = _unsupported(filter, searcher.schema) if isinstance(filter, wq.Query) else "filter object"
    if reason is None:
        try:
            return _vector_search(searcher, query, filter=filter, sort=sort, limit=limit, deadline=deadline)
        except (Unsupported, UnreadablePostings) as exc:
            reason = str(exc) or type(exc).__name__
    return _whoosh_search(searcher, query, filter=filter, sort=sort, limit=limit, reason=reason)


def _weighting_unsupported(searcher) -> str | None:
    weighting = searcher.weighting
    if type(weighting) is not scoring.BM25F or weighting.use_final:
        return f"weighting {type(weighting).__name__}"
    return None


def _unsupported(query, schema) -> str | None:
    """Why `query` cannot be answered exactly here, or None."""
    kind = type(query)
    if isinstance(query, _NullQuery):
        return None
    if getattr(query, "boost", 1.0) <= 0:
        return "boost <= 0"
    if kind is wq.Term:
        return "minquality" if query.minquality else None
    if kind in (wq.And, wq.Or):
        if kind is wq.Or and (
            query.scale or query.matcher_type not in (wq.Or.AUTO_MATCHER, wq.Or.DEFAULT_MATCHER)
        ):
            return "Or with scale or matcher_type"
        return next((r for q in query.subqueries if (r := _unsupported(q, schema))), None)
    if kind is wq.AndNot:
        return _unsupported(query.a, schema) or _unsupported(query.b, schema)
    if kind is wq.Phrase:
        if query.slop != 1 or not query.words:
            return "Phrase with slop or without words"
        fieldobj = schema[query.fieldname] if query.fieldname in schema.names() else None
        if fieldobj is not None and not (fieldobj.format and fieldobj.format.supports("positions")):
            return "Phrase on a field without positions"
        return None
    if isinstance(query, wq.Prefix):
        if type(query).matcher is not wq.Prefix.matcher or not query.text:
            return f"{kind.__name__} matcher"
        return None
    if kind in (wq.NumericRange, wq.DateRange):
        fieldobj = schema[query.fieldname] if query.fieldname in schema.names() else None
        if not query.constantscore or not isinstance(fieldobj, wf.DATETIME) or not fieldobj.column_type:
            return "range on a field without a date column"
        return None
    if kind is wq.Every:
        return "fielded Every" if query.fieldname else None
    return kind.__name__


def _whoosh_search(searcher, query, *, filter, sort: str, limit: int | None, reason: str) -> VectorResults:
    if sort == "relevance":
        # Every match collected, as the search service does (Whoosh's top-N collector skipped true top hits).
        results = searcher.search(query, limit=None, filter=filter)
        hits = [(hit.docnum, float(hit.score)) for hit in results[: limit or len(results)]]
    else:
        facet = sorting.MultiFacet([sorting.FieldFacet(DATE_FIELD), sorting.FieldFacet(ID_FIELD)])
        results = searcher.search(query, limit=limit, filter=filter, sortedby=facet, reverse=sort == "newest")
        hits = [(hit.docnum, 0.0) for hit in results]
    docnums = np.array(sorted(results.docs()), dtype=np.int64)
    return VectorResults(hits=hits, total=len(docnums), docnums=docnums, fallback=reason)


# --- evaluation, one segment at a time (segment_eval.py) -----------------------------------------------


def _vector_search(
    searcher, query, *, filter, sort: str, limit: int | None, deadline: float
) -> VectorResults:
    arrays = searcher_arrays(searcher)
    scored = sort == "relevance"
    docnum_parts, score_parts = [], []
    words_in_phrases = frozenset(phrase_words(query)) | frozenset(phrase_words(filter))
    partial = False
    for number, (subsearcher, offset) in enumerate(searcher.leaf_searchers()):
        # The first segment is always read (a cold process may start past a short deadline); then
        # `time.monotonic`, the clock of archive.search.budget, is looked at between segments.
        if docnum_parts and time.monotonic() > deadline:
            partial = True
            break
        reader = subsearcher.reader()
        size = reader.doc_count_all()
        if not size:
            continue
        segment = Segment(number, reader, size, searcher, arrays, {}, words_in_phrases)
        found = segment_evaluate(query=query, segment=segment, scored=scored)
        mask = found.mask
        live = arrays.live(number, reader)
        if live is not None:
            mask = mask & live
        if filter is not None:
            mask = mask & segment_evaluate(query=filter, segment=segment, scored=False).mask
        local = np.flatnonzero(mask)
        docnum_parts.append(local + offset)
        if scored:
            score_parts.append(found.scores[local])
    docnums = np.concatenate(docnum_parts) if docnum_parts else np.zeros(0, dtype=np.int64)
    docnums = docnums.astype(np.int64, copy=False)
    if scored:
        scores = np.concatenate(score_parts) if score_parts else np.zeros(0)
        order = _top_by_score(scores, docnums, limit)
        hits = list(zip(docnums[order].tolist(), scores[order].tolist(), strict=True))
    else:
        order = _top_by_date(searcher, arrays, docnums, limit, newest=sort == "newest")
        hits = [(docnum, 0.0) for docnum in docnums[order].tolist()]
    return VectorResults(hits=hits, total=len(docnums), docnums=docnums, partial=partial)


# --- ordering ------------------------------------------------------------------------------------------


def _top_by_score(scores: np.ndarray, docnums: np.ndarray, limit: int | None) -> np.ndarray:
    """Indexes of the top `limit` by score descending, then docnum ascending (UnlimitedCollector)."""
    if limit is not None and limit < len(scores):
        # Every document scoring at least the limit-th best, ties at the edge included, then sorted.
        threshold = -np.partition(-scores, limit - 1)[limit - 1]
        candidates = np.flatnonzero(scores >= threshold)
        order = candidates[np.lexsort((docnums[candidates], -scores[candidates]))]
        return order[:limit]
    return np.lexsort((docnums, -scores))


def _top_by_date(searcher, arrays: SearcherArrays, docnums: np.ndarray, limit: int | None, *, newest: bool):
    """Indexes of the first `limit` by (date, django_id, docnum), descending when `newest`: Whoosh's
    SortingCollector with the search service's MultiFacet, which sorts the (key, docnum) pairs."""
    dates = np.zeros(len(docnums), dtype=np.uint64)
    leaves = searcher.leaf_searchers()
    bounds = [offset for _, offset in leaves] + [np.iinfo(np.int64).max]
    for number, (subsearcher, offset) in enumerate(leaves):
        start, end = np.searchsorted(docnums, [offset, bounds[number + 1]])
        if start == end:
            continue
        column = arrays.numbers(number, subsearcher.reader(), DATE_FIELD)
        if column is None:
            raise Unsupported("date sort without a numeric date column")
        dates[start:end] = column[docnums[start:end] - offset]
    candidates = np.arange(len(docnums))
    if limit is not None and limit < len(docnums):
        # Only the documents dated at least as far as the limit-th need the django_id tie-break.
        if newest:
            threshold = np.partition(dates, len(dates) - limit)[len(dates) - limit]
            candidates = np.flatnonzero(dates >= threshold)
        else:
            threshold = np.partition(dates, limit - 1)[limit - 1]
            candidates = np.flatnonzero(dates <= threshold)
    ids = _id_keys(searcher, docnums[candidates], bounds)
    keys = sorted(
        zip(dates[candidates].tolist(), ids, docnums[candidates].tolist(), candidates.tolist(), strict=True)
    )
    if newest:
        keys.reverse()
    order = np.array([key[3] for key in keys], dtype=np.int64)
    return order if limit is None else order[:limit]


def _id_keys(searcher, docnums: np.ndarray, bounds: list[int]) -> list[bytes]:
    """The django_id column's sort keys of these documents (Whoosh's ColumnCategorizer.key_for)."""
    keys: list[bytes] = []
    for number, (subsearcher, offset) in enumerate(searcher.leaf_searchers()):
        start, end = np.searchsorted(docnums, [offset, bounds[number + 1]])
        if start == end:
            continue
        column = subsearcher.reader().column_reader(ID_FIELD, translate=False)
        keys.extend(column.sort_key(doc) for doc in (docnums[start:end] - offset).tolist())
    return keys
