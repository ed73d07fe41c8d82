"""Haystack's Whoosh engine, made Arabic-aware and safe to rebuild while people search.

What differs from haystack's backend, and why:
- every text field uses the Arabic analyzer of its strictness mode (haystack hard-codes an English
  `StemmingAnalyzer`), and only identifiers are stored: snippets are cut from the database text;
- the index lives in versioned folders under PATH with a `CURRENT` pointer file. A rebuild writes a new
  folder beside the live one and replaces the pointer atomically, so search never sees an empty index;
- searchers are cached per thread and reopened only when the index changed;
- writers wait for the lock with backoff instead of failing with `LockError`;
- highlighting uses the Arabic analyzer and spelling suggestions are offered when nothing matched.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from haystack import indexes
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError, SkipDocument
from haystack.utils import get_identifier
from whoosh import index as whoosh_index
from whoosh.columns import VarBytesListColumn
from whoosh.fields import DATETIME, KEYWORD, NUMERIC, STORED, Schema
from whoosh.fields import ID as WHOOSH_ID
from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError
from whoosh.qparser import QueryParser

from archive.search import textops, whoosh_io
from archive.search.fields import ArabicText, written_forms_analyzer

log = logging.getLogger(__name__)
whoosh_io.install()  # read mmapped segments in place (see whoosh_io.py)

_HAYSTACK_SYNTAX = re.compile(r"[()\[\]{}^~*\\]|\b(?:AND|OR|NOT|TO)\b")
POINTER_FILE = "CURRENT"
VERSION_PREFIX = "v-"
BUILDING_PREFIX = "build-"
# How long a writer waits for another writer (the queue worker, a rebuild) before giving up for now.
WRITE_LOCK_TIMEOUT = 30.0
RETIRED_GRACE_SECONDS = 300
_building: set[str] = set()  # build folders this process is writing


class KeywordField(indexes.CharField):
    """One untokenised value (a source name): filterable, sortable and countable as a facet."""

    field_type = "keyword"


class KeywordListField(indexes.MultiValueField):
    """Several untokenised values (official ids, place names): each one filterable and countable."""

    field_type = "keyword_list"


class ArabicTextField(indexes.CharField):
    """Text analysed with the Arabic analyzer of one mode.

    `mode` is "stemmed", "normalized", "exact", or "written" (only the written form of words whose
    spelling normalisation changed: the exact mode reads it beside the normalised field).
    `positions=False` saves a third of the field's size where no phrase query needs them.
    """

    def __init__(self, *, mode: str = "stemmed", positions: bool = True, **kwargs):
        if mode not in (*textops.MODES, "written"):
            raise ValueError(f"Unknown analysis mode {mode!r}.")
        self.mode = mode
        self.positions = positions
        super().__init__(**kwargs)


class KeywordList(KEYWORD):
    """Comma-separated values, also kept as a per-document list column so facets count them fast."""

    def __init__(self):
        super().__init__(stored=False, commas=True, scorable=False)
        self.column_type = VarBytesListColumn()

    def to_column_value(self, value):
        values = value.split(",") if isinstance(value, str) else list(value or ())
        return [item.strip().encode("utf-8") for item in values if item and item.strip()]

    def from_column_value(self, value):
        return [item.decode("utf-8") for item in value]


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
    """A new, empty version folder; `building=True` names it so no clean-up touches it until it is done."""
    root.mkdir(parents=True, exist_ok=True)
    stamp = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
    folder = root / f"{BUILDING_PREFIX if building else VERSION_PREFIX}{stamp}"
    folder.mkdir()
    if building:
        _building.add(folder.name)
    return folder


def finish_version(folder: Path) -> Path:
    """Rename a completed build to a version folder (one atomic rename), ready to be published."""
    done = folder.with_name(VERSION_PREFIX + folder.name.removeprefix(BUILDING_PREFIX))
    os.replace(folder, done)
    _building.discard(folder.name)
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
    _building.discard(folder.name)


def discard_abandoned_builds(root: Path) -> list[str]:
    """Remove the folders of builds whose process died (killed, or the machine stopped).

    A running build holds its folder's write lock, which the system releases when the process dies; a
    folder whose lock can be taken is nobody's. Returns the names removed.
    """
    removed = []
    for folder in root.glob(f"{BUILDING_PREFIX}*"):
        if folder.name in _building:  # this process's own (file locks are per process)
            continue
        lock = FileStorage(str(folder)).lock(f"{whoosh_index._DEF_INDEX_NAME}_WRITELOCK")
        if not folder.is_dir() or not lock.acquire(blocking=False):
            continue
        try:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder.name)
        finally:
            lock.release()
    return removed


# --- the backend -------------------------------------------------------------------------------------


class ArabicWhooshSearchBackend(WhooshSearchBackend):
    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self.root = Path(self.path)
        # Suggestions are cheap here (only for words the index has never seen): on unless turned off.
        self.include_spelling = connection_options.get("INCLUDE_SPELLING", True)
        self._local = threading.local()
        self._setup_lock = threading.Lock()

    # Schema ------------------------------------------------------------------------------------------

    def build_schema(self, fields):
        schema_fields = {
            ID: WHOOSH_ID(stored=True, unique=True),
            DJANGO_CT: WHOOSH_ID(stored=True),
            DJANGO_ID: WHOOSH_ID(stored=True, sortable=True),
        }
        content_field_name = ""
        for field in fields.values():
            name = field.index_fieldname
            if field.field_type == "keyword":
                schema_fields[name] = WHOOSH_ID(stored=False, sortable=True)
            elif field.field_type == "keyword_list":
                schema_fields[name] = KeywordList()
            elif field.field_type in ("date", "datetime"):
                schema_fields[name] = DATETIME(stored=False, sortable=True)
            elif field.field_type == "integer" and not field.indexed:
                # Read back, never searched (the `updated` stamp): no terms, no postings.
                schema_fields[name] = STORED()
            elif field.field_type == "integer":
                schema_fields[name] = NUMERIC(stored=field.stored, numtype=int, bits=64, sortable=True)
            elif field.field_type in ("string", "edge_ngram", "ngram"):
                mode = getattr(field, "mode", "stemmed")
                schema_fields[name] = ArabicText(
                    mode=mode,
                    stored=False,
                    analyzer=written_forms_analyzer() if mode == "written" else textops.analyzer(mode),
                    field_boost=field.boost,
                    phrase=getattr(field, "positions", True),
                )
            else:
                raise SearchBackendError(f"Field {name!r} of type {field.field_type!r} is not supported.")
            if field.document:
                content_field_name = name
        if not content_field_name:
            raise SearchBackendError("The search index needs a document=True field.")
        return content_field_name, Schema(**schema_fields)

    # Opening the live index --------------------------------------------------------------------------

    def setup(self):
        from haystack import connections

        with self._setup_lock:
            if self.setup_complete:
                return
            self.content_field_name, self.schema = self.build_schema(
                connections[self.connection_alias].get_unified_index().all_searchfields()
            )
            self.parser = QueryParser(self.content_field_name, schema=self.schema)
            self.index = self._open_index(live_version(self.root))
            discard_abandoned_builds(self.root)
            self.setup_complete = True

    def _open_index(self, folder: Path):
        storage = FileStorage(str(folder))
        if whoosh_index.exists(storage):
            return storage.open_index(schema=self.schema)
        return storage.create_index(self.schema)

    def live_index(self):
        """The live index, reopened if a rebuild swapped in a new version since the last call."""
        if not self.setup_complete:
            self.setup()
        folder = live_version(self.root)
        if Path(self.index.storage.folder) != folder:
            self.index = self._open_index(folder)
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

    # Writing -----------------------------------------------------------------------------------------

    @contextmanager
    def writer(self, index=None, *, timeout: float = WRITE_LOCK_TIMEOUT) -> Iterator:
        """A writer that waits (with backoff) for another writer instead of raising `LockError` at once."""
        if index is None:
            writer = self._live_writer(timeout=timeout)
        else:
            writer = acquire_writer(index, timeout=timeout)
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

    def prepare_documents(self, index, objects: Iterable) -> Iterator[dict]:
        for obj in objects:
            try:
                document = index.full_prepare(obj)
            except SkipDocument:
                continue
            document.pop("boost", None)
            yield {key: self._from_python(value) for key, value in document.items()}

    def update(self, index, iterable, commit=True):
        documents = list(self.prepare_documents(index, iterable))
        if not documents:
            return
        with self.writer() as writer:
            for document in documents:
                writer.update_document(**document)

    def remove(self, obj_or_string, commit=True):
        with self.writer() as writer:
            writer.delete_by_term(ID, get_identifier(obj_or_string))

    def clear(self, models=None, commit=True):
        """Haystack's `clear_index`/`rebuild_index` would delete the live index: rebuild it beside instead.

        The database is the truth, so "clearing" an index that mirrors it means building it afresh.
        """
        from archive.search.indexing import search_index_rebuild

        search_index_rebuild()

    def delete_index(self):
        self.clear()

    def optimize(self):
        with self.writer() as writer:
            writer.optimize = True

    # Searching through haystack (SearchQuerySet); the product uses archive.search.service ----------------

    def search(self, query_string, **kwargs):
        if not self.setup_complete:
            self.setup()
        self.index = self.live_index()
        results = super().search(query_string, **kwargs)
        if not results.get("hits") and self.include_spelling and query_string:
            results["spelling_suggestion"] = self.create_spelling_suggestion(
                kwargs.get("spelling_query") or query_string
            )
        return results

    def _process_results(self, raw_page, highlight=False, query_string="", **kwargs):
        # Haystack highlights stored text with an English StemmingAnalyzer. No text is stored here (the
        # database has it): snippets are cut from the article text with the Arabic analyzer instead.
        results = super()._process_results(raw_page, highlight=False, query_string=query_string, **kwargs)
        if highlight and results["results"]:
            self._highlight(results["results"], query_string)
        return results

    def _highlight(self, results, query_string: str) -> None:
        from archive.articles.models import Article
        from archive.search.highlight import Matcher, snippet
        from archive.search.query import build_query, parse_query

        built = build_query(parse_query(query_string), mode="stemmed", match="any")
        matcher = Matcher(built.units, "stemmed")
        articles = Article.objects.visible().in_bulk([int(r.pk) for r in results])
        for result in results:
            article = articles.get(int(result.pk))
            text = snippet(article.body, matcher)[0] if article else ""
            result.highlighted = {self.content_field_name: [text]}

    def more_like_this(
        self, model_instance, additional_query_string=None, start_offset=0, end_offset=None, **kwargs
    ):
        """Haystack's version needs the text stored in the index: the search service's works without."""
        from haystack.models import SearchResult

        from archive.search.service import more_like_this

        limit = (end_offset or 20) - (start_offset or 0)
        related = more_like_this(article=model_instance, limit=max(1, limit))
        result_class = kwargs.get("result_class") or SearchResult
        results = [
            result_class(article._meta.app_label, article._meta.model_name, article.pk, 1.0 / (rank + 1))
            for rank, article in enumerate(related)
        ]
        return {"results": results, "hits": len(results)}

    def create_spelling_suggestion(self, query_string):
        from archive.search.suggest import suggest_query

        # Haystack passes its own query syntax ("(word AND word)"): suggest for the words alone.
        words = " ".join(_HAYSTACK_SYNTAX.sub(" ", query_string or "").split())
        return suggest_query(searcher=self.searcher(), query=words) if words else None


class _CachedSearcher:
    __slots__ = ("folder", "searcher")

    def __init__(self, folder, searcher):
        self.folder = folder
        self.searcher = searcher


def commit(writer) -> None:
    """Commit, and give the lock back if the commit fails: Whoosh keeps it then, and every later writer of
    this process would wait for a lock nobody will release."""
    try:
        writer.commit()
    except BaseException:
        if not writer.is_closed:
            try:
                writer.cancel()
            except Exception:
                writer.writelock.release()
        raise


def acquire_lock(lock, *, timeout: float | None = None) -> None:
    """Take an index lock, waiting with backoff (forever when `timeout` is None)."""
    deadline = None if timeout is None else time.monotonic() + timeout
    delay = 0.05
    while not lock.acquire(blocking=False):
        if deadline is not None and time.monotonic() + delay > deadline:
            raise LockError
        time.sleep(delay)
        delay = min(delay * 2, 1.0)


def acquire_writer(index, *, timeout: float = WRITE_LOCK_TIMEOUT, **writer_options):
    """Open a writer, retrying with exponential backoff while another process holds the lock."""
    options = {"limitmb": settings.SEARCH_WRITER_LIMITMB} | writer_options
    # Several processes (a rebuild): each child analyses a share of the documents into a segment.
    procs = options.pop("procs", 1)
    deadline = time.monotonic() + timeout
    delay = 0.05
    while True:
        try:
            if procs > 1:
                return whoosh_io.MpWriter(index, procs=procs, **options)
            return whoosh_io.SegmentWriter(index, **options)
        except LockError:
            if time.monotonic() + delay > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 1.0)


class ArabicWhooshEngine(WhooshEngine):
    backend = ArabicWhooshSearchBackend
