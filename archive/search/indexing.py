"""Keeping the search index in step with the database, which is the truth.

Every change the index must hear of is a row of the outbox (`archive.articles.changes`), written in the
same transaction as the change. Writers drain it: they index the database state of the articles named,
commit the index, and only then delete the rows they took, so a crash at any moment loses nothing and the
next writer finishes the work (updates are idempotent).

- `search_index_sync`: drain the outbox now, in this thread (ingest, commands, tests);
- the index writer thread (`search_index_writer_start`) drains it in the web process, woken when a
  transaction that recorded changes commits and polling for those of other processes; with several web
  processes, `manage.py index_worker` does the same in a process of its own;
- `search_index_update`: write given articles at once (repairs);
- `search_index_rebuild`: builds a complete new index beside the live one and swaps it in;
- `search_index_check`: the drift between database and index (missing, stale and extra articles).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connections as db_connections
from haystack import connections
from haystack.constants import DJANGO_ID, ID
from whoosh.index import LockError

from archive.articles.changes import (
    article_changes_depth,
    article_changes_forget,
    article_changes_pending,
    article_changes_pending_ids,
)
from archive.articles.models import Article
from archive.search.backend import (
    acquire_lock,
    acquire_writer,
    commit,
    discard_abandoned_builds,
    discard_version,
    finish_version,
    new_version,
    publish_version,
)
from archive.search.search_indexes import updated_stamp

log = logging.getLogger(__name__)

Progress = Callable[[int, int | None], None]
BATCH_SIZE = 1000
# The writer's posting pool for a rebuild. When the pool is full, Whoosh sorts it into a run on disk
# (one pickled posting at a time) and merges the runs at commit in Python: measured on ANT articles,
# 5k at 128 MB 31.1 s -> 512 MB 20.8 s CPU; 30.4k at 512 MB 148 s (1.1 GB peak) -> 2048 MB 101 s
# (3.0 GB peak). About 70 MB per 1,000 articles keeps it in one run; REBUILD_LIMITMB_MAX bounds the
# build's memory (about 1.3 GB with the process itself) for large archives, at the price of merging runs.
# With `procs` > 1 the processes share that budget (`--limitmb` overrides).
REBUILD_LIMITMB_MIN = 512
REBUILD_LIMITMB_MAX = 768
REBUILD_MB_PER_1000_ARTICLES = 70


def rebuild_limitmb(articles: int, procs: int = 1) -> int:
    """Posting pool size (MB) of each of `procs` writer processes rebuilding this many articles."""
    wanted = articles * REBUILD_MB_PER_1000_ARTICLES // (1000 * procs)
    return min(REBUILD_LIMITMB_MAX // procs, max(REBUILD_LIMITMB_MIN, wanted))


# How often a writer looks for changes recorded by other processes; its own process wakes it at once.
POLL_SECONDS = 1.0
MAX_BACKOFF = 30.0
SYNC_BATCH = 1000


def _article_index():
    return connections["default"].get_unified_index().get_index(Article)


def _identifier(pk: int) -> str:
    return f"articles.article.{pk}"


def search_index_update(*, article_ids: Iterable[int], backend=None) -> None:
    """Bring the index entries of these articles in line with the database (add, update or remove)."""
    ids = sorted({int(pk) for pk in article_ids})
    if ids:
        _write(ids, backend or connections["default"].get_backend())


def _write(ids: list[int], backend) -> None:
    index = _article_index()
    with backend.writer() as writer:
        for start in range(0, len(ids), BATCH_SIZE):
            chunk = ids[start : start + BATCH_SIZE]
            visible = list(index.index_queryset().filter(pk__in=chunk))
            for document in backend.prepare_documents(index, visible):
                writer.update_document(**document)
            for pk in set(chunk) - {article.pk for article in visible}:
                writer.delete_by_term(ID, _identifier(pk))


def search_index_sync(*, backend=None) -> int:
    """Drain the outbox into the index; returns the number of articles written.

    Raises `LockError` when another writer (a rebuild) keeps the index locked too long: the rows stay.
    """
    backend = backend or connections["default"].get_backend()
    written = 0
    while pending := article_changes_pending(limit=SYNC_BATCH):
        ids = sorted({article_id for _row, article_id in pending})
        _write(ids, backend)
        article_changes_forget(row_ids=[row for row, _article in pending])
        written += len(ids)
    return written


def search_index_flush(*, timeout: float | None = 60) -> bool:
    """Drain the outbox in this thread, waiting for other writers; True when nothing is left pending."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        try:
            search_index_sync()
        except LockError:
            if deadline is not None and time.monotonic() > deadline:
                return False
            continue
        return True


# --- the writer thread of a web process -------------------------------------------------------------------


class _Writer:
    """One daemon thread per process draining the outbox; woken after commits, polling otherwise."""

    def __init__(self):
        self.wake = threading.Event()
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self.run, name="search-index-writer", daemon=True)
                self.thread.start()
        self.wake.set()

    def run(self) -> None:
        backoff = POLL_SECONDS
        backend, options = None, None
        while True:
            self.wake.wait(timeout=backoff)
            self.wake.clear()
            try:
                current = dict(connections.connections_info["default"])
                if backend is None or current != options:  # tests point the connection elsewhere
                    backend, options = connections.reload("default").get_backend(), current
                search_index_sync(backend=backend)
            except Exception as error:
                # The rows stay in the outbox: nothing is lost, the next round (or process) retries.
                level = logging.INFO if isinstance(error, LockError) else logging.WARNING
                log.log(level, "Search index writer: %s; retrying in %.1f s", error, backoff, exc_info=True)
                backoff = min(backoff * 2, MAX_BACKOFF)
            else:
                backoff = POLL_SECONDS
            finally:
                _close_connections()


def _close_connections() -> None:
    # Closed after every round, not kept for CONN_MAX_AGE: the thread may sleep for hours, and an idle
    # connection it holds keeps PostgreSQL from dropping or migrating the database.
    try:
        db_connections.close_all()
    except Exception:  # a connection that cannot even close is dropped with the thread's next round
        log.debug("Closing the index writer's database connection failed", exc_info=True)


_writer = _Writer()


def search_index_writer_start() -> None:
    """Start (or wake) this process's index writer thread."""
    _writer.start()


def search_index_worker(*, stop: threading.Event, poll_seconds: float = POLL_SECONDS) -> None:
    """Drain the outbox until `stop` is set: the loop of `manage.py index_worker`."""
    backoff = poll_seconds
    while not stop.is_set():
        try:
            search_index_sync()
        except LockError:
            log.info("Search index locked by another writer; retrying in %.1f s", backoff)
            backoff = min(backoff * 2, MAX_BACKOFF)
        else:
            backoff = poll_seconds
        finally:
            _close_connections()
        stop.wait(backoff)


# --- full rebuild beside the live index -------------------------------------------------------------------


def search_index_rebuild(
    *, progress: Progress | None = None, procs: int = 1, limitmb: int | None = None
) -> int:
    """Index every visible article into a new folder, then make it the live index in one step.

    Search keeps answering from the old index all along. The live index stays locked while the build
    runs, so that no writer takes a change out of the outbox into an index about to be retired: what is
    recorded meanwhile stays pending and is written into the new index right after the swap. An
    interrupted build (Ctrl-C, or a killed process, whose lock the system releases) leaves the live index
    untouched. `procs` writer processes each hold a posting pool of `limitmb` (default:
    `rebuild_limitmb`). Returns the number of articles indexed.
    """
    backend = connections["default"].get_backend()
    live = backend.live_index()  # makes sure the folder layout and the schema exist
    discard_abandoned_builds(backend.root)
    lock = live.lock("WRITELOCK")
    acquire_lock(lock)
    try:
        # Changes committed before the build reads anything are in what it reads.
        covered = [row for row, _article in article_changes_pending(limit=None)]
        done = _build(backend, progress=progress, procs=procs, limitmb=limitmb)
    finally:
        lock.release()
    article_changes_forget(row_ids=covered)
    search_index_flush(timeout=None)
    return done


def _build(backend, *, progress: Progress | None, procs: int, limitmb: int | None) -> int:
    index = _article_index()
    folder = new_version(backend.root, building=True)
    try:
        new_index = backend._open_index(folder)
        queryset = index.index_queryset().order_by("pk")
        total = queryset.count()
        done = 0
        limitmb = limitmb or rebuild_limitmb(total, procs)
        # With several processes, each one's documents make a segment of their own: merging them into
        # one takes the parent longer than the children saved. One process stays the default: on 5k ANT
        # articles, on this shared 2-core machine, two took 36 s CPU and 74 s against 26 s and 63 s, for
        # an index a quarter larger (every segment repeats the vocabulary).
        options = {"multisegment": True} if procs > 1 else {}
        writer = acquire_writer(new_index, procs=procs, limitmb=limitmb, **options)
        try:
            # Paged by primary key, not by position: a delete meanwhile shifts no page past an article.
            last = 0
            while chunk := list(queryset.filter(pk__gt=last)[:BATCH_SIZE]):
                for document in backend.prepare_documents(index, chunk):
                    writer.add_document(**document)
                last = chunk[-1].pk
                done += len(chunk)
                if progress:
                    progress(done, total)
        except BaseException:
            writer.cancel()
            raise
        commit(writer)
        new_index.close()
        folder = finish_version(folder)
    except BaseException:
        discard_version(folder)
        raise
    publish_version(backend.root, folder)
    backend.live_index()
    return done


# --- drift between database and index -------------------------------------------------------------------


@dataclass
class IndexDrift:
    missing: list[int] = field(default_factory=list)  # visible in the database, not in the index
    stale: list[int] = field(default_factory=list)  # in the index, but changed since it was indexed
    extra: list[int] = field(default_factory=list)  # in the index, but hidden or deleted
    pending: int = 0  # changes recorded in the outbox, not yet written (not drift: on their way)

    @property
    def clean(self) -> bool:
        return not (self.missing or self.stale or self.extra)


def search_index_check() -> IndexDrift:
    """Articles whose entry differs from the database, leaving out those with a change still pending."""
    backend = connections["default"].get_backend()
    with backend.live_index().searcher() as searcher:
        indexed = {
            int(fields[DJANGO_ID]): fields.get("updated", 0) for fields in searcher.all_stored_fields()
        }
    drift = IndexDrift()
    seen = set()
    for article in Article.objects.visible().only("pk", "updated_at").iterator(chunk_size=5000):
        seen.add(article.pk)
        if article.pk not in indexed:
            drift.missing.append(article.pk)
        elif indexed[article.pk] != updated_stamp(article):
            drift.stale.append(article.pk)
    drift.extra = sorted(set(indexed) - seen)
    pending = article_changes_pending_ids()
    if pending:
        drift.missing = [pk for pk in drift.missing if pk not in pending]
        drift.stale = [pk for pk in drift.stale if pk not in pending]
        drift.extra = [pk for pk in drift.extra if pk not in pending]
    drift.pending = article_changes_depth()
    return drift


def search_index_repair(*, drift: IndexDrift) -> None:
    search_index_update(article_ids=[*drift.missing, *drift.stale, *drift.extra])
