#!/usr/bin/env python
"""Diwan at archive scale, measured against PostgreSQL full-text search on the same articles.

    python benchmarks/scale.py --limit 500            # quick run (CI)
    python benchmarks/scale.py                         # the whole ANT corpus (31.5k articles)
    python benchmarks/scale.py --scale 5               # five times larger (about 150k articles)
    BENCH_PG_URL=postgresql://user:pass@127.0.0.1/db python benchmarks/scale.py --limit 2000

Each step (ingest, full index build, incremental update, queries) runs in its own process with a fresh
ARCHIVE_DATA_DIR, through the commands and service functions the application itself uses. The peer is
PostgreSQL's `arabic` text search (GIN, ts_rank_cd) on the same articles and queries; it is skipped with a
message when no server is reachable. With a server, Diwan's own PostgreSQL engine
(`SEARCH_ENGINE=postgres`) runs the same ingest, build and query steps in a database of its own
(`diwan_bench_engine`, made anew). The table gives Diwan/PostgreSQL ratios, which hold on a noisy
machine better than absolute figures; the JSON goes to benchmarks/results/. The exit code is 0 whenever the
benchmark ran, whether or not the targets were met.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
BASE_DIR = HERE.parent
sys.path[:0] = [str(HERE), str(BASE_DIR)]

import _corpus  # noqa: E402
import _report  # noqa: E402
import _steps  # noqa: E402

DEFAULT_CORPUS = BASE_DIR.parent / "shared" / "data" / "ant-corpus-v2.1"
DEFAULT_QUERIES = HERE / "queries_ar.txt"
RESULTS_DIR = HERE / "results"


def load_queries(path: Path) -> list[str]:
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="ANT corpus folder or tar.xz")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N articles")
    parser.add_argument("--scale", type=int, default=1, help="K-times larger corpus (distinct copies)")
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES, help="one query per line")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes over the queries (API, peer)")
    parser.add_argument("--page-repeat", type=int, default=1, help="timed passes over the search page")
    parser.add_argument(
        "--pg-url", default=None, help="PostgreSQL for the peer (else BENCH_PG_URL, DATABASE_URL)"
    )
    parser.add_argument("--no-peer", action="store_true", help="skip the PostgreSQL peer")
    parser.add_argument("--build-procs", type=int, default=None, help="rebuild_search_index --procs N")
    parser.add_argument(
        "--build-jobs",
        type=int,
        default=None,
        help="rebuild_search_index --jobs N (0: analysis in the writer)",
    )
    parser.add_argument("--ingest-jobs", type=int, default=None, help="ingest --jobs N (1: one process)")
    parser.add_argument(
        "--profile", action="store_true", help="pyinstrument profiles of each step to results/"
    )
    parser.add_argument(
        "--steps",
        default="ingest,build,update,query,engine,peer",
        help="comma-separated subset of the steps to run",
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder and the peer's table")
    parser.add_argument(
        "--work-dir", type=Path, default=None, help="where data folders go (default: a temp dir)"
    )
    parser.add_argument("--output", type=Path, default=None, help="JSON result file (default: results/...)")
    # Internal: the parent runs each step as `scale.py --step NAME --result FILE` in a child process.
    parser.add_argument("--step", choices=sorted(_steps.STEPS), help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--jsonl", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--profile-dir", type=Path, default=None, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _git(*args: str) -> str:
    """What code was measured (the benchmark may run in a working tree with edits)."""
    try:
        done = subprocess.run(["git", *args], cwd=BASE_DIR, capture_output=True, text=True, check=False)
    except OSError:
        return ""
    return done.stdout.strip()


ENGINE_DB = "diwan_bench_engine"


def child_env(data_dir: Path, engine_url: str | None = None) -> dict:
    """The application's environment for one step: its own data folder, embedded database, Whoosh; or,
    with `engine_url`, that benchmark database and the PostgreSQL engine."""
    env = dict(os.environ)
    # Diwan is measured on its default embedded database; DATABASE_URL (if any) is for the peer only,
    # and the application's own PostgreSQL databases must never receive benchmark rows.
    env.pop("DATABASE_URL", None)
    env.pop("DATABASE_REPLICA_URL", None)
    if engine_url:
        env.update(DATABASE_URL=engine_url, SEARCH_ENGINE="postgres")
    env.update(
        ARCHIVE_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="archive.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=env.get("DJANGO_SECRET_KEY") or "benchmark-only-not-secret",
        SEARCH_ENGINE=env.get("SEARCH_ENGINE") if engine_url else "whoosh",
        PYTHONPATH=os.pathsep.join(filter(None, [str(BASE_DIR), env.get("PYTHONPATH", "")])),
    )
    return env


def run_child(
    step: str, data_dir: Path, args: argparse.Namespace, work: Path, engine_url: str | None = None
) -> dict:
    data_dir.mkdir(parents=True, exist_ok=True)
    result = work / f"{step}.json"
    result.unlink(missing_ok=True)
    command = [sys.executable, str(Path(__file__).resolve()), "--step", step, "--result", str(result)]
    command += ["--queries", str(args.queries), "--repeat", str(args.repeat)]
    command += ["--page-repeat", str(args.page_repeat), "--jsonl", str(work / "corpus.jsonl")]
    if args.profile:
        command += ["--profile-dir", str(RESULTS_DIR)]
    if args.build_procs:
        command += ["--build-procs", str(args.build_procs)]
    if args.build_jobs is not None:
        command += ["--build-jobs", str(args.build_jobs)]
    if args.ingest_jobs:
        command += ["--ingest-jobs", str(args.ingest_jobs)]
    started = time.perf_counter()
    log = work / f"{step}{'-postgres' if engine_url else ''}.log"
    env = child_env(data_dir, engine_url)
    with log.open("w", encoding="utf-8") as stderr:
        completed = subprocess.run(command, env=env, cwd=BASE_DIR, check=False, stderr=stderr)
    wall = time.perf_counter() - started
    logged = log.read_text(encoding="utf-8", errors="replace")
    if completed.returncode != 0 or not result.exists():
        _report.say(f"step {step} failed; the end of its log:\n" + "\n".join(logged.splitlines()[-15:]))
        return {"error": f"step {step} failed (exit {completed.returncode})", "wall_seconds": round(wall, 2)}
    figures = json.loads(result.read_text(encoding="utf-8"))
    # Errors the application logged without failing the step (e.g. one article's extraction) are
    # counted: a run full of them measured less work than a clean one.
    figures["logged_tracebacks"] = logged.count("Traceback (most recent call last)")
    figures["wall_seconds"] = round(wall, 2)
    return figures


def copy_data(source: Path, target: Path, *, index: bool) -> None:
    """A fresh data folder holding a copy of the previous step's database (and index, when asked)."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for item in source.iterdir():
        if item.name.startswith("diwan.sqlite3"):
            shutil.copy2(item, target / item.name)
        elif index and item.is_dir() and item.name != "static":
            shutil.copytree(item, target / item.name, symlinks=True)


def peer_url(args: argparse.Namespace) -> str | None:
    return args.pg_url or os.environ.get("BENCH_PG_URL") or os.environ.get("DATABASE_URL") or None


def engine_database(args: argparse.Namespace) -> tuple[str | None, str | None]:
    """(URL of a fresh database for the PostgreSQL engine, or None; why not)."""
    url = peer_url(args)
    if args.no_peer or not url or not url.startswith(("postgres://", "postgresql://")):
        return None, "no PostgreSQL URL (use --pg-url, BENCH_PG_URL or DATABASE_URL)"
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {ENGINE_DB}")
            conn.execute(f"CREATE DATABASE {ENGINE_DB}")
    except psycopg.Error as exc:
        return None, f"cannot create {ENGINE_DB}: {str(exc).strip().splitlines()[0]}"
    params = conninfo_to_dict(url)
    params["dbname"] = ENGINE_DB
    params.setdefault("host", "127.0.0.1")
    user, password = quote(params.get("user", ""), safe=""), quote(params.get("password", ""), safe="")
    port = params.get("port", "5432")
    return f"postgres://{user}:{password}@{params['host']}:{port}/{ENGINE_DB}", None


def run_engine(args: argparse.Namespace, work: Path, steps: set[str]) -> dict:
    """Ingest, build and queries with SEARCH_ENGINE=postgres in its own database."""
    url, reason = engine_database(args)
    if url is None:
        return {"skipped": reason}
    data_dir = work / "postgres-engine"
    figures = {}
    run_child("migrate", data_dir, args, work, engine_url=url)
    figures["ingest"] = run_child("ingest", data_dir, args, work, engine_url=url)
    # `--steps engine` alone: the engine's whole run, without the Whoosh steps.
    alone = not steps & {"ingest", "build", "update", "query"}
    if alone or steps & {"build", "query"}:
        figures["build"] = run_child("build", data_dir, args, work, engine_url=url)
    if alone or "query" in steps:
        figures["query"] = run_child("query", data_dir, args, work, engine_url=url)
    if not args.keep:
        import psycopg

        with psycopg.connect(peer_url(args), autocommit=True, connect_timeout=5) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {ENGINE_DB}")
    return figures


def run_peer(args: argparse.Namespace, work: Path, queries: list[str]) -> dict:
    if args.no_peer:
        return {"skipped": "--no-peer given"}
    url = peer_url(args)
    if not url or not url.startswith(("postgres://", "postgresql://")):
        return {"skipped": "no PostgreSQL URL (use --pg-url, BENCH_PG_URL or DATABASE_URL)"}
    import _peer

    try:
        return _peer.run_peer(
            url=url,
            jsonl=work / "corpus.jsonl",
            queries=queries,
            repeat=args.repeat,
            keep=args.keep,
            percentiles=_steps.percentiles,
            edited=_steps.EDITED_ARTICLES,
            marker=_steps.EDIT_MARKER,
        )
    except Exception as exc:  # unreachable server, missing rights...: the Diwan figures still count
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return {"skipped": f"{type(exc).__name__}: {reason}"}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.step:
        args.queries = load_queries(args.queries)
        _steps.run_step(args)
        return 0

    queries = load_queries(args.queries)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="diwan-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    run = {
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "limit": args.limit,
        "scale": args.scale,
        "queries": len(queries),
        "cpus": os.cpu_count(),
        "commit": _git("rev-parse", "--short", "HEAD"),
        "uncommitted_files": len(_git("status", "--porcelain", "--untracked-files=no").splitlines()),
    }
    try:
        say = _report.say
        say(f"corpus: {args.corpus} (limit {args.limit}, scale {args.scale}); work folder {work}")
        started = time.perf_counter()
        records = list(_corpus.read_corpus(args.corpus, limit=args.limit))
        run["corpus"] = _corpus.write_jsonl(records, scale=args.scale, path=work / "corpus.jsonl")
        run["corpus"]["convert_seconds"] = round(time.perf_counter() - started, 2)
        del records
        say(f"converted {run['corpus']['articles']} articles to JSON Lines (not counted)")

        steps = set(args.steps.split(","))
        ingest_dir, build_dir, update_dir, query_dir = (
            work / n for n in ("ingest", "build", "update", "query")
        )
        if steps & {"ingest", "build", "update", "query"}:
            run_child("migrate", ingest_dir, args, work)
            say("ingest ...")
            run["ingest"] = run_child("ingest", ingest_dir, args, work)
        if steps & {"build", "update", "query"}:
            copy_data(ingest_dir, build_dir, index=False)
            say("full index build ...")
            run["build"] = run_child("build", build_dir, args, work)
        if steps & {"update", "query"}:
            copy_data(build_dir, update_dir, index=True)
            say(f"incremental update of {_steps.EDITED_ARTICLES} edited articles ...")
            run["update"] = run_child("update", update_dir, args, work)
        if "query" in steps:
            copy_data(update_dir, query_dir, index=True)
            say(f"queries ({len(queries)} x {args.repeat}) and search pages ...")
            run["query"] = run_child("query", query_dir, args, work)
        if "engine" in steps:
            say("Diwan's PostgreSQL engine: ingest, build, queries ...")
            run["postgres_engine"] = run_engine(args, work, steps)
            if "skipped" in run["postgres_engine"]:
                say(f"PostgreSQL engine skipped: {run['postgres_engine']['skipped']}")
        if "peer" in steps:
            say("PostgreSQL peer ...")
            run["peer"] = run_peer(args, work, queries)
            if "skipped" in run["peer"]:
                say(f"peer skipped: {run['peer']['skipped']}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    rows = _report.rows(run)
    print(_report.table(rows, run))
    run["rows"] = rows
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    output = args.output or RESULTS_DIR / f"scale-{run['corpus']['articles']}-{stamp}.json"
    output.write_text(json.dumps(run, ensure_ascii=False, indent=1), encoding="utf-8")
    say(f"figures written to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
