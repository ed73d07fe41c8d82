"""The PostgreSQL engine: Diwan's `SearchEngine` inside the database (`SEARCH_ENGINE=postgres`).

Entries (`archive.search.models.SearchEntry`) hold Diwan's own analysis as a `tsvector` with positions
(documents.py), GIN-indexed; they are written in the transaction that changes the article (the engine
`writes_in_transaction`), so a reader never sees an article without its entry. Query trees become SQL
(compile.py); facets are SQL over the matches; highlights are cut from the stored text by the service,
as for Whoosh.

Ranking (BM25F, as Whoosh scores) is ranking.py's. A ranked search whose terms have compiled postings
(postings.py) is matched, ranked and faceted from them instead (compiled.py), with the same answers.
"""

from __future__ import annotations

import contextlib
from collections import Counter

import numpy as np
from django.conf import settings
from django.db import connections as db_connections
from django.db import router, transaction
from haystack.backends import BaseEngine
from haystack.exceptions import SkipDocument
from rapidfuzz.distance import Levenshtein

from archive.articles.changes import article_changes_forget, article_changes_pending
from archive.search import querytree as qt
from archive.search import schema
from archive.search.analysis import index_terms
from archive.search.engine import (
    EngineQuery,
    EngineResults,
    HaystackBackend,
    NoSearchQuery,
    Progress,
    SearchEngine,
    article_index,
)
from archive.search.models import SearchCompilation, SearchEntry, SearchPostings, SearchRemoved, SearchTerm
from archive.search.postgres_engine import ranking
from archive.search.postgres_engine.compile import Condition, query_condition, query_leaves, tsquery
from archive.search.postgres_engine.compiled import column_cache, compilable, compiled_scores, matches_read
from archive.search.postgres_engine.documents import entry_row, normalized_terms
from archive.search.postgres_engine.postings import maintenance, postings_compile
from archive.search.postgres_engine.ranking import idf, leaf_ranks, leaf_scores, leaf_weights, statistics
from archive.search.suggest import suggest_query

BATCH_SIZE = 500
RELATED_KEY_TERMS = 12
RELATED_CANDIDATES = 40
ENTRY_TABLE = SearchEntry._meta.db_table
TERM_TABLE = SearchTerm._meta.db_table
POSTINGS_TABLE = SearchPostings._meta.db_table
COLUMNS = (
    "document",
    "date",
    "year",
    "source",
    "officials",
    "places",
    "text_length",
    "title_length",
    "updated",
)
UPSERT_SQL = f"""
INSERT INTO {ENTRY_TABLE} (article_id, {", ".join(COLUMNS)}, compiled)
VALUES (%s, %s::tsvector, {", ".join(["%s"] * (len(COLUMNS) - 1))}, FALSE)
ON CONFLICT (article_id) DO UPDATE SET {", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS)}, compiled = FALSE
WHERE {ENTRY_TABLE}.updated <= EXCLUDED.updated
"""
# A rebuild that read an article before an edit committed must not overwrite the edit's newer entry:
# the `updated` guard above keeps the newer one.
TERMS_SQL = f"INSERT INTO {TERM_TABLE} (term) SELECT unnest(%s::text[]) ON CONFLICT DO NOTHING"


class PostgresBackend(HaystackBackend, SearchEngine):
    writes_in_transaction = True

    # Searching -------------------------------------------------------------------------------------------

    def _read_alias(self) -> str:
        """Where searches read: the replica when `DATABASE_REPLICA_URL` is set (archive/search/router.py)."""
        return router.db_for_read(SearchEntry)

    def execute(self, request: EngineQuery) -> EngineResults:
        alias = self._read_alias()
        node = request.query if request.filters is None else qt.And((request.query, request.filters))
        condition = query_condition(node)
        sort = request.sort
        if sort == "relevance" and isinstance(request.query, qt.Every):
            sort = "newest"  # nothing to rank: newest first, as the Whoosh engine answers
        facets = None
        with _search_cursor(alias) as cursor:
            if sort == "relevance":
                hits, total, facets = self._ranked(cursor, alias, node, request, condition)
            else:
                hits, total = self._by_date(cursor, request, condition, newest=sort == "newest")
            if not request.facets:
                return EngineResults(hits=hits, total=max(total, len(hits)))
            if facets is None:
                total, facets = self._facets(cursor, condition)
        return EngineResults(hits=hits, total=total, facets=facets)

    def _ranked(
        self, cursor, alias: str, node, request: EngineQuery, condition
    ) -> tuple[list, int, dict | None]:
        """The hits in rank order, the total, and the facet counts when they came with the ranking."""
        leaves = query_leaves(request.query)
        if ranking.RANKING == "ts_rank_cd" and leaves:
            score_sql = "ts_rank_cd(v, %s::tsquery)"
            score_params = ["(" + " | ".join(leaf.tsquery for leaf in leaves) + ")"]
            rows = self._scored(cursor, (score_sql, score_params), ("", []), condition, request.limit)
            return [(pk, score) for pk, score, _ in rows], (rows[0][2] if rows else 0), None
        stats, frequencies = statistics.read(cursor, alias, [leaf.tsquery for leaf in leaves])
        scores = leaf_scores(leaves, stats, frequencies)
        matches = None
        if settings.SEARCH_POSTGRES_POSTINGS and compilable(node):
            matches = matches_read(cursor, alias, node, leaves)
        if matches is not None:
            values = compiled_scores(matches, leaves, leaf_weights(leaves, stats, frequencies))
            if not matches.compiled.all():  # entries written since the postings: ranked from themselves
                stale = Condition(f"({condition.sql}) AND NOT compiled", condition.params)
                where = {pk: i for i, pk in enumerate(matches.ids.tolist())}
                for pk, score, _total in self._scored(cursor, scores, leaf_ranks(leaves), stale, None):
                    if pk in where:
                        values[where[pk]] = score
            order = np.lexsort((matches.ids, -values))[: request.limit]
            hits = [(int(matches.ids[i]), float(values[i])) for i in order]
            return hits, len(matches.ids), matches.facets if request.facets else None
        rows = self._scored(cursor, scores, leaf_ranks(leaves), condition, request.limit)
        return [(pk, score) for pk, score, _ in rows], (rows[0][2] if rows else 0), None

    def _scored(self, cursor, scores: tuple[str, list], ranks: tuple[str, list], condition, limit) -> list:
        """(article id, score, count of the matches) of the best `limit` matches, from their entries."""
        (score_sql, score_params), (rank_sql, rank_params) = scores, ranks
        limit_sql = "" if limit is None else f"LIMIT {int(limit)}"
        # The innermost subquery (kept apart by OFFSET 0) decompresses each matching entry once for all
        # the leaves' ranks; the next one (kept apart too) leaves the entry behind, or the planner carries
        # it up through the window count, which wrote it to temporary files (on a common word at 31.5k,
        # 50 MB and 357 ms instead of 203 ms).
        cursor.execute(
            f"""
            SELECT article_id, score, count(*) OVER () FROM (
                SELECT article_id, {score_sql} AS score FROM (
                    SELECT article_id, text_length, title_length, v{rank_sql} FROM (
                        SELECT article_id, text_length, title_length, document || ''::tsvector AS v
                        FROM {ENTRY_TABLE} WHERE {condition.sql} OFFSET 0
                    ) AS matched OFFSET 0
                ) AS ranked
            ) AS scored
            ORDER BY score DESC, article_id {limit_sql}
            """,
            [*score_params, *rank_params, *condition.params],
        )
        return [(int(pk), float(score), total) for pk, score, total in cursor.fetchall()]

    def _by_date(self, cursor, request: EngineQuery, condition, *, newest: bool) -> tuple[list, int]:
        # The Whoosh engine's order: date, then the id as text (its stored id field), missing dates oldest.
        order = (
            "date DESC NULLS LAST, article_id::text DESC"
            if newest
            else "date ASC NULLS FIRST, article_id::text"
        )
        limit_sql = "" if request.limit is None else f"LIMIT {int(request.limit)}"
        cursor.execute(
            f"SELECT article_id, count(*) OVER () FROM {ENTRY_TABLE} "
            f"WHERE {condition.sql} ORDER BY {order} {limit_sql}",
            list(condition.params),
        )
        rows = cursor.fetchall()
        return [(int(pk), 0.0) for pk, _ in rows], (rows[0][1] if rows else 0)

    def _facets(self, cursor, condition) -> tuple[int, dict[str, dict[str, int]]]:
        cursor.execute(
            f"""
            WITH matched AS (
                SELECT year, source, officials, places FROM {ENTRY_TABLE} WHERE {condition.sql}
            )
            SELECT '', '', count(*) FROM matched
            UNION ALL SELECT 'year', year::text, count(*) FROM matched WHERE year IS NOT NULL GROUP BY year
            UNION ALL SELECT 'source', source, count(*) FROM matched WHERE source <> '' GROUP BY source
            UNION ALL SELECT 'official', value, count(*) FROM matched,
                unnest(string_to_array(NULLIF(officials, ''), E'\\n')) AS value GROUP BY value
            UNION ALL SELECT 'place', value, count(*) FROM matched,
                unnest(string_to_array(NULLIF(places, ''), E'\\n')) AS value GROUP BY value
            """,
            list(condition.params),
        )
        total = 0
        facets: dict[str, dict[str, int]] = {name: {} for name in schema.FACETS}
        for name, value, count in cursor.fetchall():
            if not name:
                total = int(count)
            else:
                facets[name][value] = int(count)
        return total, facets

    def suggest(self, *, query: str, deadline: float) -> str | None:
        alias = self._read_alias()
        with _search_cursor(alias) as cursor:
            return suggest_query(vocabulary=_Vocabulary(cursor, alias), query=query, deadline=deadline)

    def related(self, *, article, limit: int) -> list[int]:
        alias = self._read_alias()
        counts = Counter(index_terms(f"{article.title}\n{article.body}", "stemmed"))
        candidates = [term for term, _ in counts.most_common(RELATED_CANDIDATES)]
        if not candidates:
            return []
        queries = {term: tsquery(qt.Term(schema.TEXT, term)) for term in candidates}
        with _search_cursor(alias) as cursor:
            stats, frequencies = statistics.read(cursor, alias, list(queries.values()))
            total = max(stats["entries"], 1)
            weighted = sorted(
                candidates, key=lambda term: -counts[term] * idf(frequencies[queries[term]], total)
            )
            key_terms = [term for term in weighted if frequencies[queries[term]] > 1][:RELATED_KEY_TERMS]
            if not key_terms:
                return []
            node = qt.any_of([qt.Term(schema.TEXT, term) for term in key_terms])
            request = EngineQuery(query=node, limit=limit + 1)
            hits, _total, _facets = self._ranked(cursor, alias, node, request, query_condition(node))
        return [pk for pk, _score in hits if pk != article.pk][:limit]

    def forget_cached_counts(self) -> None:
        """Nothing to drop: no totals or facet counts are cached (document frequencies, which only
        weigh the ranking, stay for SEARCH_POSTGRES_DF_CACHE_SECONDS)."""

    # Writing ---------------------------------------------------------------------------------------------

    def write(self, *, article_ids: list[int]) -> None:
        """The entries of these articles as the database has them now, in the caller's transaction."""
        ids = sorted({int(pk) for pk in article_ids})
        index = article_index()
        with transaction.atomic(using=router.db_for_write(SearchEntry)):
            for start in range(0, len(ids), BATCH_SIZE):
                chunk = ids[start : start + BATCH_SIZE]
                visible = list(index.index_queryset().filter(pk__in=chunk))
                self._upsert(index, visible)
                gone = sorted(set(chunk) - {article.pk for article in visible})
                if gone:
                    SearchEntry.objects.filter(article_id__in=gone).delete()

    def _upsert(self, index, articles: list) -> None:
        rows, terms = [], set()
        for article in articles:
            try:
                document = index.full_prepare(article)
            except SkipDocument:
                continue
            row = entry_row(document)
            rows.append((article.pk, *(row[column] for column in COLUMNS)))
            terms |= normalized_terms(document)
        if not rows:
            return
        with db_connections[router.db_for_write(SearchEntry)].cursor() as cursor:
            cursor.executemany(UPSERT_SQL, rows)
            cursor.execute(TERMS_SQL, [sorted(terms)])

    def rebuild(
        self,
        *,
        progress: Progress | None = None,
        procs: int = 1,
        limitmb: int | None = None,
        jobs: int | None = None,
    ) -> int:
        """Every visible article's entry written again, a batch per transaction, then the entries of
        articles no longer visible removed: searches answer all along (each batch replaces its rows in
        one commit). The outbox rows recorded before the rebuild are covered by it and dropped."""
        covered = [row for row, _article in article_changes_pending(limit=None)]
        index = article_index()
        queryset = index.index_queryset().order_by("pk")
        total = queryset.count()
        done, last = 0, 0
        SearchTerm.objects.all().delete()
        while chunk := list(queryset.filter(pk__gt=last)[:BATCH_SIZE]):
            with transaction.atomic(using=router.db_for_write(SearchEntry)):
                self._upsert(index, chunk)
            last = chunk[-1].pk
            done += len(chunk)
            if progress:
                progress(done, total)
        SearchEntry.objects.exclude(article__in=index.index_queryset().values("pk")).delete()
        with db_connections[router.db_for_write(SearchEntry)].cursor() as cursor:
            cursor.execute(f"ANALYZE {ENTRY_TABLE}, {TERM_TABLE}")  # the planner's counts, at once
        article_changes_forget(row_ids=covered)
        statistics.clear()
        alias = router.db_for_write(SearchEntry)
        postings_compile(alias=alias)
        if not db_connections[alias].in_atomic_block:
            # Every entry was written twice (its row, then its flag): vacuumed and analysed now, so that
            # searches right after a rebuild need not share the machine with autovacuum and autoanalyze
            # reading the whole table.
            with db_connections[alias].cursor() as cursor:
                cursor.execute(f"VACUUM (ANALYZE) {ENTRY_TABLE}, {POSTINGS_TABLE}")
        return done

    def clear(self, models=None, commit: bool = True) -> None:
        with transaction.atomic(using=router.db_for_write(SearchEntry)):
            SearchCompilation.objects.all().delete()
            SearchPostings.objects.all().delete()
            SearchEntry.objects.all().delete()
            SearchRemoved.objects.all().delete()
            SearchTerm.objects.all().delete()
        statistics.clear()
        column_cache.clear()

    def maintain(self) -> None:
        """Compile the postings again once enough entries changed since the last compile."""
        maintenance.run(alias=router.db_for_write(SearchEntry))

    def indexed_stamps(self) -> dict[int, int]:
        return dict(SearchEntry.objects.using(self._read_alias()).values_list("article_id", "updated"))


class _Vocabulary:
    """The entries and the vocabulary table as the `Vocabulary` that "did you mean" reads."""

    def __init__(self, cursor, alias: str):
        self.cursor, self.alias = cursor, alias

    def doc_frequency(self, fieldname: str, text: str) -> int:
        text_query = tsquery(qt.Term(fieldname, text))
        return statistics.read(self.cursor, self.alias, [text_query])[1][text_query] if text_query else 0

    def terms_within(self, fieldname: str, text: str, maxdist: int, prefix: int) -> list[str]:
        start = text[:prefix]
        self.cursor.execute(
            f"SELECT term FROM {TERM_TABLE} WHERE term LIKE %s AND char_length(term) BETWEEN %s AND %s",
            [_like_prefix(start), len(text) - maxdist, len(text) + maxdist],
        )
        found = [
            term
            for (term,) in self.cursor.fetchall()
            if Levenshtein.distance(term, text, score_cutoff=maxdist) <= maxdist
        ]
        return sorted(found, key=lambda term: term.encode("utf-8"))  # Whoosh's term order


@contextlib.contextmanager
def _search_cursor(alias: str):
    """A cursor in a transaction of its own (or the caller's), so the planner settings stay local.

    The planner prices `@@` as if entries were small, though each one checked row by row is decompressed
    first: left to choose, it counted a common word's entries by reading all 31.5k of them (586 ms)
    rather than through the GIN index (2.5 ms). A plan that must still scan (the average lengths) is
    then priced so high that PostgreSQL compiles it (JIT: 200 ms for a 8 ms scan), so JIT is off too.
    A setting takes effect from the next statement on, so both are made before any search statement."""
    own_transaction = not db_connections[alias].in_atomic_block
    with transaction.atomic(using=alias, savepoint=False), db_connections[alias].cursor() as cursor:
        settings_sql = "SELECT set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)"
        if own_transaction:  # the matches and the compiled postings read in one snapshot
            settings_sql = f"SET TRANSACTION ISOLATION LEVEL REPEATABLE READ; {settings_sql}"
        cursor.execute(settings_sql)  # no parameters: both statements in one round trip
        yield cursor


def _like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class PostgresSearchEngine(BaseEngine):
    backend = PostgresBackend
    query = NoSearchQuery
