"""One Whoosh query evaluated on one segment as numpy arrays: which documents match, and their scores.

`vector.py` runs this per segment as Whoosh's collector runs a query's matcher per segment; the rules
kept from Whoosh's matchers are listed there. A part of a query this cannot evaluate raises `Unsupported`,
and the whole query goes to Whoosh's searcher.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh import query as wq
from whoosh.query.qcore import _NullQuery

from archive.search.whoosh_engine.posting_store import stored_postings
from archive.search.whoosh_engine.segment_arrays import SearcherArrays, positions_arrays, term_values

# Whoosh's Or (`Or._matcher`, AUTO): a union of more than two parts in a segment of at most this many
# documents is its preloaded array union, which scores an unscored part 1 and skips a zero sum.
PRELOADED_OR_MAX_DOCS = 5000


class Unsupported(Exception):
    """A query part the arrays cannot answer exactly (its name is the message)."""


@dataclass
class Segment:
    number: int  # the leaf's place in the searcher: the arrays' cache key
    reader: object
    size: int
    top: object  # the top-level searcher: global statistics (idf, average lengths)
    arrays: SearcherArrays
    memo: dict  # per query: a term or phrase met twice is evaluated once
    phrase_words: frozenset  # (field, word) of the query's phrases: their positions are kept when read


@dataclass
class Match:
    """The documents of one segment a query matches (a mask) and their scores (zero elsewhere, or None
    when the evaluation is unscored)."""

    mask: np.ndarray
    scores: np.ndarray | None


def phrase_words(query):
    """(field, word) of every phrase in `query`, the words as text (as Phrase.words holds them)."""
    if type(query) is wq.Phrase:
        yield from ((query.fieldname, word) for word in query.words)
    elif isinstance(query, wq.CompoundQuery | wq.BinaryQuery):
        for part in query.subqueries:
            yield from phrase_words(part)


def segment_evaluate(*, query, segment: Segment, scored: bool) -> Match:
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
            return segment_evaluate(query=parts[0], segment=segment, scored=scored)
        if kind is wq.And:
            matches = []
            for part in parts:
                matches.append(segment_evaluate(query=part, segment=segment, scored=scored))
                if not matches[-1].mask.any():  # the rest cannot add a match: not read at all
                    return _nothing(segment, scored=scored)
            return _boosted(_all_of(matches), query.boost)
        matches = [segment_evaluate(query=part, segment=segment, scored=scored) for part in parts]
        preloaded = _preloaded(len(parts), segment, query.matcher_type)
        return _union(matches, query.boost, segment, scored=scored, preloaded=preloaded)
    if kind is wq.AndNot:
        positive = segment_evaluate(query=query.a, segment=segment, scored=scored)
        if not positive.mask.any():
            return positive
        negative = segment_evaluate(query=query.b, segment=segment, scored=False)
        mask = positive.mask & ~negative.mask
        return Match(mask, None if positive.scores is None else positive.scores * mask)
    if kind is wq.Phrase:
        return _phrase(query, segment, scored=scored)
    if isinstance(query, wq.Prefix):
        return _prefix(query, segment, scored=scored)
    if kind in (wq.NumericRange, wq.DateRange):
        return _date_range(query, segment, scored=scored)
    if kind is wq.Every:
        mask = np.ones(segment.size, dtype=bool)
        return Match(mask, np.full(segment.size, float(query.boost)) if scored else None)
    raise Unsupported(kind.__name__)


def _nothing(segment: Segment, *, scored: bool) -> Match:
    return Match(np.zeros(segment.size, dtype=bool), np.zeros(segment.size) if scored else None)


def _boosted(match: Match, boost: float) -> Match:
    if boost == 1.0 or match.scores is None:
        return match
    return Match(match.mask, match.scores * boost)


def _all_of(matches: list[Match]) -> Match:
    mask = matches[0].mask.copy()
    for match in matches[1:]:
        mask &= match.mask
    if matches[0].scores is None:
        return Match(mask, None)
    scores = matches[0].scores.copy()
    for match in matches[1:]:
        scores += match.scores
    scores *= mask
    return Match(mask, scores)


def _preloaded(parts: int, segment: Segment, matcher_type: int) -> bool:
    """Whether Whoosh's Or of `parts` parts is its preloaded array union in this segment (`Or._matcher`:
    AUTO picks the binary tree of unions for two parts, a segment of more than 5,000 documents or
    fewer than TOO_MANY_CLAUSES parts, since no collector here needs the current match)."""
    if matcher_type == wq.Or.DEFAULT_MATCHER:
        return False
    return parts >= wq.Or.TOO_MANY_CLAUSES or (parts > 2 and segment.size <= PRELOADED_OR_MAX_DOCS)


def _union(matches: list[Match], boost: float, segment: Segment, *, scored: bool, preloaded: bool) -> Match:
    mask = matches[0].mask.copy()
    for match in matches[1:]:
        mask |= match.mask
    if not scored:
        return Match(mask, None)
    scores = np.zeros(segment.size)
    if preloaded:  # ArrayUnionMatcher: each part's score times the boost, added; a zero sum is no match
        for match in matches:
            scores += match.scores * boost
        mask &= scores > 0
        return Match(mask, scores * mask)
    for match in matches:
        scores += match.scores
    return _boosted(Match(mask, scores), boost)


def _term_bytes(fieldname: str, text, segment: Segment) -> bytes | None:
    """The term as the segment holds it, or None when the segment has no such term (Term.matcher)."""
    schema = segment.reader.schema
    if fieldname not in schema:
        return None
    try:
        btext = schema[fieldname].to_bytes(text)
    except ValueError:
        return None
    return btext if segment.arrays.has_term(segment.number, segment.reader, fieldname, btext) else None


def _term(fieldname: str, text, boost: float, segment: Segment, *, scored: bool) -> Match:
    btext = _term_bytes(fieldname, text, segment)
    if btext is None:
        return _nothing(segment, scored=scored)
    positions = (fieldname, text) in segment.phrase_words  # read as a word now, in a phrase later
    ids, scores = _term_scores(fieldname, btext, segment, scored=scored, positions=positions)
    mask = np.zeros(segment.size, dtype=bool)
    mask[ids] = True
    if not scored:
        return Match(mask, None)
    dense = np.zeros(segment.size)
    dense[ids] = scores
    return _boosted(Match(mask, dense), boost)


def _term_scores(fieldname: str, btext: bytes, segment: Segment, *, scored: bool, positions: bool = False):
    """The term's segment doc numbers and (when `scored`) the searcher's weighting of each: BM25F for a
    scorable field (`BM25FScorer._score`), the posting's weight for another (`WeightScorer`). With
    `positions` (a phrase's word), the encoded positions read on the way are kept for the query."""
    key = ("term", fieldname, btext, scored)
    found = segment.memo.get(key)
    if found is not None:
        return found
    fieldobj = segment.reader.schema[fieldname]
    # A long list comes from the segment's posting store, cheap to read (a phrase then reads the
    # positions of its candidates alone); any other from Whoosh's blocks, through the searcher's cache.
    stored = stored_postings(segment.reader, fieldname, btext)
    if stored is not None:
        ids, weights = stored
    else:
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


def _phrase(query: wq.Phrase, segment: Segment, *, scored: bool) -> Match:
    fieldname = query.fieldname
    words = [_term_bytes(fieldname, word, segment) for word in query.words]
    if any(word is None for word in words):  # Phrase.matcher: a word the segment lacks matches nothing
        return _nothing(segment, scored=scored)
    terms = [_term_scores(fieldname, word, segment, scored=scored, positions=True) for word in words]
    matched = _phrase_docs(fieldname, tuple(words), [ids for ids, _ in terms], segment)
    mask = np.zeros(segment.size, dtype=bool)
    mask[matched] = True
    if not scored:
        return Match(mask, None)
    scores = np.zeros(segment.size)
    for ids, term_scores in terms:
        dense = np.zeros(segment.size)
        dense[ids] = term_scores
        scores += dense
    return _boosted(Match(mask, scores * mask), query.boost)


def _phrase_docs(fieldname: str, words: tuple[bytes, ...], ids: list[np.ndarray], segment: Segment):
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


def _in_order(fieldname, words, ids, candidates, segment: Segment) -> np.ndarray:
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


def _prefix(query: wq.Prefix, segment: Segment, *, scored: bool) -> Match:
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
        return Match(mask, mask.astype(np.float64))
    # Otherwise the terms score as usual, even under a constant score (Term.matcher falls back to the
    # searcher's weighting when the context has none), and the Or multiplies their sum by the boost.
    return _union(matches, query.boost, segment, scored=scored, preloaded=preloaded)


def _date_range(query, segment: Segment, *, scored: bool) -> Match:
    fieldobj = segment.reader.schema[query.fieldname]
    values = segment.arrays.numbers(segment.number, segment.reader, query.fieldname)
    if values is None:
        raise Unsupported("range without a numeric column")
    # A document without a date holds the column's default and has no term for the range to match.
    mask = values != fieldobj.column_type.default_value()
    if query.start is not None:
        start = fieldobj.prepare_number(query.start)
        mask &= (values > start) if query.startexcl else (values >= start)
    if query.end is not None:
        end = fieldobj.prepare_number(query.end)
        mask &= (values < end) if query.endexcl else (values <= end)
    return Match(mask, mask * float(query.boost) if scored else None)
