"""The Whoosh index on disk: versioned folders, the live one, its searchers and its writers.

The index lives in versioned folders under the connection's PATH with a `CURRENT` pointer file. A rebuild
writes a new folder beside the live one and replaces the pointer atomically, so search never sees an empty
index. Searchers are cached per thread and reopened only when the index changed; writers wait for the lock
with backoff, and a writer that waited too long raises the engine's `IndexBusy`, never Whoosh's
`LockError`.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError

from archive.search.engine import IndexBusy
from archive.search.whoosh_engine import codec
from archive.search.whoosh_engine.bulk import BulkSegmentWriter
from archive.search.whoosh_engine.posting_store import posting_store_complete

log = logging.getLogger(__name__)
codec.install()  # read mmapped segments in place (see codec.py)

POINTER_FILE = "CURRENT"
VERSION_PREFIX = "v-"
BUILDING_PREFIX = "build-"
WRITE_LOCK = "WRITELOCK"
# How long a writer waits for another writer (the queue worker, a rebuild) before giving up for now.
WRITE_LOCK_TIMEOUT = 30.0
RETIRED_GRACE_SECONDS = 300
# Held (under the index root) whenever a build's folder exists without its writer's lock (from creating
# the folder to taking the lock, from the commit to the rename), and while abandoned builds are removed.
# Whoosh's file locks are `flock`s on a file opened per lock, so they hold between threads too.
BUILDS_LOCK = "BUILDS"


# --- the versioned index folder -----------------------------------------------------------------------


def live_version(root: Path) -> Path:
    """The folder of the live index, created (empty) on first use."""
    pointer = root / POINTER_FILE
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        name = ""
    if name and (root / name).is_dir():
        return root / name
    # No pointer yet (a new archive), or one naming a folder someone removed: the newest complete
    # version if there is one, else a new empty index. Nothing is deleted here.
    versions = sorted(
        (child for child in root.glob(f"{VERSION_PREFIX}*") if whoosh_index.exists_in(str(child))),
        key=lambda child: child.name,
    )
    folder = versions[-1] if versions else new_version(root)
    publish_version(root, folder, keep_previous=True)
    return folder


def new_version(root: Path, *, building: bool = False) -> Path:
    """A new, empty version folder; `building=True` names it a build's (made under `builds_locked`)."""
    root.mkdir(parents=True, exist_ok=True)
    stamp = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
    folder = root / f"{BUILDING_PREFIX if building else VERSION_PREFIX}{stamp}"
    folder.mkdir()
    return folder


def finish_version(folder: Path) -> Path:
    """Rename a completed build to a version folder (one atomic rename), ready to be published."""
    done = folder.with_name(VERSION_PREFIX + folder.name.removeprefix(BUILDING_PREFIX))
    os.replace(folder, done)
    return done


def publish_version(root: Path, folder: Path, *, keep_previous: bool = True) -> None:
    """Make `folder` the live index in one atomic step, then drop versions nobody should still read."""
    pointer = root / POINTER_FILE
    previous = ""
    if pointer.exists():
        previous = pointer.read_text(encoding="utf-8").strip()
    temporary = root / f".{POINTER_FILE}.{uuid.uuid4().hex}"
    temporary.write_text(folder.name, encoding="utf-8")
    os.replace(temporary, pointer)
    # The previous version stays, and older ones for a grace period, so a searcher that opened one just
    # before a swap can finish its search (Whoosh opens some files lazily).
    keep = {folder.name} | ({previous} if keep_previous and previous else set())
    cutoff = time.time() - RETIRED_GRACE_SECONDS
    for child in root.iterdir():
        retired = child.is_dir() and child.name.startswith(VERSION_PREFIX) and child.name not in keep
        if retired and (not keep_previous or child.stat().st_mtime < cutoff):
            shutil.rmtree(child, ignore_errors=True)


def discard_version(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def builds_locked(root: Path) -> Iterator[None]:
    """Held while a build's folder is not locked by its writer: no clean-up removes it meanwhile."""
    root.mkdir(parents=True, exist_ok=True)
    lock = FileStorage(str(root)).lock(BUILDS_LOCK)
    acquire_lock(lock, timeout=WRITE_LOCK_TIMEOUT)
    try:
        yield
    finally:
        lock.release()


def discard_abandoned_builds(root: Path) -> list[str]:
    """Remove the folders of builds whose process died (killed, or the machine stopped).

    A running build holds its folder's write lock, which the system releases when the process dies; a
    folder whose lock can be taken is nobody's, unless `BUILDS_LOCK` is held (a build creating, locking,
    or renaming its folder): then nothing is removed now; the next clean-up does it. Returns the names
    removed.
    """
    if not root.is_dir():
        return []
    starting = FileStorage(str(root)).lock(BUILDS_LOCK)
    if not starting.acquire(blocking=False):
        return []
    removed = []
    try:
        for folder in root.glob(f"{BUILDING_PREFIX}*"):
            lock = FileStorage(str(folder)).lock(f"{whoosh_index._DEF_INDEX_NAME}_{WRITE_LOCK}")
            if not folder.is_dir() or not lock.acquire(blocking=False):
                continue
            try:
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder.name)
            finally:
                lock.release()
    finally:
        starting.release()
    return removed


# --- locks and writers -----------------------------------------------------------------------------------


def commit(writer, **options) -> None:
    """Commit (Whoosh's `options`), and give the lock back if the commit fails: Whoosh keeps it then, and
    every later writer of this process would wait for a lock nobody will release."""
    try:
        writer.commit(**options)
    except BaseException:
        if not writer.is_closed:
            try:
                writer.cancel()
            except Exception:
                writer.writelock.release()
        raise
    # After the lock is given back: the stores are derived, and a writer that stops here loses nothing. A
    # store that cannot be written (another process's merge retired the segment meanwhile, a full disk)
    # leaves that segment read from Whoosh's blocks; the commit itself stands.
    try:
        posting_store_complete(storage=writer.storage, indexname=writer.indexname, schema=writer.schema)
    except Exception:
        log.warning("Posting stores not written after a commit", exc_info=True)


def acquire_lock(lock, *, timeout: float | None = None) -> None:
    """Take an index lock, waiting with backoff (forever when `timeout` is None)."""
    deadline = None if timeout is None else time.monotonic() + timeout
    delay = 0.05
    while not lock.acquire(blocking=False):
        if deadline is not None and time.monotonic() + delay > deadline:
            raise IndexBusy("the search index stayed locked by another writer")
        time.sleep(delay)
        delay = min(delay * 2, 1.0)


def acquire_writer(index, *, timeout: float = WRITE_LOCK_TIMEOUT, **writer_options):
    """Open a writer, retrying with exponential backoff while another process holds the lock."""
    options = {"limitmb": settings.SEARCH_WRITER_LIMITMB} | writer_options
    # Several processes (a rebuild): each child analyses a share of the documents into a segment.
    procs = options.pop("procs", 1)
    # A new index built in one go: the postings held in arrays (`bulk.py`).
    bulk = options.pop("bulk", False)
    deadline = time.monotonic() + timeout
    delay = 0.05
    while True:
        try:
            if procs > 1:
                return codec.MpWriter(index, procs=procs, **options)
            if bulk:
                return BulkSegmentWriter(index, **options)
            return codec.SegmentWriter(index, **options)
        except LockError:
            if time.monotonic() + delay > deadline:
                raise IndexBusy("the search index stayed locked by another writer") from None
            time.sleep(delay)
            delay = min(delay * 2, 1.0)


# --- the live index, its searchers and writers -----------------------------------------------------------


class _CachedSearcher:
    __slots__ = ("folder", "searcher")

    def __init__(self, folder, searcher):
        self.folder = folder
        self.searcher = searcher


class IndexStore:
    """The versioned index under `root`, opened with `schema`."""

    def __init__(self, root: Path, schema):
        self.root = root
        self.schema = schema
        self._local = threading.local()
        self.index = self.open_index(live_version(root))

    def open_index(self, folder: Path):
        storage = FileStorage(str(folder))
        if whoosh_index.exists(storage):
            # The schema given here, not the one pickled with the index: an index written before a module
            # of the engine was renamed still opens.
            return storage.open_index(schema=self.schema)
        return storage.create_index(self.schema)

    def live_index(self):
        """The live index, reopened if a rebuild swapped in a new version since the last call."""
        folder = live_version(self.root)
        if Path(self.index.storage.folder) != folder:
            self.index = self.open_index(folder)
        return self.index

    def searcher(self):
        """A searcher on the live index as of its latest commit, cached per thread (Whoosh searchers are
        not thread-safe).

        Every call compares the searcher's generation with the newest one on disk (a directory listing),
        so a search never answers from before a commit of this or any other process. A changed index gets
        a new searcher rather than `Searcher.refresh()`: Whoosh-Reloaded 2.7.5 refreshes by reusing the
        old segment readers, whose deletion sets are those of the old generation (an updated article then
        shows twice), and adds back segments that a merge replaced.
        """
        index = self.live_index()
        cached = getattr(self._local, "searcher", None)
        if cached is not None:
            current = cached.folder == index.storage.folder
            if current and cached.searcher.reader().generation() == index.latest_generation():
                return cached.searcher
            self.forget_searcher()
        searcher = index.searcher()
        self._local.searcher = _CachedSearcher(index.storage.folder, searcher)
        return searcher

    def forget_searcher(self) -> None:
        cached = getattr(self._local, "searcher", None)
        self._local.searcher = None
        if cached is not None:
            try:
                cached.searcher.close()
            except Exception:  # a searcher on deleted files may fail to close: it is dropped anyway
                log.debug("Closing a stale searcher failed", exc_info=True)

    @contextmanager
    def writer(self, *, timeout: float = WRITE_LOCK_TIMEOUT) -> Iterator:
        """A writer on the live index, committed on leaving; `IndexBusy` if the lock stays taken."""
        writer = self._live_writer(timeout=timeout)
        try:
            yield writer
        except BaseException:
            writer.cancel()
            raise
        commit(writer)

    def _live_writer(self, *, timeout: float):
        """A writer on the index that is live once the lock is held: a rebuild may have swapped in a new
        one while this writer waited, and what it wrote to the old one would be lost."""
        while True:
            index = self.live_index()
            writer = acquire_writer(index, timeout=timeout)
            if Path(index.storage.folder) == live_version(self.root):
                return writer
            writer.cancel()

    @contextmanager
    def live_locked(self, *, timeout: float | None = None) -> Iterator:
        """The live index, its write lock held (waited for as long as it takes, or `IndexBusy` past
        `timeout`): no writer takes changes out of the outbox into it meanwhile (a rebuild about to retire
        it, a clear), nor retires its segments. A rebuild may swap in a new index while this waits, and
        then that one is locked instead."""
        while True:
            index = self.live_index()
            lock = index.lock(WRITE_LOCK)
            acquire_lock(lock, timeout=timeout)
            if Path(index.storage.folder) == live_version(self.root):
                break
            lock.release()
        try:
            yield index
        finally:
            lock.release()
