"""How the PostgreSQL engine ranks: Whoosh's BM25F over the entries' term frequencies.

Ranking is Whoosh's BM25F, per leaf: boost × idf × tf (K1 + 1) / (tf + K1 (1 - B + B fl / avgfl)),
with the field's boost weighing the frequency. PostgreSQL has no function that returns a lexeme's
frequency, but `ts_rank` of a one-term query (normalisation 0, every position of weight D = 0.1) is
0.1 / 1.6449 times the sum of 1/j² for j = 1..tf, which fixes tf: the rest of that series is about
1 / (tf + 0.5), so tf = round(1 / (1.6449 - rank / 0.060793) - 0.5), exact up to PostgreSQL's 256
positions per lexeme. A phrase counts once where it matches. Document frequencies are counted with the
GIN index and cached per process for `SEARCH_POSTGRES_DF_CACHE_SECONDS` (they move slowly; matching
never uses them). `benchmarks/search_quality.py` compares it with `ts_rank_cd` on the same matches.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

from django.conf import settings

from archive.search import schema
from archive.search.models import SearchEntry
from archive.search.postgres_engine.compile import Leaf

# Whoosh's BM25F defaults.
BM25_B = 0.75
BM25_K1 = 1.2
# `ts_rank` of a one-term query with one occurrence, and the sum of 1/j² (see the module's docstring).
RANK_ONE = 0.1 / 1.6449340668482264
ZETA_2 = 1.6449340668482264
STATISTICS_CACHE_SIZE = 100_000
# "bm25" (below) or "ts_rank_cd", PostgreSQL's own cover density over the whole query, which
# benchmarks/search_quality.py measures beside it (it ranked lower on every set: RESULTS-search.md).
RANKING = "bm25"
TITLE_FIELDS = {schema.TITLE, schema.TITLE_NORM, schema.TITLE_WRITTEN}
ENTRY_TABLE = SearchEntry._meta.db_table


class Statistics:
    """Document frequencies, the entry count and the average lengths, cached for a while (bounded)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.values: dict[tuple[str, str], tuple[float, object]] = {}

    def read(self, cursor, alias: str, texts: list[str]) -> tuple[dict[str, float], dict[str, int]]:
        """(entries and average lengths, document frequency of each `tsquery` text), in one statement
        for whatever is not cached. The cursor is a search cursor (the backend's `_search_cursor`), whose
        planner counts through the GIN index."""
        ttl = settings.SEARCH_POSTGRES_DF_CACHE_SECONDS
        now = time.monotonic()
        found: dict[str, int] = {}
        missing = []
        for text in dict.fromkeys(texts):
            cached = self.values.get((alias, text))
            if cached is not None and now - cached[0] < ttl:
                found[text] = cached[1]
            else:
                missing.append(text)
        cached = self.values.get((alias, STATS_KEY))
        stats = cached[1] if cached is not None and now - cached[0] < ttl else None
        if stats is not None and not missing:
            return stats, found
        columns = []
        if stats is None:
            columns.append(f"(SELECT count(*) FROM {ENTRY_TABLE})")
            columns.append(f"(SELECT avg(text_length) FROM {ENTRY_TABLE})")
            columns.append(f"(SELECT avg(title_length) FROM {ENTRY_TABLE})")
        columns += [f"(SELECT count(*) FROM {ENTRY_TABLE} WHERE document @@ %s::tsquery)" for _ in missing]
        cursor.execute("SELECT " + ", ".join(columns), missing)
        row = list(cursor.fetchone())
        with self.lock:
            if len(self.values) + len(missing) > STATISTICS_CACHE_SIZE:
                self.values.clear()
            if stats is None:
                entries, text, title = row[:3]
                row = row[3:]
                stats = {"entries": int(entries), "text": float(text or 1), "title": float(title or 1)}
                self.values[(alias, STATS_KEY)] = (now, stats)
            for text, count in zip(missing, row, strict=True):
                self.values[(alias, text)] = (now, int(count))
                found[text] = int(count)
        return stats, found

    def clear(self) -> None:
        with self.lock:
            self.values.clear()


statistics = Statistics()
STATS_KEY = "\x00stats"  # the entry count and average lengths, cached with the frequencies


def leaf_ranks(leaves: list[Leaf]) -> tuple[str, list]:
    """The `ts_rank` of each leaf, as columns r0, r1, ... (each entry decompressed once for all).

    A phrase's column is 1 where it matches, 0 elsewhere: `ts_rank` of a phrase is above 0 wherever
    one of its words is (1e-20 where none is), so it cannot say whether the phrase matched."""
    sql = "".join(
        f", (v @@ %s::tsquery)::int::float8 AS r{i}"
        if leaf.kind == "phrase"
        else f", ts_rank(v, %s::tsquery, 0)::float8 AS r{i}"
        for i, leaf in enumerate(leaves)
    )
    return sql, [leaf.tsquery for leaf in leaves]


@dataclass(frozen=True)
class LeafWeight:
    """What one leaf adds for a frequency tf: weight × f / (f + K1 × norm), f = field_boost × tf."""

    weight: float  # the leaf's boost × idf × (K1 + 1)
    field_boost: float
    length: str | None  # the entry's length column, or None: the names field, every entry average
    average: float  # that length's average over the entries

    def norm_sql(self) -> str:
        if self.length is None:
            return "1.0"
        return f"({1 - BM25_B} + {BM25_B / max(self.average, 1.0)} * {self.length})"

    def norm(self, lengths):
        """The norm of each entry, from an array of its length column (the SQL's, in numpy)."""
        if self.length is None:
            return 1.0
        return (1 - BM25_B) + (BM25_B / max(self.average, 1.0)) * lengths


def leaf_weights(leaves: list[Leaf], stats: dict, frequencies: dict[str, int]) -> list[LeafWeight]:
    total = max(stats["entries"], 1)
    weights = []
    for leaf in leaves:
        if leaf.field == schema.NAMES:
            length, average = None, 1.0
        elif leaf.field in TITLE_FIELDS:
            length, average = "title_length", stats["title"]
        else:
            length, average = "text_length", stats["text"]
        weight = leaf.boost * idf(frequencies[leaf.tsquery], total) * (BM25_K1 + 1)
        weights.append(LeafWeight(weight, schema.TEXT_FIELDS[leaf.field].boost, length, average))
    return weights


def leaf_scores(leaves: list[Leaf], stats: dict, frequencies: dict[str, int]) -> tuple[str, list]:
    """BM25F summed over the leaves, from the rank columns of `leaf_ranks`."""
    if not leaves:
        return "0.0", []
    parts, params = [], []
    for i, (leaf, weight) in enumerate(zip(leaves, leaf_weights(leaves, stats, frequencies), strict=True)):
        rank = f"r{i}"
        if leaf.kind == "phrase":
            tf = "1.0"
        else:
            tf = f"greatest(1.0, round(1.0 / ({ZETA_2} - {rank} / {RANK_ONE}) - 0.5))"
        tf = f"({weight.field_boost} * {tf})"
        parts.append(
            f"CASE WHEN {rank} = 0 THEN 0 ELSE %s * {tf} / ({tf} + {BM25_K1} * {weight.norm_sql()}) END"
        )
        params.append(weight.weight)
    return "(" + " + ".join(parts) + ")", params


def idf(df: int, total: int) -> float:
    """Whoosh's idf (`WeightingModel.idf`)."""
    return math.log(total / (df + 1)) + 1
