"""The peer: the same articles in PostgreSQL full-text search (`arabic` configuration, GIN, `ts_rank_cd`).

This is what a Django team would otherwise pick (`django.contrib.postgres.search`), run with psycopg 3
directly so that only the database's own work is measured. The benchmark never touches the application's
databases: it works in a database of its own (`diwan_bench`, created when the role may), and only falls
back to a schema of its own, dropped afterwards, when it can neither reach nor create that database.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import _corpus

BENCH_DB = "diwan_bench"
TABLE = "bench_article"

# Weighted like Diwan's index: the title counts more than the body.
_TSV = "setweight(to_tsvector('arabic', title), 'A') || setweight(to_tsvector('arabic', body), 'B')"
TOP10_SQL = f"""
SELECT id, title, ts_rank_cd(tsv, query) AS rank
FROM {TABLE}, websearch_to_tsquery('arabic', %s) AS query
WHERE tsv @@ query
ORDER BY rank DESC
LIMIT 10
"""
# The same page of work Diwan does: top 10 with a highlighted snippet, the hit count and two facets.
HEADLINE_SQL = f"""
SELECT id, title, ts_headline('arabic', body, query, 'MaxFragments=2, MaxWords=30, MinWords=10') AS snippet
FROM (
    SELECT id, title, body, ts_rank_cd(tsv, query) AS rank, query
    FROM {TABLE}, websearch_to_tsquery('arabic', %s) AS query
    WHERE tsv @@ query
    ORDER BY rank DESC
    LIMIT 10
) AS top
ORDER BY rank DESC
"""
FACETS_SQL = f"""
SELECT source, extract(year FROM published_on) AS year, count(*)
FROM {TABLE}, websearch_to_tsquery('arabic', %s) AS query
WHERE tsv @@ query
GROUP BY GROUPING SETS ((source), (year), ())
"""


def _connect(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True, connect_timeout=5)


def _with_dbname(url: str, dbname: str) -> str:
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(url)
    params["dbname"] = dbname
    return make_conninfo(**params)


def open_bench_connection(url: str):
    """(connection, where, cleanup schema or None). Raises when PostgreSQL cannot be reached at all."""
    import psycopg

    with contextlib.suppress(psycopg.OperationalError):
        conn = _connect(_with_dbname(url, BENCH_DB))
        if conn.execute("SELECT has_schema_privilege('public', 'CREATE')").fetchone()[0]:
            return conn, f"database {BENCH_DB}", None
        conn.close()  # another role's benchmark database: work in a schema of our own below
    conn = _connect(url)  # reachable at all? (raises with the server's reason when not)
    with contextlib.suppress(psycopg.Error):
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
        conn.close()
        return _connect(_with_dbname(url, BENCH_DB)), f"database {BENCH_DB} (created)", None
    schema = f"{BENCH_DB}_tmp"
    conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    conn.execute(f"CREATE SCHEMA {schema}")
    conn.execute(f"SET search_path TO {schema}")
    return conn, f"schema {schema} (no rights to create {BENCH_DB})", schema


def _backend_peak_rss_mb(conn) -> float | None:
    """The server process's peak RSS, when it runs on this machine and /proc lets us read it."""
    pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
    with contextlib.suppress(OSError), open(f"/proc/{pid}/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return None


def _backend_cpu_seconds(conn) -> float | None:
    """CPU time of the server process serving this connection (user + system), when /proc shows it."""
    import os

    pid = conn.info.backend_pid
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _timed(conn, sql: str, queries: list[str], *, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        for query in queries:
            started = time.perf_counter()
            conn.execute(sql, (query,)).fetchall()
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def run_peer(
    *,
    url: str,
    jsonl: Path,
    queries: list[str],
    repeat: int,
    keep: bool,
    percentiles,
    edited: int,
    marker: str,
) -> dict:
    conn, where, schema = open_bench_connection(url)
    try:
        conn.execute(f"DROP TABLE IF EXISTS {TABLE}")
        conn.execute(
            f"CREATE TABLE {TABLE} (id integer PRIMARY KEY, title text NOT NULL, body text NOT NULL,"
            " published_on date, source text NOT NULL)"
        )
        cpu_before = _backend_cpu_seconds(conn)
        started = time.perf_counter()
        with (
            conn.cursor() as cursor,
            cursor.copy(f"COPY {TABLE} (id, title, body, published_on, source) FROM STDIN") as copy,
        ):
            for number, row in enumerate(_corpus.iter_jsonl(jsonl), start=1):
                copy.write_row((number, row["title"], row["body"], row.get("date"), row.get("source", "")))
        load_seconds = time.perf_counter() - started
        # The table as loaded (heap, TOAST, primary key): the database size beside Diwan's.
        table_bytes = conn.execute(f"SELECT pg_total_relation_size('{TABLE}')").fetchone()[0]
        started = time.perf_counter()
        conn.execute(f"ALTER TABLE {TABLE} ADD COLUMN tsv tsvector GENERATED ALWAYS AS ({_TSV}) STORED")
        tsvector_seconds = time.perf_counter() - started
        started = time.perf_counter()
        conn.execute(f"CREATE INDEX {TABLE}_tsv ON {TABLE} USING gin (tsv)")
        conn.execute(f"ANALYZE {TABLE}")
        gin_seconds = time.perf_counter() - started
        cpu_after = _backend_cpu_seconds(conn)
        load_index_cpu = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
        rows = conn.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]
        sizes = conn.execute(
            f"SELECT pg_relation_size('{TABLE}_tsv'), pg_total_relation_size('{TABLE}')"
        ).fetchone()
        stride = max(1, rows // edited)
        chosen = list(range(1, rows + 1, stride))[:edited]
        started = time.perf_counter()
        conn.execute(
            f"UPDATE {TABLE} SET title = title || ' ' || %s, body = body || E'\\n\\n' || %s"
            " WHERE id = ANY(%s)",
            (marker, marker, chosen),
        )
        update_seconds = time.perf_counter() - started
        for query in queries:  # warm-up: caches, plans, dictionaries
            conn.execute(TOP10_SQL, (query,)).fetchall()
            conn.execute(HEADLINE_SQL, (query,)).fetchall()
            conn.execute(FACETS_SQL, (query,)).fetchall()
        query_cpu = _backend_cpu_seconds(conn)
        top10 = _timed(conn, TOP10_SQL, queries, repeat=repeat)
        if query_cpu is not None:
            query_cpu = (_backend_cpu_seconds(conn) - query_cpu) * 1000 / max(1, len(top10))
        full = []
        for _ in range(repeat):
            for query in queries:
                started = time.perf_counter()
                conn.execute(HEADLINE_SQL, (query,)).fetchall()
                conn.execute(FACETS_SQL, (query,)).fetchall()
                full.append((time.perf_counter() - started) * 1000)
        hits = [conn.execute(TOP10_SQL, (q,)).rowcount for q in queries]
        version = conn.execute("SHOW server_version").fetchone()[0]
        figures = {
            "where": where,
            "server_version": version,
            "rows": rows,
            "load_seconds": round(load_seconds, 3),
            "tsvector_seconds": round(tsvector_seconds, 3),
            "gin_seconds": round(gin_seconds, 3),
            "load_index_seconds": round(load_seconds + tsvector_seconds + gin_seconds, 3),
            "load_index_cpu_seconds": None if load_index_cpu is None else round(load_index_cpu, 3),
            "update_seconds": round(update_seconds, 3),
            "edited": len(chosen),
            "gin_bytes": sizes[0],
            "total_bytes": sizes[1],
            "table_bytes": table_bytes,
            "top10": {
                **percentiles(top10),
                "cpu_ms_per_query": None if query_cpu is None else round(query_cpu, 2),
            },
            "full": percentiles(full),
            "queries_without_hits": sum(1 for h in hits if h == 0),
            "backend_peak_rss_mb": _backend_peak_rss_mb(conn),
        }
        if not keep:
            conn.execute(f"DROP TABLE IF EXISTS {TABLE}")
        return figures
    finally:
        if schema:
            with contextlib.suppress(Exception):
                conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.close()
