"""Searching from the compiled postings (postings.py compiles them): the matches of a query, their
lengths and facets, and their scores, without reading the entries that the postings hold as they are.

Each process keeps the columns of the compiled entries (lengths, date, year, source, officials and
places) for the current compile (`SearchCompilation.generation`): one copy per database alias, read again
after each compile (about 90 bytes an entry and each facet value once: some 3 MB at 31.5k articles). What
changed since the compile is read in the search's own snapshot: the entries written since (not
`compiled`), matched and ranked from their `document`, and the entries deleted since (`SearchRemoved`,
written by a trigger), left out. So the answers are those of the entries as the
snapshot holds them, which the parity test checks against ranking from the entries.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass

import numpy as np

from archive.search import querytree as qt
from archive.search import schema
from archive.search.models import SearchCompilation, SearchEntry, SearchPostings, SearchRemoved
from archive.search.postgres_engine.compile import Leaf, query_condition
from archive.search.postgres_engine.documents import FIELD_CODES
from archive.search.postgres_engine.ranking import BM25_K1, LeafWeight

ENTRY_TABLE = SearchEntry._meta.db_table
POSTINGS_TABLE = SearchPostings._meta.db_table
COMPILATION_TABLE = SearchCompilation._meta.db_table
REMOVED_TABLE = SearchRemoved._meta.db_table
# The columns a match needs beside its postings, in this order in every statement below.
ENTRY_COLUMNS = "article_id, text_length, title_length, date, year, source, officials, places"
# Positions are at most 16383 (PostgreSQL's): a span above that keeps article and position apart.
POSITION_SPAN = 1 << 16


@dataclass
class Postings:
    """The compiled postings of one lexeme."""

    articles: np.ndarray
    frequencies: np.ndarray
    positions: str

    def mask(self, ids: np.ndarray) -> np.ndarray:
        """Whether each of `ids` (ascending) holds the lexeme, in time of the lexeme's own articles."""
        at = np.searchsorted(ids, self.articles)
        inside = at < len(ids)
        at = at[inside]
        at = at[ids[at] == self.articles[inside]]
        found = np.zeros(len(ids), dtype=bool)
        found[at] = True
        return found

    def frequency(self, ids: np.ndarray) -> np.ndarray:
        """The lexeme's frequency in each of `ids` (0 where it is not)."""
        at = np.searchsorted(self.articles, ids)
        found = np.zeros(len(ids), dtype=bool)
        inside = at < len(self.articles)
        found[inside] = self.articles[at[inside]] == ids[inside]
        tf = np.zeros(len(ids), dtype=np.float64)
        tf[found] = self.frequencies[at[found]]
        return tf

    def occurrences(self, ids: np.ndarray) -> np.ndarray:
        """Every occurrence in `ids` as one integer, article × POSITION_SPAN + position, ascending."""
        if not self.positions:
            return np.empty(0, dtype=np.int64)
        positions = np.fromstring(self.positions, dtype=np.int64, sep=",")
        articles = np.repeat(self.articles.astype(np.int64), self.frequencies.astype(np.int64))
        wanted = np.isin(articles, ids)
        return articles[wanted] * POSITION_SPAN + positions[wanted]


NO_POSTINGS = Postings(np.empty(0, ">i4"), np.empty(0, ">i2"), "")


class Checker:
    """Checks every one of `ids` (ascending: the compiled entries) against the compiled postings of
    one query's lexemes, as boolean arrays over them."""

    def __init__(self, postings: dict[str, Postings], ids: np.ndarray, dates: np.ndarray):
        self.postings, self.ids, self.dates = postings, ids, dates
        self.masks: dict[str, np.ndarray] = {}
        self.phrases: dict[tuple[str, tuple], np.ndarray] = {}

    def lexeme(self, field: str, text: str) -> np.ndarray:
        """Whether each entry holds the lexeme."""
        key = FIELD_CODES[field] + text
        if key not in self.masks:
            self.masks[key] = self.postings.get(key, NO_POSTINGS).mask(self.ids)
        return self.masks[key]

    def phrase(self, field: str, terms: tuple) -> np.ndarray:
        """Whether each entry holds the phrase: its words at consecutive positions (`<->`)."""
        key = (field, tuple(terms))
        if key not in self.phrases:
            self.phrases[key] = self._phrase(field, tuple(terms))
        return self.phrases[key]

    def _phrase(self, field: str, terms: tuple) -> np.ndarray:
        held = np.zeros(len(self.ids), dtype=bool)
        if field not in FIELD_CODES or not terms:
            return held
        held[:] = True
        for term in terms:
            held &= self.lexeme(field, term)
        candidates = self.ids[held]  # holding every word: only their positions are read
        found = None
        for offset, term in enumerate(terms):
            occurrences = self.postings.get(FIELD_CODES[field] + term, NO_POSTINGS).occurrences(candidates)
            shifted = occurrences - offset  # where the phrase would start
            found = shifted if found is None else np.intersect1d(found, shifted, assume_unique=True)
            if not len(found):
                return np.zeros(len(self.ids), dtype=bool)
        held[held] = np.isin(candidates, found // POSITION_SPAN)
        return held

    def matches(self, node: qt.Node) -> np.ndarray:
        """Whether each candidate matches `node`: compile.py's condition, in numpy."""
        match node:
            case qt.Term(field, text, _boost):
                if field not in FIELD_CODES:
                    return np.zeros(len(self.ids), dtype=bool)
                return self.lexeme(field, text).copy()
            case qt.Phrase(field, terms, _boost):
                return self.phrase(field, terms).copy()
            case qt.And(parts):
                found = np.ones(len(self.ids), dtype=bool)
                for part in parts:
                    found &= self.matches(part)
                return found
            case qt.Or(parts):
                found = np.zeros(len(self.ids), dtype=bool)
                for part in parts:
                    found |= self.matches(part)
                return found
            case qt.AndNot(positive, negative):
                return self.matches(positive) & ~self.matches(negative)
            case qt.Every():
                return np.ones(len(self.ids), dtype=bool)
            case qt.Nothing():
                return np.zeros(len(self.ids), dtype=bool)
            case qt.DateRange(_field, start, end):
                found = ~np.isnat(self.dates)
                if start is not None:
                    found &= self.dates >= np.datetime64(
                        start.date() if hasattr(start, "date") else start, "D"
                    )
                if end is not None:
                    found &= self.dates <= np.datetime64(end.date() if hasattr(end, "date") else end, "D")
                return found
        raise TypeError(f"Not compiled: {node!r}")  # a prefix: the caller ranks from the entries


def postings_read(cursor, node: qt.Node) -> dict[str, Postings]:
    """The postings of every lexeme of `node` (positions only for the words of its phrases)."""
    lexemes, phrase_lexemes = set(), set()
    for part in _nodes(node):
        if isinstance(part, qt.Term) and part.field in FIELD_CODES:
            lexemes.add(FIELD_CODES[part.field] + part.text)
        elif isinstance(part, qt.Phrase) and part.field in FIELD_CODES:
            words = {FIELD_CODES[part.field] + term for term in part.terms}
            lexemes |= words
            phrase_lexemes |= words
    if not lexemes:
        return {}
    cursor.execute(
        f"SELECT term, articles, frequencies, CASE WHEN term = ANY(%s) THEN positions ELSE '' END "
        f"FROM {POSTINGS_TABLE} WHERE term = ANY(%s)",
        [sorted(phrase_lexemes), sorted(lexemes)],
    )
    return {
        term: Postings(
            np.frombuffer(bytes(articles), ">i4"), np.frombuffer(bytes(frequencies), ">i2"), positions
        )
        for term, articles, frequencies, positions in cursor.fetchall()
    }


def compilable(node: qt.Node) -> bool:
    """Whether the postings answer `node` (a prefix stands for words a query does not name)."""
    return not any(isinstance(part, qt.Prefix) for part in _nodes(node))


def _nodes(node: qt.Node):
    yield node
    match node:
        case qt.And(parts) | qt.Or(parts):
            for part in parts:
                yield from _nodes(part)
        case qt.AndNot(positive, negative):
            yield from _nodes(positive)
            yield from _nodes(negative)


class Facet:
    """One facet of the compiled entries: each entry's values as codes into `values` (CSR)."""

    def __init__(self, lists: list[list[str]]):
        codes: dict[str, int] = {}
        flat = [codes.setdefault(value, len(codes)) for values in lists for value in values]
        self.values = list(codes)
        self.codes = np.array(flat, dtype=np.int32)
        self.starts = np.zeros(len(lists) + 1, dtype=np.int64)
        np.cumsum([len(values) for values in lists], out=self.starts[1:])

    def counts(self, rows: np.ndarray) -> Counter:
        """How many of the entries at `rows` hold each value."""
        if not len(rows) or not len(self.codes):
            return Counter()
        lengths = self.starts[rows + 1] - self.starts[rows]
        at = np.repeat(self.starts[rows] - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        found = np.bincount(self.codes[at], minlength=len(self.values))
        return Counter({self.values[code]: int(found[code]) for code in np.flatnonzero(found)})


def _facet_values(row: tuple) -> dict[str, list[str]]:
    """The facet values of one entry row (ENTRY_COLUMNS), as the engine's SQL facets count them."""
    year, source, officials, places = row[4:8]
    return {
        "year": [] if year is None else [str(year)],
        "source": [source] if source else [],
        "official": officials.split("\n") if officials else [],
        "place": places.split("\n") if places else [],
    }


class Columns:
    """The columns of the entries compiled by one compile, in article order."""

    def __init__(self, generation: int, rows: list[tuple]):
        self.generation = generation
        count = len(rows)
        self.ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=count)
        self.lengths = {
            "text_length": np.fromiter((row[1] for row in rows), dtype=np.float64, count=count),
            "title_length": np.fromiter((row[2] for row in rows), dtype=np.float64, count=count),
        }
        self.dates = np.array([row[3] or "NaT" for row in rows], dtype="datetime64[D]")
        values = [_facet_values(row) for row in rows]
        self.facets = {name: Facet([v[name] for v in values]) for name in schema.FACETS}


class ColumnCache:
    """The `Columns` of the current compile, per database alias."""

    def __init__(self):
        self.lock = threading.Lock()
        self.columns: dict[str, Columns] = {}

    def get(self, cursor, alias: str, generation: int) -> Columns:
        columns = self.columns.get(alias)
        if columns is None or columns.generation != generation:
            # Read in the search's snapshot, which sees `generation`: the compiled entries of it that
            # are still compiled (those written or deleted since are read or left out per search).
            cursor.execute(f"SELECT {ENTRY_COLUMNS} FROM {ENTRY_TABLE} WHERE compiled ORDER BY article_id")
            columns = Columns(generation, cursor.fetchall())
            with self.lock:
                self.columns[alias] = columns
        return columns

    def clear(self) -> None:
        with self.lock:
            self.columns.clear()


column_cache = ColumnCache()


@dataclass
class Matches:
    """What a query matches, in article order, with what scoring reads and the facet counts;
    `compiled` says which were checked against the postings (the others against their entries)."""

    ids: np.ndarray
    compiled: np.ndarray
    lengths: dict[str, np.ndarray]
    postings: dict[str, Postings]
    phrases: dict[str, np.ndarray]  # a phrase leaf's `tsquery` -> whether each match holds it
    facets: dict[str, dict[str, int]]


def matches_read(cursor, alias: str, node: qt.Node, leaves: list[Leaf]) -> Matches | None:
    """The matches of `node` from the compiled postings and what changed since their compile, or None
    when nothing was compiled (the caller ranks from the entries)."""
    cursor.execute(
        f"SELECT (SELECT generation FROM {COMPILATION_TABLE} WHERE id = 1), "
        f"ARRAY(SELECT article_id FROM {REMOVED_TABLE}), "
        f"ARRAY(SELECT article_id FROM {ENTRY_TABLE} WHERE NOT compiled)"
    )
    generation, removed, stale = cursor.fetchone()
    if generation is None:
        return None
    columns = column_cache.get(cursor, alias, generation)
    postings = postings_read(cursor, node)
    checker = Checker(postings, columns.ids, columns.dates)
    kept = checker.matches(node)
    if removed or stale:  # no longer as compiled: left out here, the stale ones read below
        kept &= ~np.isin(columns.ids, np.array([*removed, *stale], dtype=np.int64))
    rows = np.flatnonzero(kept)
    ids = columns.ids[rows]
    stale_rows = []
    if stale:
        exact = query_condition(node)
        cursor.execute(
            f"SELECT {ENTRY_COLUMNS} FROM {ENTRY_TABLE} "
            f"WHERE NOT compiled AND {exact.sql} ORDER BY article_id",
            list(exact.params),
        )
        stale_rows = cursor.fetchall()
    facets = {name: facet.counts(rows) for name, facet in columns.facets.items()}
    for row in stale_rows:
        for name, values in _facet_values(row).items():
            facets[name].update(values)
    count = len(stale_rows)
    stale_ids = np.fromiter((row[0] for row in stale_rows), dtype=np.int64, count=count)
    order = np.argsort(np.concatenate([ids, stale_ids]), kind="stable")
    return Matches(
        ids=np.concatenate([ids, stale_ids])[order],
        compiled=np.concatenate([np.ones(len(ids), dtype=bool), np.zeros(count, dtype=bool)])[order],
        lengths={
            name: np.concatenate(
                [values[rows], np.fromiter((row[i] for row in stale_rows), dtype=np.float64, count=count)]
            )[order]
            for i, (name, values) in enumerate(columns.lengths.items(), start=1)
        },
        postings=postings,
        phrases={
            leaf.tsquery: np.concatenate(
                [checker.phrase(leaf.field, leaf.terms)[rows], np.zeros(count, dtype=bool)]
            )[order]
            for leaf in leaves
            if leaf.kind == "phrase"
        },
        facets={name: dict(counts) for name, counts in facets.items()},
    )


def compiled_scores(matches: Matches, leaves: list[Leaf], weights: list[LeafWeight]) -> np.ndarray:
    """The BM25F score of each compiled match (0 for the others): a term's frequency from its
    postings, a phrase counting once where it matches (as ranking.py's SQL counts them)."""
    scores = np.zeros(len(matches.ids), dtype=np.float64)
    for leaf, weight in zip(leaves, weights, strict=True):
        if leaf.kind == "phrase":
            tf = matches.phrases[leaf.tsquery].astype(np.float64)
        else:
            tf = matches.postings.get(leaf.lexeme, NO_POSTINGS).frequency(matches.ids)
        f = weight.field_boost * tf
        norm = weight.norm(matches.lengths[weight.length]) if weight.length else 1.0
        with np.errstate(invalid="ignore", divide="ignore"):
            scores += np.where(tf > 0, weight.weight * f / (f + BM25_K1 * norm), 0.0)
    return np.where(matches.compiled, scores, 0.0)
