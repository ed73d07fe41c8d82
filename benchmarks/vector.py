#!/usr/bin/env python
"""Vectorised query execution against Whoosh's own searcher, on the same index, queries and run.

    python benchmarks/vector.py                          # the whole ANT corpus (31,525 articles)
    python benchmarks/vector.py --limit 2000             # the first 2,000 articles
    python benchmarks/vector.py --index DIR              # build the data folder DIR once, reuse it after
    python benchmarks/vector.py --index DIR --scale 5    # five times larger (about 157k articles)

The index is the product's: the articles are ingested (entity extraction included) into a fresh data folder
and indexed with `rebuild_search_index`; `--index DIR` keeps that folder and reuses it when it holds the
same articles. Each query of the fixed list (the one scale.py uses) is built as the search service builds
it (same parser, modes, name widening and filters) and answered for a results page: the top 10, the exact
total and every matching document number (what facet counts are made from), with the relaxed any-word
query when nothing has every word. The paths, interleaved query by query:

- whoosh: `searcher.search(query, limit=None)` as the service runs it, top 10 sliced, `docs()` for the rest;
- vector, cold: `vector_search` with every cached array dropped before each query (postings, lengths,
  deletions and columns read again: what the first search after an index change costs);
- vector, warm: `vector_search` with the arrays the earlier queries left in the searcher's cache.

It prints p50/p95/max per path and whether both paths agree (hit counts, top-10 order, scores).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASE_DIR = HERE.parent
sys.path[:0] = [str(HERE), str(BASE_DIR)]

import _corpus  # noqa: E402

DEFAULT_CORPUS = BASE_DIR.parent / "shared" / "data" / "ant-corpus-v2.1"
DEFAULT_QUERIES = HERE / "queries_ar.txt"
MARKER = "vector-benchmark.json"  # what a kept data folder holds, so that a reuse is of the same articles
TOP = 10
SCORE_TOLERANCE = 1e-9  # relative: both paths add the same floating-point terms, in another order


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="ANT corpus folder or tar.xz")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N articles")
    parser.add_argument("--scale", type=int, default=1, help="K-times larger corpus (distinct copies)")
    parser.add_argument("--index", type=Path, default=None, help="data folder to build once and reuse")
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES, help="one query per line")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes over the queries")
    parser.add_argument("--output", type=Path, default=None, help="also write the figures as JSON here")
    return parser.parse_args(argv)


def load_queries(path: Path) -> list[str]:
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def setup_django(data_dir: Path) -> None:
    """The application on its default embedded database and Whoosh, in `data_dir` (read at setup)."""
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(
        ARCHIVE_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="archive.settings",
        DJANGO_DEBUG="0",
        SEARCH_ENGINE="whoosh",
    )
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-not-secret")
    import django

    django.setup()


def ensure_index(args: argparse.Namespace, data_dir: Path) -> dict:
    """Ingest and index the corpus into `data_dir` unless a kept folder already holds the same articles."""
    from django.core.management import call_command

    wanted = {"corpus": args.corpus.name, "limit": args.limit, "scale": args.scale}
    marker = data_dir / MARKER
    if marker.exists():
        kept = json.loads(marker.read_text(encoding="utf-8"))
        if {key: kept.get(key) for key in wanted} == wanted:
            print(f"reusing the index of {kept['articles']} articles built earlier", file=sys.stderr)
            return kept
    started = time.perf_counter()
    records = list(_corpus.read_corpus(args.corpus, limit=args.limit))
    jsonl = data_dir / "corpus.jsonl"
    counts = _corpus.write_jsonl(records, scale=args.scale, path=jsonl)
    del records
    print(f"ingesting {counts['articles']} articles and building the index ...", file=sys.stderr)
    call_command("migrate", interactive=False, verbosity=0)
    with contextlib.suppress(SystemExit):  # some rows failed: the rest is in (scale.py counts them too)
        call_command("ingest", str(jsonl), index=False, verbosity=0)
    call_command("rebuild_search_index", verbosity=0)
    jsonl.unlink()
    built = {**wanted, "articles": counts["articles"], "build_seconds": round(time.perf_counter() - started)}
    marker.write_text(json.dumps(built), encoding="utf-8")
    return built


def page_queries(texts: list[str]) -> list[tuple[str, object, object, object]]:
    """(text, query, relaxed query, filter) as the search service builds them for `?q=text`."""
    import _service

    from archive.search import service

    built = []
    for text in texts:
        params = _service.params_for(text, per_page=TOP)
        understood = service._understand(params)
        if understood.query is not None:
            built.append((text, understood.query, understood.any_query, service._filters(params)))
    return built


def whoosh_page(searcher, query, any_query, filter_) -> tuple[list[tuple[int, float]], int, list[int]]:
    results = searcher.search(query, limit=None, filter=filter_)
    if results.is_empty() and any_query is not None:
        results = searcher.search(any_query, limit=None, filter=filter_)
    hits = [(hit.docnum, float(hit.score)) for hit in results[:TOP]]
    return hits, len(results), sorted(results.docs())


def vector_page(searcher, query, any_query, filter_):
    from archive.search.whoosh_engine.vector import vector_search

    found = vector_search(searcher, query, filter=filter_, limit=TOP)
    if not found.total and any_query is not None:
        found = vector_search(searcher, any_query, filter=filter_, limit=TOP)
    return found


def percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 2),
        "max_ms": round(ordered[-1], 2),
    }


def agreement(reference, found) -> dict:
    hits, total, docnums = reference
    same_top = [d for d, _ in hits] == [d for d, _ in found.hits]
    worst = max(
        (abs(a - b) / max(abs(a), 1e-300) for (_, a), (_, b) in zip(hits, found.hits, strict=False)),
        default=0.0,
    )
    return {
        "total": total == found.total,
        "docnums": docnums == found.docnums.tolist(),
        "top": same_top,
        "score_rel_diff": worst,
        "fallback": found.fallback,
    }


def measure(queries, *, repeat: int) -> dict:
    from haystack import connections

    from archive.search.whoosh_engine.segment_arrays import (
        CACHE_BYTES,
        searcher_arrays,
        searcher_arrays_forget,
    )

    searcher = connections["default"].get_backend().store.searcher()
    timings: dict[str, list[float]] = {"whoosh": [], "vector_cold": [], "vector_warm": []}
    checks = []
    clock = time.perf_counter
    for _text, query, any_query, filter_ in queries:  # warm-up: opens files, fills the OS cache
        whoosh_page(searcher, query, any_query, filter_)
        vector_page(searcher, query, any_query, filter_)
    for run in range(repeat):
        for text, query, any_query, filter_ in queries:
            started = clock()
            reference = whoosh_page(searcher, query, any_query, filter_)
            timings["whoosh"].append((clock() - started) * 1000)
            searcher_arrays_forget()
            started = clock()
            found = vector_page(searcher, query, any_query, filter_)
            timings["vector_cold"].append((clock() - started) * 1000)
            if run == 0:
                checks.append((text, agreement(reference, found)))
    for _ in range(2):  # the cache warms in the first pass; the second is timed
        timings["vector_warm"].clear()
        for _text, query, any_query, filter_ in queries:
            started = clock()
            vector_page(searcher, query, any_query, filter_)
            timings["vector_warm"].append((clock() - started) * 1000)
    figures = {path: percentiles(samples) for path, samples in timings.items()}
    figures["cache_mb"] = round(searcher_arrays(searcher).size / 2**20, 1)
    figures["cache_cap_mb"] = round(CACHE_BYTES / 2**20, 1)
    figures["queries"] = len(queries)
    figures["agree_total"] = sum(check["total"] for _, check in checks)
    figures["agree_docnums"] = sum(check["docnums"] for _, check in checks)
    figures["agree_top10"] = sum(check["top"] for _, check in checks)
    figures["max_score_rel_diff"] = max(check["score_rel_diff"] for _, check in checks)
    figures["fallbacks"] = sorted({check["fallback"] for _, check in checks if check["fallback"]})
    figures["disagreements"] = [
        text for text, check in checks if not (check["total"] and check["docnums"] and check["top"])
    ]
    figures["segments"] = len(searcher.leaf_searchers())
    figures["documents"] = searcher.doc_count()
    return figures


def report(figures: dict, built: dict) -> str:
    lines = [
        f"{figures['documents']} documents in {figures['segments']} segment(s), {figures['queries']} queries "
        f"(top {TOP} + exact total + every docnum; relaxed query when nothing has every word)",
        f"{'path':<14}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'n':>6}",
    ]
    for path in ("whoosh", "vector_cold", "vector_warm"):
        row = figures[path]
        lines.append(f"{path:<14}{row['p50_ms']:>9}{row['p95_ms']:>9}{row['max_ms']:>9}{row['n']:>6}")
    whoosh, cold = figures["whoosh"], figures["vector_cold"]
    lines.append(
        f"p95 whoosh/vector_cold: {whoosh['p95_ms'] / max(cold['p95_ms'], 1e-9):.1f}x; "
        f"target p95 <= 15 ms at 31.5k: cold {'met' if cold['p95_ms'] <= 15 else 'not met'}"
    )
    lines.append(
        f"arrays kept after the warm pass: {figures['cache_mb']} MB (cap {figures['cache_cap_mb']} MB)"
    )
    n = figures["queries"]
    lines.append(
        f"agreement: totals {figures['agree_total']}/{n}, docnums {figures['agree_docnums']}/{n}, "
        f"top-10 order {figures['agree_top10']}/{n}, largest relative score difference "
        f"{figures['max_score_rel_diff']:.1e} (tolerance {SCORE_TOLERANCE:.0e})"
    )
    if figures["fallbacks"]:
        lines.append(f"answered by Whoosh's searcher instead: {', '.join(figures['fallbacks'])}")
    if figures["disagreements"]:
        lines.append(f"queries that disagree: {' | '.join(figures['disagreements'])}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    texts = load_queries(args.queries)
    data_dir = args.index or Path(tempfile.mkdtemp(prefix="diwan-vector-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    setup_django(data_dir)
    built = ensure_index(args, data_dir)
    figures = measure(page_queries(texts), repeat=args.repeat)
    print(report(figures, built))
    if args.output:
        args.output.write_text(json.dumps({"index": built, **figures}, ensure_ascii=False, indent=1))
    if args.index is None:
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
