"""Keeping the search index in step with the database, which is the truth.

- `search_index_update`: synchronous, for ingest and commands (waits for the index lock with backoff);
- `search_index_enqueue`: non-blocking, for requests (admin edits, curation): ids go to an in-process
  queue drained by one writer thread per process, which retries with backoff when another process holds
  the lock. Ids are coalesced, and the writer indexes the database state at the time it runs, so two edits
  of one article at once cannot leave the older one in the index;
- `search_index_rebuild`: builds a complete new index beside the live one and swaps it in;
- `search_index_check`: the drift between database and index (missing, stale and extra articles).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connections as db_connections
from haystack import connections
from haystack.constants import DJANGO_ID, ID
from whoosh.index import LockError

from archive.search.backend import (
    acquire_writer,
    commit,
    discard_version,
    finish_version,
    new_version,
    publish_version,
)

log = logging.getLogger(__name__)

Progress = Callable[[int, int | None], None]
BATCH_SIZE = 1000
# The writer's posting pool for a rebuild. When the pool is full, Whoosh sorts it into a run on disk
# (one pickled posting at a time) and merges the runs at commit in Python: measured on ANT articles,
# 5k at 128 MB 31.1 s -> 512 MB 20.8 s CPU; 30.4k at 512 MB 148 s (1.1 GB peak) -> 2048 MB 101 s
# (3.0 GB peak). About 70 MB per 1,000 articles keeps it in one run; the memory is held only while the
# build runs, and the cap bounds it for very large archives (`--limitmb` overrides).
REBUILD_LIMITMB_MIN = 512
REBUILD_LIMITMB_MAX = 2048
REBUILD_MB_PER_1000_ARTICLES = 70


def rebuild_limitmb(articles: int) -> int:
    """Posting pool size (MB) for rebuilding an index of this many articles."""
    wanted = articles * REBUILD_MB_PER_1000_ARTICLES // 1000
    return max(REBUILD_LIMITMB_MIN, min(REBUILD_LIMITMB_MAX, wanted))


MAX_BACKOFF = 30.0
MAX_ATTEMPTS = 5


def _article_index():
    from archive.articles.models import Article

    return connections["default"].get_unified_index().get_index(Article)


def _identifier(pk: int) -> str:
    return f"articles.article.{pk}"


def search_index_update(*, article_ids: Iterable[int], backend=None) -> None:
    """Bring the index entries of these articles in line with the database (add, update or remove)."""
    ids = sorted({int(pk) for pk in article_ids})
    if not ids:
        return
    if backend is None:
        # Queued updates of these articles would only repeat this one: it writes the current state.
        _queue.discard(ids)
        try:
            _write(ids, connections["default"].get_backend())
        except LockError:
            # Another writer kept the lock too long: the queue's writer takes over, nothing is lost.
            log.warning("Search index busy; %d article(s) queued for the index writer", len(ids))
            search_index_enqueue(article_ids=ids)
            return
        _queue.written(ids)
        return
    _write(ids, backend)


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


# --- the queue drained by one writer per process ---------------------------------------------------------


class _Queue:
    def __init__(self):
        self.lock = threading.Condition()
        self.pending: set[int] = set()
        self.removals: set[int] = set()
        self.busy = False
        self.thread: threading.Thread | None = None
        self.options: dict | None = None  # the connection the ids belong to (tests switch index folders)

    def put(self, ids: set[int], removed: bool) -> None:
        with self.lock:
            options = dict(connections.connections_info["default"])
            if self.options is not None and options != self.options:
                # Another index altogether (only tests switch): work queued for the old one is moot.
                self.pending.clear()
                self.removals.clear()
            self.options = options
            self.pending |= ids
            if removed:
                self.removals |= ids
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self.run, name="search-index-writer", daemon=True)
                self.thread.start()
            self.lock.notify_all()

    def run(self) -> None:
        backoff, failures = 0.1, 0
        backend, backend_options = None, None
        while True:
            with self.lock:
                self.lock.wait_for(lambda: self.pending)
                batch, self.pending = self.pending, set()
                options = self.options
                self.busy = True
            try:
                if backend is None or backend_options != options:
                    backend = connections.reload("default").get_backend()
                    backend_options = options
                search_index_update(article_ids=batch, backend=backend)
            except Exception as error:
                # Another writer holding the lock is waited for as long as it takes; any other error
                # (the database unreachable...) is retried a few times, then left to `check_index --fix`.
                failures = 0 if isinstance(error, LockError) else failures + 1
                if failures > MAX_ATTEMPTS:
                    log.error("Search index update of %d article(s) abandoned", len(batch), exc_info=True)
                    self._finish(batch, requeue=False)
                    backoff, failures = 0.1, 0
                    continue
                log.warning("Search index update failed; retrying in %.1f s", backoff, exc_info=True)
                self._finish(batch, requeue=True)
                time.sleep(backoff)  # not in a request: this thread only writes the index
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            finally:
                _close_connections()
            backoff, failures = 0.1, 0
            self._finish(batch, requeue=False)

    def _finish(self, batch: set[int], *, requeue: bool) -> None:
        with self.lock:
            if requeue:
                self.pending |= batch
            else:
                self.removals -= batch - self.pending
            self.busy = False
            self.lock.notify_all()

    def discard(self, ids: Iterable[int]) -> None:
        with self.lock:
            self.pending.difference_update(ids)
            self.lock.notify_all()

    def written(self, ids: Iterable[int]) -> None:
        with self.lock:
            self.removals.difference_update(set(ids) - self.pending)

    def flush(self, timeout: float | None) -> bool:
        with self.lock:
            return self.lock.wait_for(lambda: not self.pending and not self.busy, timeout=timeout)


def _close_connections() -> None:
    # Closed after every round, not kept for CONN_MAX_AGE: the thread may sleep for hours, and an idle
    # connection it holds keeps PostgreSQL from dropping or migrating the database.
    try:
        db_connections.close_all()
    except Exception:  # a connection that cannot even close is dropped with the thread's next round
        log.debug("Closing the index writer's database connection failed", exc_info=True)


_queue = _Queue()


def search_index_enqueue(*, article_ids: Iterable[int], removed: bool = False) -> None:
    """Queue articles for the index writer and return at once (safe to call inside a request).

    `removed=True` for articles that were hidden or deleted: searches leave them out until the writer ran.
    """
    ids = {int(pk) for pk in article_ids}
    if ids:
        _queue.put(ids, removed)


_deferred = threading.local()


@contextmanager
def search_index_deferred() -> Iterator[None]:
    """Within this block, saving articles queues nothing: for bulk work that calls
    `search_index_update` itself at the end (ingest), so the index is not written twice."""
    _deferred.depth = getattr(_deferred, "depth", 0) + 1
    try:
        yield
    finally:
        _deferred.depth -= 1


def index_updates_deferred() -> bool:
    return getattr(_deferred, "depth", 0) > 0


def search_index_flush(*, timeout: float | None = 60) -> bool:
    """Wait until the queue is empty (commands, tests); True when everything queued reached the index."""
    return _queue.flush(timeout)


def pending_removals() -> frozenset[int]:
    with _queue.lock:
        return frozenset(_queue.removals)


# --- full rebuild beside the live index -------------------------------------------------------------------


def search_index_rebuild(
    *, progress: Progress | None = None, procs: int = 1, limitmb: int | None = None
) -> int:
    """Index every visible article into a new folder, then make it the live index in one step.

    Search keeps answering from the old index all along. Articles changed while the build ran are
    indexed again before the swap. An interrupted build (Ctrl-C) leaves the live index untouched.
    Returns the number of articles indexed.
    """
    backend = connections["default"].get_backend()
    backend.live_index()  # makes sure the folder layout and the schema exist
    index = _article_index()
    folder = new_version(backend.root, building=True)
    started = _now()
    try:
        new_index = backend._open_index(folder)
        queryset = index.index_queryset().order_by("pk")
        total = queryset.count()
        done = 0
        options = {"procs": procs, "multisegment": True} if procs > 1 else {}
        options["limitmb"] = limitmb or rebuild_limitmb(total)
        writer = acquire_writer(new_index, **options)
        try:
            for start in range(0, total + BATCH_SIZE, BATCH_SIZE):
                chunk = list(queryset[start : start + BATCH_SIZE])
                if not chunk:
                    break
                for document in backend.prepare_documents(index, chunk):
                    writer.add_document(**document)
                done += len(chunk)
                if progress:
                    progress(done, total)
        except BaseException:
            writer.cancel()
            raise
        commit(writer)
        _catch_up(backend, new_index, since=started)
        new_index.close()
        folder = finish_version(folder)
    except BaseException:
        discard_version(folder)
        raise
    publish_version(backend.root, folder)
    backend.live_index()
    return done


def _now():
    from django.utils import timezone

    return timezone.now()


def _catch_up(backend, new_index, *, since) -> None:
    """Index what changed during the build: edited articles again, and drop those hidden meanwhile."""
    from archive.articles.models import Article

    changed = set(Article.objects.filter(updated_at__gte=since).values_list("pk", flat=True))
    visible = set(Article.objects.visible().values_list("pk", flat=True))
    with new_index.searcher() as searcher:
        indexed = {int(fields[DJANGO_ID]) for fields in searcher.all_stored_fields()}
    stale = changed | (indexed - visible)
    if stale:
        search_index_update(article_ids=stale, backend=_BoundBackend(backend, new_index))


class _BoundBackend:
    """The backend, writing to a given (not yet live) index."""

    def __init__(self, backend, index):
        self._backend, self._index = backend, index

    def writer(self):
        return self._backend.writer(self._index)

    def prepare_documents(self, index, objects):
        return self._backend.prepare_documents(index, objects)


# --- drift between database and index -------------------------------------------------------------------


@dataclass
class IndexDrift:
    missing: list[int] = field(default_factory=list)  # visible in the database, not in the index
    stale: list[int] = field(default_factory=list)  # in the index, but changed since it was indexed
    extra: list[int] = field(default_factory=list)  # in the index, but hidden or deleted

    @property
    def clean(self) -> bool:
        return not (self.missing or self.stale or self.extra)


def search_index_check() -> IndexDrift:
    from archive.articles.models import Article
    from archive.search.search_indexes import updated_stamp

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
    return drift


def search_index_repair(*, drift: IndexDrift) -> None:
    search_index_update(article_ids=[*drift.missing, *drift.stale, *drift.extra])


def index_path() -> Path:
    return connections["default"].get_backend().root
