"""The Diwan side of the benchmark: each step runs in its own process with its own ARCHIVE_DATA_DIR.

`scale.py` starts `scale.py --step NAME` with the environment already set, so Django reads the data folder
before `django.setup()`. A step times only its own work (migrations and copies are outside the clock) and
writes its figures as JSON; the process's own peak RSS is the step's memory figure.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

# An edited article carries this made-up word, so the benchmark can check the index really took the edit.
EDIT_MARKER = "زنجبيلوس"
EDITED_ARTICLES = 100


def setup_django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    django.setup()


def peak_rss_mb() -> dict:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"peak_rss_mb": round(own, 1), "peak_rss_children_mb": round(children, 1)}


class TreeMemory:
    """The peak of the summed resident memory of this process and all its descendants (worker pools,
    Whoosh's writer processes), sampled from /proc every 0.2 s while the block runs.

    `ru_maxrss` gives each process's own peak (for children, the largest one's), not what they hold
    together. The sum of RSS counts the pages a fork shares with its parent once per process, so it is
    an upper bound (a process forked from an 800 MB writer starts at 800 MB RSS and holds next to
    nothing of its own); the sum of PSS (`peak_pss_mb`) splits each shared page between the processes
    sharing it, which adds up to what the tree holds. None where /proc is missing.
    """

    INTERVAL = 0.2

    def __init__(self):
        self.peak_kb: int | None = None
        self.peak_pss_kb: int | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self):
        if os.path.isdir("/proc/self"):
            self.peak_kb = 0
            if os.path.exists("/proc/self/smaps_rollup"):
                self.peak_pss_kb = 0
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    @property
    def peak_mb(self) -> float | None:
        return None if self.peak_kb is None else round(self.peak_kb / 1024, 1)

    @property
    def peak_pss_mb(self) -> float | None:
        return None if self.peak_pss_kb is None else round(self.peak_pss_kb / 1024, 1)

    def _sample(self) -> None:
        root = os.getpid()
        while True:
            pids = _descendants(root)
            self.peak_kb = max(self.peak_kb or 0, sum(_status_kb(pid, "VmRSS:") for pid in pids))
            if self.peak_pss_kb is not None:
                self.peak_pss_kb = max(self.peak_pss_kb, sum(_pss_kb(pid) for pid in pids))
            if self._stop.wait(self.INTERVAL):
                return


def _descendants(root: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        with (
            contextlib.suppress(OSError, IndexError, ValueError),
            open(f"/proc/{name}/stat", encoding="ascii", errors="replace") as handle,
        ):
            ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
            parents.setdefault(ppid, []).append(int(name))
    found, todo = [root], [root]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _status_kb(pid: int, key: str, name: str = "status") -> int:
    with (
        contextlib.suppress(OSError, ValueError),
        open(f"/proc/{pid}/{name}", encoding="ascii", errors="replace") as handle,
    ):
        for line in handle:
            if line.startswith(key):
                return int(line.split()[1])
    return 0


def _pss_kb(pid: int) -> int:
    return _status_kb(pid, "Pss:", "smaps_rollup")


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (Whoosh's `procs` workers): noise-resistant."""
    return own_cpu_seconds() + children_cpu_seconds()


def own_cpu_seconds() -> float:
    """This process alone: on a machine with free cores, the part that bounds the wall time."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def children_cpu_seconds() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return children.ru_utime + children.ru_stime


def dir_bytes(path: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(root, name)).st_size
    return total


def percentiles(samples_ms: list[float]) -> dict:
    ordered = sorted(samples_ms)
    if not ordered:
        return {"n": 0}

    def pick(fraction: float) -> float:
        return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]

    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(pick(0.95), 2),
        "max_ms": round(ordered[-1], 2),
        "mean_ms": round(statistics.fmean(ordered), 2),
    }


@contextlib.contextmanager
def profiled(name: str, out_dir: Path | None) -> Iterator[None]:
    """Wrap the timed work in pyinstrument when --profile asks for it (a dev tool, imported lazily)."""
    if out_dir is None:
        yield
        return
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.005)
    profiler.start()
    try:
        yield
    finally:
        profiler.stop()
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / f"profile-{name}.txt").write_text(
            profiler.output_text(unicode=True, color=False, show_all=False), encoding="utf-8"
        )
        (out_dir / f"profile-{name}-all.txt").write_text(
            profiler.output_text(unicode=True, color=False, show_all=True), encoding="utf-8"
        )
        (out_dir / f"profile-{name}.html").write_text(profiler.output_html(), encoding="utf-8")


def _command_exists(name: str) -> bool:
    from django.core.management import get_commands

    return name in get_commands()


def _whoosh_root() -> Path | None:
    """The Whoosh index's folder; None for the PostgreSQL engine, whose entries are in the database."""
    from django.conf import settings

    path = settings.HAYSTACK_CONNECTIONS["default"].get("PATH")
    return Path(path) if path else None


def _whoosh_path() -> Path | None:
    """The live index folder: the root itself, or the version a `CURRENT` pointer file names."""
    root = _whoosh_root()
    if root is None:
        return None
    pointer = root / "CURRENT"
    if pointer.is_file():
        return root / pointer.read_text(encoding="utf-8").strip()
    return root


def _index_figures() -> dict:
    path = _whoosh_path()
    if path is None:
        return _postgres_index_figures()
    return {
        "index_docs": _whoosh_doc_count(),
        "index_bytes": dir_bytes(path) if path.exists() else None,
        "index_root_bytes": dir_bytes(_whoosh_root()) if _whoosh_root().exists() else None,
        "index_segments": len(list(path.glob("*.seg"))) if path.exists() else None,
    }


def _postgres_index_figures() -> dict:
    """The PostgreSQL engine's entries: their count, and the table and its indexes on disk."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), pg_total_relation_size('search_entry') + pg_total_relation_size('search_term')"
            " FROM search_entry"
        )
        docs, size = cursor.fetchone()
    return {"index_docs": docs, "index_bytes": size}


def _whoosh_doc_count() -> int | None:
    """Documents in the live index, read with Whoosh itself (independent of the code under test)."""
    from whoosh import index as whoosh_index

    path = _whoosh_path()
    if path is None:
        return None
    with contextlib.suppress(Exception):
        if whoosh_index.exists_in(str(path)):
            ix = whoosh_index.open_dir(str(path))
            try:
                return ix.doc_count()
            finally:
                ix.close()
    return None


def step_migrate(args) -> dict:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    return {}


def step_ingest(args) -> dict:
    from django.core.management import call_command

    from archive.articles.models import Article

    out, err = io.StringIO(), io.StringIO()
    started, cpu, own = time.perf_counter(), cpu_seconds(), own_cpu_seconds()
    failed = None
    with profiled("ingest", args.profile_dir), TreeMemory() as memory:
        try:
            # The database load alone: the full index build is the next step, timed on its own.
            options = {"jobs": args.ingest_jobs} if getattr(args, "ingest_jobs", None) else {}
            call_command("ingest", str(args.jsonl), index=False, stdout=out, stderr=err, **options)
        except SystemExit as exc:  # the command exits non-zero when some rows failed: keep the figures
            failed = f"exit {exc.code}"
        except Exception as exc:
            failed = f"{type(exc).__name__}: {exc}"
    seconds, cpu, own = time.perf_counter() - started, cpu_seconds() - cpu, own_cpu_seconds() - own
    return {
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu, 3),
        "cpu_seconds_main_process": round(own, 3),
        "articles": Article.objects.count(),
        "summary": out.getvalue().strip().splitlines()[-3:],
        "errors": err.getvalue().strip().splitlines()[:5],
        "failed": failed,
        "index_docs_after_ingest": _whoosh_doc_count(),
        **_database_figures(),
        "peak_rss_all_processes_mb": memory.peak_mb,
        "peak_pss_all_processes_mb": memory.peak_pss_mb,
        **peak_rss_mb(),
    }


def _database_figures() -> dict:
    """The database file (with its write-ahead log) and what of it the article rows take."""
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "sqlite":
        return {}
    name = Path(settings.DATABASES["default"]["NAME"])
    connection.close()  # the last connection to close moves the write-ahead log into the file
    files = [name, Path(f"{name}-wal"), Path(f"{name}-journal")]
    figures = {"database_bytes": sum(path.stat().st_size for path in files if path.exists())}
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA freelist_count")
        free_pages = cursor.fetchone()[0]
        cursor.execute("PRAGMA page_size")
        figures["database_free_bytes"] = free_pages * cursor.fetchone()[0]
        with contextlib.suppress(Exception):  # dbstat is an optional SQLite module
            cursor.execute(
                "SELECT sum(pgsize) FROM dbstat WHERE name = 'articles_article'"
                " OR tbl_name = 'articles_article'"
            )
            figures["article_table_bytes"] = cursor.fetchone()[0]
    return figures


def step_build(args) -> dict:
    from django.core.management import call_command

    out = io.StringIO()
    command = "rebuild_search_index" if _command_exists("rebuild_search_index") else "rebuild_index"
    options = {} if command == "rebuild_search_index" else {"interactive": False}
    if args.build_procs and command == "rebuild_search_index":
        options["procs"] = args.build_procs
    if getattr(args, "build_jobs", None) is not None and command == "rebuild_search_index":
        options["jobs"] = args.build_jobs
    started, cpu, own = time.perf_counter(), cpu_seconds(), own_cpu_seconds()
    with profiled("build", args.profile_dir), TreeMemory() as memory:
        call_command(command, stdout=out, stderr=io.StringIO(), **options)
    seconds, cpu, own = time.perf_counter() - started, cpu_seconds() - cpu, own_cpu_seconds() - own
    return {
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu, 3),
        "cpu_seconds_main_process": round(own, 3),
        "command": command,
        "peak_rss_all_processes_mb": memory.peak_mb,
        "peak_pss_all_processes_mb": memory.peak_pss_mb,
        **_index_figures(),
        **peak_rss_mb(),
    }


def step_update(args) -> dict:
    from archive.articles.models import Article
    from archive.search.indexing import search_index_update

    ids = list(Article.objects.visible().order_by("pk").values_list("pk", flat=True))
    stride = max(1, len(ids) // EDITED_ARTICLES)
    chosen = ids[::stride][:EDITED_ARTICLES]
    articles = list(Article.objects.filter(pk__in=chosen))
    for article in articles:
        article.title = f"{article.title} {EDIT_MARKER}"
        # A paragraph more; through `blocks`, which stores the original again against the new body.
        article.blocks = [*article.blocks, {"kind": "paragraph", "text": EDIT_MARKER}]
    started = time.perf_counter()
    # The edit itself, without model signals: what is measured next is the index-update path alone.
    fields = ["title", "body", "headings", "original_delta"]
    Article.objects.bulk_update(articles, fields, batch_size=100)
    db_seconds = time.perf_counter() - started
    started, cpu = time.perf_counter(), cpu_seconds()
    with profiled("update", args.profile_dir):
        search_index_update(article_ids=chosen)
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    found = _marker_hits()
    return {
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu, 3),
        "db_seconds": round(db_seconds, 3),
        "edited": len(articles),
        "marker_hits": found,
        **_index_figures(),
        **peak_rss_mb(),
    }


def _marker_hits() -> int | None:
    """How many documents the index finds for the edit marker (checks that the update landed)."""
    import _service

    try:
        return _service.result_count(_service.run_search(EDIT_MARKER, per_page=10))
    except Exception:
        return None


def _time_calls(func: Callable[[str], object], queries: list[str], *, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        for query in queries:
            started = time.perf_counter()
            func(query)
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def step_query(args) -> dict:
    import _service
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from archive.articles.models import Article

    queries = args.queries
    warm = time.perf_counter()
    first = [_service.run_search(query, per_page=10) for query in queries]  # warm-up: opens the searcher
    warm_seconds = time.perf_counter() - warm
    shape = _service.describe(first)
    cpu = cpu_seconds()
    with profiled("query", args.profile_dir):
        api_samples = _time_calls(lambda q: _service.run_search(q, per_page=10), queries, repeat=args.repeat)
    api = percentiles(api_samples)
    api["cpu_ms_per_query"] = round((cpu_seconds() - cpu) * 1000 / max(1, len(api_samples)), 2)

    # The page as a browser gets it; the test client needs its host allowed and plain static storage.
    client = Client()
    page_samples: list[float] = []
    page_sql: list[int] = []
    article_sql: list[int] = []
    article_samples: list[float] = []
    statuses: dict[str, int] = {}
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(ALLOWED_HOSTS=["testserver"], STORAGES=storages):
        for query in queries[:5]:  # warm-up of templates and translations (the searcher is warm already)
            client.get("/ar/search/", {"q": query})
        for _ in range(args.page_repeat):
            for query in queries:
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get("/ar/search/", {"q": query})
                    page_samples.append((time.perf_counter() - started) * 1000)
                page_sql.append(len(captured.captured_queries))
                statuses[str(response.status_code)] = statuses.get(str(response.status_code), 0) + 1
        ids = list(Article.objects.visible().order_by("pk").values_list("pk", flat=True))
        for pk in ids[:: max(1, len(ids) // 40)][:40]:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(f"/ar/articles/{pk}/")
                article_samples.append((time.perf_counter() - started) * 1000)
            article_sql.append(len(captured.captured_queries))
            statuses[f"article {response.status_code}"] = (
                statuses.get(f"article {response.status_code}", 0) + 1
            )
    status = _read_status()
    return {
        "warmup_seconds": round(warm_seconds, 3),
        "api": api,
        "shape": shape,
        "page": {**percentiles(page_samples), "sql_max": max(page_sql, default=None), "statuses": statuses},
        "article_page": {**percentiles(article_samples), "sql_max": max(article_sql, default=None)},
        "vm_rss_mb": status.get("VmRSS"),
        **peak_rss_mb(),
    }


def _read_status() -> dict:
    values = {}
    with contextlib.suppress(OSError), open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            key, _, rest = line.partition(":")
            if key in {"VmRSS", "VmHWM"}:
                values[key] = round(int(rest.split()[0]) / 1024, 1)
    return values


STEPS = {
    "migrate": step_migrate,
    "ingest": step_ingest,
    "build": step_build,
    "update": step_update,
    "query": step_query,
}


def run_step(args) -> None:
    """Entry point of a child process: run one step and write its figures to `args.result`."""
    setup_django()
    figures = STEPS[args.step](args)
    Path(args.result).write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
