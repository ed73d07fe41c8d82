"""Keeping the search index in step with the database, which is the truth, through the engine seam.

Every change the index must hear of is a row of the outbox (`archive.articles.changes`), written in the
same transaction as the change. Writers drain it: they index the database state of the articles named,
commit the index, and only then delete the rows they took, so a crash at any moment loses nothing and the
next writer finishes the work (updates are idempotent).

- `search_index_sync`: drain the outbox now, in this thread (ingest, commands, tests);
- the index writer thread (`search_index_writer_start`) drains it in the web process, woken when a
  transaction that recorded changes commits and polling for those of other processes; with several web
  processes, `manage.py index_worker` does the same in a process of its own;
- `search_index_write_through`: an engine that keeps its entries in the database (PostgreSQL) also
  writes them in the recording transaction itself, so a reader never sees a change without them;
- `search_index_update`: write given articles at once (repairs);
- `search_index_rebuild`: builds a complete new index beside the live one and swaps it in;
- `search_index_clear`: an empty index, swapped in the same way;
- `search_index_check`: the drift between database and index (missing, stale and extra articles).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connections as db_connections

from archive.articles.changes import (
    article_changes_depth,
    article_changes_forget,
    article_changes_pending,
    article_changes_pending_ids,
)
from archive.articles.models import Article
from archive.search.engine import IndexBusy, Progress, SearchEngine, search_engine, search_engine_reload
from archive.search.search_indexes import updated_stamp

log = logging.getLogger(__name__)

# How often a writer looks for changes recorded by other processes; its own process wakes it at once.
POLL_SECONDS = 1.0
MAX_BACKOFF = 30.0
SYNC_BATCH = 1000


def search_index_update(*, article_ids: Iterable[int]) -> None:
    """Bring the index entries of these articles in line with the database (add, update or remove)."""
    ids = sorted({int(pk) for pk in article_ids})
    if ids:
        search_engine().write(article_ids=ids)


def search_index_write_through(article_ids: list[int]) -> None:
    """In the transaction that records a change: the entries of an engine that keeps them in the
    database (PostgreSQL) follow at once, so that no reader sees the change without them."""
    engine = search_engine()
    if engine.writes_in_transaction:
        engine.write(article_ids=article_ids)


def search_index_sync(*, engine: SearchEngine | None = None) -> int:
    """Drain the outbox into the index; returns the number of articles written.

    Raises `IndexBusy` when another writer (a rebuild) keeps the index locked too long: the rows stay.
    """
    engine = engine or search_engine()
    written = 0
    while pending := article_changes_pending(limit=SYNC_BATCH):
        ids = sorted({article_id for _row, article_id in pending})
        engine.write(article_ids=ids)
        article_changes_forget(row_ids=[row for row, _article in pending])
        written += len(ids)
    return written


def search_index_flush(*, timeout: float | None = 60) -> bool:
    """Drain the outbox in this thread, waiting for other writers; True when nothing is left pending."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        try:
            search_index_sync()
        except IndexBusy:
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
        engine, options = None, None
        while True:
            self.wake.wait(timeout=backoff)
            self.wake.clear()
            try:
                current = dict(settings.HAYSTACK_CONNECTIONS["default"])
                if engine is None or current != options:  # tests point the connection elsewhere
                    engine, options = search_engine_reload(), current
                search_index_sync(engine=engine)
                engine.maintain()
            except Exception as error:
                # The rows stay in the outbox: nothing is lost, the next round (or process) retries.
                level = logging.INFO if isinstance(error, IndexBusy) else logging.WARNING
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
            search_engine().maintain()
        except IndexBusy:
            log.info("Search index locked by another writer; retrying in %.1f s", backoff)
            backoff = min(backoff * 2, MAX_BACKOFF)
        else:
            backoff = poll_seconds
        finally:
            _close_connections()
        stop.wait(backoff)


# --- full rebuild beside the live index -------------------------------------------------------------------


def search_index_rebuild(
    *, progress: Progress | None = None, procs: int = 1, limitmb: int | None = None, jobs: int | None = None
) -> int:
    """Index every visible article anew without taking search down, then write what was recorded while
    the build ran; returns the number of articles indexed (see the engine's `rebuild`)."""
    done = search_engine().rebuild(progress=progress, procs=procs, limitmb=limitmb, jobs=jobs)
    search_index_flush(timeout=None)
    return done


def search_index_clear() -> None:
    """Empty the index (the database keeps the articles; `search_index_rebuild` brings them back)."""
    search_engine().clear()


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
    indexed = search_engine().indexed_stamps()
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
