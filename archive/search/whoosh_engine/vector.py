"""Whoosh queries answered with numpy over Whoosh's own segments, with Whoosh's own scores.

Whoosh's searcher walks every match one posting at a time in Python. `vector_search` reads each query
term's postings per segment as arrays (segment_arrays.py) and evaluates the query a segment at a time as
Whoosh's collector does, on whole arrays: a term's BM25F as `whoosh.scoring.BM25F` computes it (the
searcher's B and K1, the field's average length over the whole index, each document's length byte), an
And adds its parts' scores where all match, an Or adds those that match, an AndNot keeps its positive
part's scores, a boost multiplies. The ranking is Whoosh's `UnlimitedCollector`'s: score descending, then
document number ascending; the date orders are its `SortingCollector`'s over the date column, then the
django_id column, then the document number, reversed for newest first.

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
a fuzzy term, any query class not listed in `_supported`, a boost of 0 or less) is answered by Whoosh's
searcher instead; `VectorResults.fallback` names why.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from whoosh import fields as wf
from whoosh import query as wq
from whoosh import scoring, sorting
from whoosh.query.qcore import _NullQuery

from archive.search.whoosh_engine.segment_arrays import (
    SearcherArrays,
    UnreadablePostings,
    positions_arrays,
    searcher_arrays,
    term_values,
)

SORTS = ("relevance", "newest", "oldest")
DATE_FIELD = "date"
ID_FIELD = "django_id"  # the tie-break of the date orders, as the search service sorts
# Whoosh's Or (`Or._matcher`, AUTO): a union of more than two parts in a segment of at most this many
# documents is its preloaded array union, which scores an unscored part 1 and skips a zero sum.
PRELOADED_OR_MAX_DOCS = 5000


@dataclass(frozen=True)
class VectorResults:
    """What Whoosh's `searcher.search(query, limit=None, filter=..., sortedby=...)` answers, as arrays."""

    hits: list[tuple[int, float]]  # (docnum, score) in Whoosh's order, at most `limit`; 0.0 by date
    total: int  # every match, exact
    docnums: np.ndarray = field(repr=False)  # every matching docnum, ascending (int64): facets count these
    fallback: str | None = None  # why Whoosh's own searcher answered; None when vectorised


class _Unsupported(Exception):
    pass


def vector_search(searcher, query, *, filter=None, sort: str = "relevance", limit: int | None = None):
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
            return _vector_search(searcher, query, filter=filter, sort=sort, limit=limit)
        except (_Unsupported, UnreadablePostings) as exc:
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


# --- evaluation, one segment at a time ---------------------------------------------------------------


@dataclass
class _Segment:
    number: int  # the leaf's place in the searcher: the arrays' cache key
    reader: object
    size: int
    top: object  # the top-level searcher: global statistics (idf, average lengths)
    arrays: SearcherArrays
    memo: dict  # per query: a term or phrase met twice is evaluated once
    phrase_words: frozenset  # (field, word) of the query's phrases: their positions are kept when read


@dataclass
class _Match:
    """The documents of one segment a query matches (a mask) and their scores (zero elsewhere, or None
    when the evaluation is unscored)."""

    mask: np.ndarray
    scores: np.ndarray | None


def _vector_search(searcher, query, *, filter, sort: str, limit: int | None) -> VectorResults:
    arrays = searcher_arrays(searcher)
    scored = sort == "relevance"
    docnum_parts, score_parts = [], []
    phrase_words = frozenset(_phrase_words(query)) | frozenset(_phrase_words(filter))
    for number, (subsearcher, offset) in enumerate(searcher.leaf_searchers()):
        reader = subsearcher.reader()
        size = reader.doc_count_all()
        if not size:
            continue
        segment = _Segment(number, reader, size, searcher, arrays, {}, phrase_words)
        found = _evaluate(query, segment, scored=scored)
        mask = found.mask
        live = arrays.live(number, reader)
        if live is not None:
            mask = mask & live
        if filter is not None:
            mask = mask & _evaluate(filter, segment, scored=False).mask
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
    return VectorResults(hits=hits, total=len(docnums), docnums=docnums)


def _phrase_words(query):
    """(field, word) of every phrase in `query`, the words as text (as Phrase.words holds them)."""
    if type(query) is wq.Phrase:
        yield from ((query.fieldname, word) for word in query.words)
    elif isinstance(query, wq.CompoundQuery | wq.BinaryQuery):
        for part in query.subqueries:
            yield from _phrase_words(part)


def _evaluate(query, segment: _Segment, *, scored: bool) -> _Match:
    kind = type(query)
    if isinstance(query, _NullQuery):
        return _nothing(segment, scored=scored)
    if kind is wq.Term:
        return _term(query.fieldname, query.text, query.boost, segment, scored=scored)
    if kind in (wq.And, wq.Or):
        parts = query.subqueries
        if not parts:
            return _nothing(segment, scored=scored)
        if len(parts) == 1:  # CompoundQuery.matcher: the part itself, the compound's boost unused
            return _evaluate(parts[0], segment, scored=scored)
        if kind is wq.And:
            matches = []
            for part in parts:
                matches.append(_evaluate(part, segment, scored=scored))
                if not matches[-1].mask.any():  # the rest cannot add a match: not read at all
                    return _nothing(segment, scored=scored)
            return _boosted(_all_of(matches), query.boost)
        matches = [_evaluate(part, segment, scored=scored) for part in parts]
        preloaded = _preloaded(len(parts), segment, query.matcher_type)
        return _union(matches, query.boost, segment, scored=scored, preloaded=preloaded)
    if kind is wq.AndNot:
        positive = _evaluate(query.a, segment, scored=scored)
        if not positive.mask.any():
            return positive
        negative = _evaluate(query.b, segment, scored=False)
        mask = positive.mask & ~negative.mask
        return _Match(mask, None if positive.scores is None else positive.scores * mask)
    if kind is wq.Phrase:
        return _phrase(query, segment, scored=scored)
    if isinstance(query, wq.Prefix):
        return _prefix(query, segment, scored=scored)
    if kind in (wq.NumericRange, wq.DateRange):
        return _date_range(query, segment, scored=scored)
    if kind is wq.Every:
        mask = np.ones(segment.size, dtype=bool)
        return _Match(mask, np.full(segment.size, float(query.boost)) if scored else None)
    raise _Unsupported(kind.__name__)


def _nothing(segment: _Segment, *, scored: bool) -> _Match:
    return _Match(np.zeros(segment.size, dtype=bool), np.zeros(segment.size) if scored else None)


def _boosted(match: _Match, boost: float) -> _Match:
    if boost == 1.0 or match.scores is None:
        return match
    return _Match(match.mask, match.scores * boost)


def _all_of(matches: list[_Match]) -> _Match:
    mask = matches[0].mask.copy()
    for match in matches[1:]:
        mask &= match.mask
    if matches[0].scores is None:
        return _Match(mask, None)
    scores = matches[0].scores.copy()
    for match in matches[1:]:
        scores += match.scores
    scores *= mask
    return _Match(mask, scores)


def _preloaded(parts: int, segment: _Segment, matcher_type: int) -> bool:
    """Whether Whoosh's Or of `parts` parts is its preloaded array union in this segment (`Or._matcher`:
    AUTO picks the binary tree of unions for two parts, a segment of more than 5,000 documents or
    fewer than TOO_MANY_CLAUSES parts, since no collector here needs the current match)."""
    if matcher_type == wq.Or.DEFAULT_MATCHER:
        return False
    return parts >= wq.Or.TOO_MANY_CLAUSES or (parts > 2 and segment.size <= PRELOADED_OR_MAX_DOCS)


def _union(
    matches: list[_Match], boost: float, segment: _Segment, *, scored: bool, preloaded: bool
) -> _Match:
    mask = matches[0].mask.copy()
    for match in matches[1:]:
        mask |= match.mask
    if not scored:
        return _Match(mask, None)
    scores = np.zeros(segment.size)
    if preloaded:  # ArrayUnionMatcher: each part's score times the boost, added; a zero sum is no match
        for match in matches:
            scores += match.scores * boost
        mask &= scores > 0
        return _Match(mask, scores * mask)
    for match in matches:
        scores += match.scores
    return _boosted(_Match(mask, scores), boost)


def _term_bytes(fieldname: str, text, segment: _Segment) -> bytes | None:
    """The term as the segment holds it, or None when the segment has no such term (Term.matcher)."""
    schema = segment.reader.schema
    if fieldname not in schema:
        return None
    try:
        btext = schema[fieldname].to_bytes(text)
    except ValueError:
        return None
    return btext if (fieldname, btext) in segment.reader else None


def _term(fieldname: str, text, boost: float, segment: _Segment, *, scored: bool) -> _Match:
    btext = _term_bytes(fieldname, text, segment)
    if btext is None:
        return _nothing(segment, scored=scored)
    positions = (fieldname, text) in segment.phrase_words  # read as a word now, in a phrase later
    ids, scores = _term_scores(fieldname, btext, segment, scored=scored, positions=positions)
    mask = np.zeros(segment.size, dtype=bool)
    mask[ids] = True
    if not scored:
        return _Match(mask, None)
    dense = np.zeros(segment.size)
    dense[ids] = scores
    return _boosted(_Match(mask, dense), boost)


def _term_scores(fieldname: str, btext: bytes, segment: _Segment, *, scored: bool, positions: bool = False):
    """The term's segment doc numbers and (when `scored`) the searcher's weighting of each: BM25F for a
    scorable field (`BM25FScorer._score`), the posting's weight for another (`WeightScorer`). With
    `positions` (a phrase's word), the encoded positions read on the way are kept for the query."""
    key = ("term", fieldname, btext, scored)
    found = segment.memo.get(key)
    if found is not None:
        return found
    fieldobj = segment.reader.schema[fieldname]
    values: list | None = [] if positions else None
    ids, weights = segment.arrays.postings(segment.number, segment.reader, fieldname, btext, values)
    if values and len(values) == len(ids):  # read from the segment just now: a phrase may want them
        segment.memo[("values", fieldname, btext)] = values
    scores = None
    if scored:
        weight = weights.astype(np.float64)
        if fieldobj.scorable:
            top = segment.top
            weighting = top.weighting
            idf = top.idf(fieldname, btext)
            average = top.avg_field_length(fieldname) or 1
            b = weighting._field_B.get(fieldname, weighting.B)
            k1 = weighting.K1
            lengths = segment.arrays.lengths(segment.number, segment.reader, fieldname)[ids]
            # scoring.bm25, operation for operation, so that each term's score is Whoosh's to the bit.
            scores = idf * ((weight * (k1 + 1)) / (weight + k1 * ((1 - b) + b * lengths / average)))
        else:
            scores = weight
    segment.memo[key] = found = (ids, scores)
    return found


def _phrase(query: wq.Phrase, segment: _Segment, *, scored: bool) -> _Match:
    fieldname = query.fieldname
    words = [_term_bytes(fieldname, word, segment) for word in query.words]
    if any(word is None for word in words):  # Phrase.matcher: a word the segment lacks matches nothing
        return _nothing(segment, scored=scored)
    terms = [_term_scores(fieldname, word, segment, scored=scored, positions=True) for word in words]
    matched = _phrase_docs(fieldname, tuple(words), [ids for ids, _ in terms], segment)
    mask = np.zeros(segment.size, dtype=bool)
    mask[matched] = True
    if not scored:
        return _Match(mask, None)
    scores = np.zeros(segment.size)
    for ids, term_scores in terms:
        dense = np.zeros(segment.size)
        dense[ids] = term_scores
        scores += dense
    return _boosted(_Match(mask, scores * mask), query.boost)


def _phrase_docs(fieldname: str, words: tuple[bytes, ...], ids: list[np.ndarray], segment: _Segment):
    """The segment documents where the words stand at consecutive positions, in order (Whoosh's
    SpanNear2 with slop 1: some position p with word i at p + i for every i)."""
    found = segment.arrays.phrase(segment.number, fieldname, words)
    if found is not None:
        return found
    candidates = ids[0]
    for other in ids[1:]:
        candidates = np.intersect1d(candidates, other, assume_unique=True)
    if len(words) > 1 and len(candidates):
        candidates = candidates[_in_order(fieldname, words, ids, candidates, segment)]
    segment.arrays.phrase_store(segment.number, fieldname, words, candidates)
    return candidates


_SPAN = 1 << 32  # past any position: (candidate, start) pairs as one integer key


def _in_order(fieldname, words, ids, candidates, segment: _Segment) -> np.ndarray:
    """Indexes of the candidates holding the words in order. The rarest word is read first, and each
    next word only for the candidates still in the running."""
    format_ = segment.reader.schema[fieldname].format
    alive = np.arange(len(candidates))
    starts = None
    for index in sorted(range(len(words)), key=lambda i: len(ids[i])):
        docs = candidates[alive]
        values = segment.memo.get(("values", fieldname, words[index]))
        if values is not None:
            encoded = [values[i] for i in np.searchsorted(ids[index], docs).tolist()]
        else:
            encoded = term_values(segment.reader, fieldname, words[index], docs.astype(np.int64))
        counts, positions = positions_arrays(format_, encoded)
        # Word `index` at position q means the phrase would start at q - index.
        keys = np.repeat(alive, counts) * _SPAN + (positions - index + len(words))
        starts = np.unique(keys) if starts is None else np.intersect1d(starts, keys)
        alive = np.unique(starts // _SPAN)
        if not len(alive):
            break
    return alive


def _prefix(query: wq.Prefix, segment: _Segment, *, scored: bool) -> _Match:
    # MultiTerm.matcher, on this segment's reader: its words, then one term or a (constant-score) Or.
    words = [word for word in query._btexts(segment.reader) if word]
    if not words:
        return _nothing(segment, scored=scored)
    if len(words) == 1:
        return _term(query.fieldname, words[0], 1.0, segment, scored=scored)
    matches = [_term(query.fieldname, word, 1.0, segment, scored=scored) for word in words]
    preloaded = _preloaded(len(words), segment, wq.Or.matcher_type)
    if scored and query.constantscore and preloaded:
        # The preloaded union of an unscored Or: 1 for every document matched, the boost unused.
        mask = _union(matches, query.boost, segment, scored=False, preloaded=True).mask
        return _Match(mask, mask.astype(np.float64))
    # Otherwise the terms score as usual, even under a constant score (Term.matcher falls back to the
    # searcher's weighting when the context has none), and the Or multiplies their sum by the boost.
    return _union(matches, query.boost, segment, scored=scored, preloaded=preloaded)


def _date_range(query, segment: _Segment, *, scored: bool) -> _Match:
    fieldobj = segment.reader.schema[query.fieldname]
    values = segment.arrays.numbers(segment.number, segment.reader, query.fieldname)
    if values is None:
        raise _Unsupported("range without a numeric column")
    # A document without a date holds the column's default and has no term for the range to match.
    mask = values != fieldobj.column_type.default_value()
    if query.start is not None:
        start = fieldobj.prepare_number(query.start)
        mask &= (values > start) if query.startexcl else (values >= start)
    if query.end is not None:
        end = fieldobj.prepare_number(query.end)
        mask &= (values < end) if query.endexcl else (values <= end)
    return _Match(mask, mask * float(query.boost) if scored else None)


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
            raise _Unsupported("date sort without a numeric date column")
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
