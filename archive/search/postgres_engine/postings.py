"""Each term's postings compiled from the entries, so that ranking need not read every matching entry.

Ranking from the entries decompresses each matching `tsvector` (every analysed field with positions,
about 17 µs an entry): a common word's thousands of matches cost more than everything else a search
does. The compiled postings hold, per lexeme, the articles holding it and its frequency in each, packed
in one row (`SearchPostings`); a search reads the rows of its terms and scores every match with numpy,
by the same formula as the SQL (ranking.py), and the parity test holds the two to the same hits, order
and scores.

The entries stay the truth. Each carries `compiled`, set by the compile that read it and cleared by
every later write of it; a match whose entry is not compiled is ranked from its `document` as before,
so an edit counts at once and the postings only ever make ranking faster. A compile runs after a
rebuild and, from the index writer (`maintain`), once enough entries changed.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass
from itertools import chain

import numpy as np
from django.db import OperationalError, transaction
from django.db import connections as db_connections

from archive.search import querytree as qt
from archive.search import schema
from archive.search.models import SearchEntry, SearchPostings
from archive.search.postgres_engine.compile import EXACT, SUPERSET, Leaf, query_condition
from archive.search.postgres_engine.documents import FIELD_CODES
from archive.search.postgres_engine.ranking import BM25_K1, LeafWeight

log = logging.getLogger(__name__)

ENTRY_TABLE = SearchEntry._meta.db_table
POSTINGS_TABLE = SearchPostings._meta.db_table
# A compile reads every entry (about 20 s at 31.5k articles): the writer runs one once this many
# entries, and this share of them, changed since the last.
RECOMPILE_MIN_STALE = 200
RECOMPILE_STALE_SHARE = 0.02
RECOMPILE_CHECK_SECONDS = 60.0
COMPILE_ATTEMPTS = 3
# Only one compile at a time (the writer threads of several web processes, a rebuild).
COMPILE_LOCK = 0x44_49_57_41_4E  # "DIWAN"
# The packed arrays hold 4-byte ids; an archive with larger ids ranks from the entries.
MAX_ARTICLE_ID = 2**31 - 1

# Keyword values (no positions) are compiled too: a filter is checked against them.
COMPILE_SQL = f"""
INSERT INTO {POSTINGS_TABLE} (term, articles, frequencies, positions)
SELECT lexeme,
       string_agg(int4send(article_id::int4), ''::bytea ORDER BY article_id),
       string_agg(int2send(coalesce(cardinality(positions), 0)::int2), ''::bytea ORDER BY article_id),
       coalesce(string_agg(NULLIF(array_to_string(positions, ','), ''), ',' ORDER BY article_id), '')
FROM {ENTRY_TABLE}, unnest(document) AS entry(lexeme, positions, weights)
GROUP BY lexeme
"""
# A phrase's words are at positions p, p + 1, ...: (article, position - offset) keys, as one integer.
POSITION_SPAN = 1 << 16


def postings_compile(*, alias: str) -> bool:
    """Compile the postings from the entries as they are now; False when another compile is running
    or concurrent writes kept it from finishing (searches stay exact either way)."""
    for _attempt in range(COMPILE_ATTEMPTS):
        try:
            return _compile(alias)
        except OperationalError as error:  # a concurrent write to an entry it read: read them again
            log.info("Compiling the search postings: %s; trying again", error)
    return False


def _compile(alias: str) -> bool:
    connection = db_connections[alias]
    own_transaction = not connection.in_atomic_block
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        if own_transaction:
            # One snapshot for the read and the flags: an entry written after it conflicts with the
            # flags' update (the attempt is repeated) instead of being flagged as compiled.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        else:  # inside a caller's transaction: writers wait for the compile instead
            cursor.execute(f"LOCK TABLE {ENTRY_TABLE} IN SHARE MODE")
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [COMPILE_LOCK])
        if not cursor.fetchone()[0]:
            return False
        cursor.execute(f"SELECT coalesce(max(article_id), 0) FROM {ENTRY_TABLE}")
        if cursor.fetchone()[0] > MAX_ARTICLE_ID:
            return False
        cursor.execute("SELECT set_config('jit', 'off', true)")
        cursor.execute(f"DELETE FROM {POSTINGS_TABLE}")
        cursor.execute(COMPILE_SQL)
        cursor.execute(f"UPDATE {ENTRY_TABLE} SET compiled = TRUE WHERE NOT compiled")
        cursor.execute(f"ANALYZE {POSTINGS_TABLE}")
    return True


class Maintenance:
    """When the writer should compile again: checked at most once a minute per process."""

    def __init__(self):
        self.checked = -RECOMPILE_CHECK_SECONDS

    def run(self, *, alias: str) -> bool:
        now = time.monotonic()
        if now - self.checked < RECOMPILE_CHECK_SECONDS:
            return False
        self.checked = now
        with db_connections[alias].cursor() as cursor:
            cursor.execute(
                f"SELECT (SELECT count(*) FROM {ENTRY_TABLE} WHERE NOT compiled), "
                f"(SELECT reltuples FROM pg_class WHERE oid = %s::regclass)",
                [ENTRY_TABLE],
            )
            stale, entries = cursor.fetchone()
        if stale < max(RECOMPILE_MIN_STALE, RECOMPILE_STALE_SHARE * max(entries or 0, 0)):
            return False
        return postings_compile(alias=alias)


maintenance = Maintenance()


@dataclass
class Postings:
    """The compiled postings of one lexeme."""

    articles: np.ndarray
    frequencies: np.ndarray
    positions: str

    def holding(self, ids: np.ndarray) -> np.ndarray:
        """Whether each of `ids` (ascending) holds the lexeme."""
        at = np.searchsorted(self.articles, ids)
        inside = at < len(self.articles)
        found = np.zeros(len(ids), dtype=bool)
        found[inside] = self.articles[at[inside]] == ids[inside]
        return found

    def frequency(self, ids: np.ndarray) -> np.ndarray:
        """The lexeme's frequency in each of `ids` (0 where it is not)."""
        found = self.holding(ids)
        tf = np.zeros(len(ids), dtype=np.float64)
        tf[found] = self.frequencies[np.searchsorted(self.articles, ids[found])]
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
# Positions are at most 16383 (PostgreSQL's): a span above that keeps article and position apart.
POSITION_SPAN = 1 << 16


class Checker:
    """Checks the candidates of one query against the compiled postings of its lexemes."""

    def __init__(self, postings: dict[str, Postings], ids: np.ndarray, dates: np.ndarray):
        self.postings, self.ids, self.dates = postings, ids, dates
        self.occurrences: dict[str, np.ndarray] = {}
        self.phrases: dict[tuple[str, tuple], np.ndarray] = {}

    def lexeme(self, field: str, text: str) -> Postings:
        return self.postings.get(FIELD_CODES[field] + text, NO_POSTINGS)

    def phrase(self, field: str, terms: tuple) -> np.ndarray:
        """Whether each candidate holds the phrase: its words at consecutive positions (`<->`)."""
        key = (field, tuple(terms))
        if key not in self.phrases:
            self.phrases[key] = self._phrase(field, tuple(terms))
        return self.phrases[key]

    def _phrase(self, field: str, terms: tuple) -> np.ndarray:
        if field not in FIELD_CODES or not terms:
            return np.zeros(len(self.ids), dtype=bool)
        found = None
        for offset, term in enumerate(terms):
            lexeme = FIELD_CODES[field] + term
            if lexeme not in self.occurrences:
                self.occurrences[lexeme] = self.lexeme(field, term).occurrences(self.ids)
            shifted = self.occurrences[lexeme] - offset  # where the phrase would start
            found = shifted if found is None else np.intersect1d(found, shifted, assume_unique=True)
            if not len(found):
                return np.zeros(len(self.ids), dtype=bool)
        return np.isin(self.ids, found // POSITION_SPAN)

    def matches(self, node: qt.Node) -> np.ndarray:
        """Whether each candidate matches `node`: compile.py's condition, in numpy."""
        match node:
            case qt.Term(field, text, _boost):
                if field not in FIELD_CODES:
                    return np.zeros(len(self.ids), dtype=bool)
                return self.lexeme(field, text).holding(self.ids)
            case qt.Phrase(field, terms, _boost):
                return self.phrase(field, terms)
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


@dataclass
class Matches:
    """What a query matches, in article order, with what scoring and facets read; `compiled` says
    which were checked against the postings (the others against their entries)."""

    ids: np.ndarray
    compiled: np.ndarray
    lengths: dict[str, np.ndarray]
    postings: dict[str, Postings]
    phrases: dict[str, np.ndarray]  # a phrase leaf's `tsquery` -> whether each match holds it
    facet_rows: list[tuple]

    def facets(self) -> dict[str, dict[str, int]]:
        """The facet counts, as the engine's SQL facets count them."""
        counts = {name: {} for name in schema.FACETS}
        if not self.facet_rows:
            return counts
        years, sources, officials, places = zip(*self.facet_rows, strict=True)
        counts["year"] = {str(year): n for year, n in Counter(years).items() if year is not None}
        counts["source"] = {source: n for source, n in Counter(sources).items() if source}
        counts["official"] = dict(Counter(chain.from_iterable(v.split("\n") for v in officials if v)))
        counts["place"] = dict(Counter(chain.from_iterable(v.split("\n") for v in places if v)))
        return counts


def matches_read(cursor, node: qt.Node, leaves: list[Leaf], *, facets: bool) -> Matches:
    """The matches of `node`: the index's superset of them, each compiled entry checked against the
    postings and each other one against its entry (`document @@` on those alone)."""
    superset, exact = query_condition(node, SUPERSET), query_condition(node, EXACT)
    columns = "article_id, compiled, text_length, title_length, date"
    if facets:
        columns += ", year, source, officials, places"
    cursor.execute(
        f"SELECT {columns}, CASE WHEN compiled THEN NULL ELSE ({exact.sql}) END "
        f"FROM {ENTRY_TABLE} WHERE {superset.sql} ORDER BY article_id",
        [*exact.params, *superset.params],
    )
    rows = cursor.fetchall()
    count = len(rows)
    ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=count)
    compiled = np.fromiter((row[1] for row in rows), dtype=bool, count=count)
    keep = np.fromiter((bool(row[-1]) for row in rows), dtype=bool, count=count)
    checker = Checker({}, ids, np.empty(0, dtype="datetime64[D]"))
    if compiled.any():
        dates = np.empty(0, dtype="datetime64[D]")
        if any(isinstance(part, qt.DateRange) for part in _nodes(node)):
            dates = np.array([row[4] or "NaT" for row in rows], dtype="datetime64[D]")
        checker = Checker(postings_read(cursor, node), ids, dates)
        keep[compiled] = checker.matches(node)[compiled]
    rows = [row for row, kept in zip(rows, keep, strict=True) if kept]
    ids, compiled = ids[keep], compiled[keep]
    phrases = {
        leaf.tsquery: checker.phrase(leaf.field, leaf.terms)[keep] for leaf in leaves if leaf.kind == "phrase"
    }
    return Matches(
        ids=ids,
        compiled=compiled,
        lengths={
            "text_length": np.fromiter((row[2] for row in rows), dtype=np.float64, count=len(rows)),
            "title_length": np.fromiter((row[3] for row in rows), dtype=np.float64, count=len(rows)),
        },
        postings=checker.postings,
        phrases=phrases,
        facet_rows=[row[5:9] for row in rows] if facets else [],
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
