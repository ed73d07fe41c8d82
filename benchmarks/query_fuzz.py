#!/usr/bin/env python
"""Random query strings through the search page and the API, against the median of ordinary queries.

    python benchmarks/query_fuzz.py                      # 3,000 ANT articles, 3,000 fuzz queries, seed 11
    python benchmarks/query_fuzz.py --limit 500 --queries 300   # quick run

A fresh archive (its own ARCHIVE_DATA_DIR in a temporary folder) is filled with the first N articles of
the ANT corpus through the real `ingest` command; then every ordinary query of `queries_ar.txt` and every
fuzz query (Arabic letters, diacritics, quotes, brackets, `-`, `OR`, `أو`, `AND`, `NOT`, `*`, `title:`,
`source:`, digits, emoji, newlines; fixed seed) is sent to `/ar/search/` and `/api/search` with Django's test
client, the whole request and response timed, each fuzz query followed by an ordinary one so that both
meet the same load. It prints, in wall-clock and in CPU time, the median of the ordinary queries, the fuzz
percentiles and their ratios to that median (targets: p99 <= 3x, max <= 10x), and the answers by status;
it exits 1 when any answer is a 500. Not a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASE_DIR = HERE.parent
sys.path[:0] = [str(HERE), str(BASE_DIR)]

import _corpus  # noqa: E402

DEFAULT_CORPUS = BASE_DIR.parent / "shared" / "data" / "ant-corpus-v2.1"
QUERIES = HERE / "queries_ar.txt"

LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئةى"
DIACRITICS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652"
EMOJI = "😀🔥🇸🇦👍🏽❤️"
PARTIAL_NOTICE = "توقف البحث عند حده الزمني".encode()  # the Arabic page's notice of partial results
PIECES = ('"', "(", ")", "-", " OR ", " أو ", " AND ", " NOT ", "*", "title:", "عنوان:", "source:", "date:")


def fuzz_queries(count: int, *, seed: int, vocabulary: list[str]) -> list[str]:
    """Random strings in the spirit of a hostile user: mostly word-like, with every kind of operator."""
    rng = random.Random(seed)
    queries = []
    for _ in range(count):
        parts = []
        for _ in range(rng.choice((1, 2, 3, 5, 8, 13, 30, 80))):
            kind = rng.random()
            if kind < 0.35 and vocabulary:
                parts.append(rng.choice(vocabulary))
            elif kind < 0.55:
                parts.append("".join(rng.choice(LETTERS) for _ in range(rng.randint(1, 9))))
            elif kind < 0.62:
                word = rng.choice(vocabulary) if vocabulary else "كلمة"
                parts.append("".join(ch + rng.choice(DIACRITICS) for ch in word))
            elif kind < 0.85:
                parts.append(rng.choice(PIECES))
            elif kind < 0.92:
                parts.append(str(rng.randint(0, 10 ** rng.randint(1, 8))))
            elif kind < 0.96:
                parts.append(rng.choice(EMOJI))
            else:
                parts.append(rng.choice(("\n", "\r\n", "\t")))
        queries.append(rng.choice(("", " ")).join(parts) if rng.random() < 0.2 else " ".join(parts))
    return queries


def ordinary_queries() -> list[str]:
    lines = (line.strip() for line in QUERIES.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def percentile(ordered: list[float], fraction: float) -> float:
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def timed(client, url: str, query: str) -> tuple[float, float, int, bool]:
    """Wall-clock and CPU milliseconds of one request (CPU of this thread, where the search runs)."""
    started, cpu = time.perf_counter(), time.thread_time()
    response = client.get(url, {"q": query})
    elapsed, cpu = (time.perf_counter() - started) * 1000, (time.thread_time() - cpu) * 1000
    partial = False
    if url.startswith("/api") and response.status_code == 200:
        partial = bool(response.json().get("partial"))
    elif response.status_code == 200:
        partial = PARTIAL_NOTICE in response.content
    return elapsed, cpu, response.status_code, partial


def watch_full_collections() -> list[float]:
    """Milliseconds of each full (generation 2) collection from now on: the pauses that make a max."""
    pauses: list[float] = []
    started = [0.0]

    def callback(phase: str, info: dict) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        elif info["generation"] == 2:
            pauses.append((time.perf_counter() - started[0]) * 1000)

    gc.callbacks.append(callback)
    return pauses


def figures(samples: list[float]) -> tuple[float, float, float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), percentile(ordered, 0.95), percentile(ordered, 0.99), ordered[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="ANT corpus folder or tar.xz")
    parser.add_argument("--limit", type=int, default=3000, help="articles in the archive")
    parser.add_argument("--queries", type=int, default=3000, help="fuzz queries")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--slowest", type=int, default=0, help="also print the N slowest fuzz queries")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="diwan-fuzz-"))
    os.environ["ARCHIVE_DATA_DIR"] = str(work / "data")
    os.environ.setdefault("DJANGO_DEBUG", "1")  # pages render static links without collectstatic
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    (work / "data").mkdir()
    try:
        return run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args, work: Path) -> int:
    records = list(_corpus.read_corpus(_corpus.corpus_tarball(args.corpus), limit=args.limit))
    _corpus.write_jsonl(records, scale=1, path=work / "corpus.jsonl")
    vocabulary = sorted({w for r in records[:200] for w in r.title.split() if len(w) > 2})
    started = time.perf_counter()
    # In processes of their own, as in production: the ingest's objects would otherwise stay in this
    # process's heap and lengthen every garbage collection the searches meet; and the tables exist
    # before this process starts its index writer.
    for command in (["migrate", "--no-input", "-v", "0"], ["ingest", str(work / "corpus.jsonl")]):
        subprocess.run(
            [sys.executable, str(BASE_DIR / "manage.py"), *command],
            check=True,
            stdout=subprocess.DEVNULL,
            env=os.environ,
        )
    print(
        f"archive: {len(records)} ANT articles ingested and indexed in {time.perf_counter() - started:.0f} s"
    )

    import logging

    import archive.wsgi  # noqa: F401  (set up as the server is, garbage collector settings included)

    logging.getLogger("django.request").setLevel(logging.ERROR)  # each 400 would log a warning
    from django.conf import settings
    from django.db import reset_queries
    from django.test import Client

    print(
        f"limits: {settings.SEARCH_MAX_QUERY_CHARS} chars, {settings.SEARCH_MAX_QUERY_WORDS} words, "
        f"{settings.SEARCH_MAX_QUERY_OPERATORS} operators, "
        f"{settings.SEARCH_MAX_PHRASE_WORDS} words a phrase; "
        f"time budget {settings.SEARCH_TIME_BUDGET_MS} ms"
    )

    client = Client(HTTP_HOST="localhost")
    ordinary = ordinary_queries()
    fuzz = fuzz_queries(args.queries, seed=args.seed, vocabulary=vocabulary)
    for query in ordinary[:5]:  # warm the searcher and the caches once
        client.get("/api/search", {"q": query})
    pauses = watch_full_collections()
    rows, slow = [], []
    failed = 0
    for url in ("/ar/search/", "/api/search"):
        # An ordinary query after each fuzz query: both see the same load on a shared machine.
        base = {"wall": [], "cpu": []}
        fuzzed = {"wall": [], "cpu": []}
        statuses, partial = {}, 0
        for index, query in enumerate(fuzz):
            elapsed, cpu, status, was_partial = timed(client, url, query)
            statuses[status] = statuses.get(status, 0) + 1
            partial += was_partial
            if status == 200:  # a 400 is cheap: it would flatter the percentiles
                fuzzed["wall"].append(elapsed)
                fuzzed["cpu"].append(cpu)
                slow.append((cpu, elapsed, url, query))
            elapsed, cpu, _, _ = timed(client, url, ordinary[index % len(ordinary)])
            base["wall"].append(elapsed)
            base["cpu"].append(cpu)
            reset_queries()
        failed += statuses.get(500, 0)
        answers = ", ".join(f"{code}: {n}" for code, n in sorted(statuses.items()))
        for clock in ("wall", "cpu"):
            median = statistics.median(base[clock])
            rows.append((url, clock, median, *figures(fuzzed[clock]), answers, partial))

    print()
    print(
        "| endpoint | clock | ordinary median | fuzz p50 | fuzz p95 | fuzz p99 | fuzz max | p99/median "
        "| max/median | answers | partial |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for url, clock, median, p50, p95, p99, worst, answers, partial in rows:
        print(
            f"| `{url}` | {clock} | {median:.1f} ms | {p50:.1f} ms | {p95:.1f} ms | {p99:.1f} ms "
            f"| {worst:.1f} ms | {p99 / median:.2f}x | {worst / median:.2f}x | {answers} | {partial} |"
        )
    print("targets: p99 <= 3x and max <= 10x the ordinary median, no 500")
    longest = max(pauses, default=0.0)
    print(f"full garbage collections during the run: {len(pauses)}, the longest {longest:.1f} ms")
    for cpu, elapsed, url, query in sorted(slow, reverse=True)[: args.slowest]:
        again = timed(client, url, query)[1]  # the same query once more: is it slow, or was the moment?
        print(f"cpu {cpu:7.1f} ms (again {again:6.1f} ms), wall {elapsed:7.1f} ms {url} {query!r}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
