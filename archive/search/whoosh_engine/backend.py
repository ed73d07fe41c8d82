"""The Whoosh engine: haystack's registry entry for the index, and Diwan's `SearchEngine` over it.

`HAYSTACK_CONNECTIONS["default"]["ENGINE"]` names `ArabicWhooshEngine`; `search_engine()` returns this
backend. It answers built query trees (compile.py) with Whoosh's searcher, counts facets from cached
segment columns (facets.py), keeps each search within its time budget (budget.py), writes and rebuilds
the versioned index (store.py). Haystack's own query API (SearchQuerySet) is not offered: every search
goes through `archive.search.service`, which checks results against the database.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from haystack import connections
from haystack.backends import BaseEngine
from haystack.constants import DJANGO_ID, ID
from haystack.exceptions import SkipDocument
from whoosh import query as wq
from whoosh import sorting
from whoosh.index import IndexError as WhooshIndexError

from archive.articles.changes import article_changes_forget, article_changes_pending
from archive.articles.models import Article
from archive.env import available_cores
from archive.search import schema
from archive.search.budget import budget_current, budget_exceeded
from archive.search.engine import (
    DerivedFiles,
    EngineQuery,
    EngineResults,
    HaystackBackend,
    NoSearchQuery,
    Progress,
    SearchEngine,
    article_index,
)
from archive.search.querytree import Every, Term, any_of
from archive.search.suggest import suggest_query
from archive.search.whoosh_engine.analysers import Analysers
from archive.search.whoosh_engine.budget import budgeted_search
from archive.search.whoosh_engine.compile import query_compile
from archive.search.whoosh_engine.facets import (
    FacetPass,
    facet_cache_clear,
    facet_cache_key,
    facet_pass_cached,
    facet_pass_count,
    facet_pass_store,
)
from archive.search.whoosh_engine.fields import schema_build
from archive.search.whoosh_engine.posting_store import posting_store_complete, posting_store_status
from archive.search.whoosh_engine.store import (
    WRITE_LOCK_TIMEOUT,
    IndexStore,
    acquire_writer,
    builds_locked,
    commit,
    discard_abandoned_builds,
    discard_version,
    finish_version,
    new_version,
    publish_version,
)
from archive.search.whoosh_engine.vector import vector_search
from archive.search.whoosh_engine.vocabulary import WhooshVocabulary

BATCH_SIZE = 1000
RELATED_KEY_TERMS = 12
# The writer's posting pool for a rebuild. When the pool is full, Whoosh sorts it into a run on disk
# (one pickled posting at a time) and merges the runs at commit in Python: measured on ANT articles,
# 5k at 128 MB 31.1 s -> 512 MB 20.8 s CPU; 30.4k at 512 MB 148 s (1.1 GB peak) -> 2048 MB 101 s
# (3.0 GB peak). About 70 MB per 1,000 articles keeps it in one run; REBUILD_LIMITMB_MAX bounds the
# build's memory (about 1.3 GB with the process itself) for large archives, at the price of merging runs.
# With `procs` > 1 the processes share that budget (`--limitmb` overrides).
REBUILD_LIMITMB_MIN = 512
REBUILD_LIMITMB_MAX = 768
REBUILD_MB_PER_1000_ARTICLES = 70


# A one-process rebuild of at least this many articles analyses their text in `jobs` worker processes
# (default: one per core), a batch ahead of the writer (analysers.py). The writer is idle while they
# analyse and alone while it commits: on the 31.5k ANT articles (2 cores) two workers rebuilt in 73.6 s
# where one took 77.0 s.
ANALYSERS_MIN_ARTICLES = 2 * BATCH_SIZE


def build_segment_size(articles: int) -> int:
    """Articles per segment of a one-process build (`bulk.py` holds a segment's postings in arrays: on the
    31.5k corpus 175 s of CPU against 382 s for Whoosh's pool, at a peak of 1.14 GB against 1.38 GB): as
    few segments as `SEARCH_BUILD_SEGMENT_ARTICLES` allows, of equal size (157k articles make four of
    about 39k, not three full ones and a small one). They are left unmerged: a merge would go back through
    Whoosh's pool."""
    most = settings.SEARCH_BUILD_SEGMENT_ARTICLES
    segments = max(1, -(-articles // most))
    return max(1, -(-articles // segments))


def rebuild_limitmb(articles: int, procs: int = 1) -> int:
    """Posting pool size (MB) of each of `procs` writer processes rebuilding this many articles."""
    wanted = articles * REBUILD_MB_PER_1000_ARTICLES // (1000 * procs)
    return min(REBUILD_LIMITMB_MAX // procs, max(REBUILD_LIMITMB_MIN, wanted))


class WhooshBackend(HaystackBackend, SearchEngine):
    writes_in_transaction = False  # the outbox is drained into the index after commit

    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        if not connection_options.get("PATH"):
            raise ImproperlyConfigured(f"The search connection {connection_alias!r} needs a PATH.")
        self.root = Path(connection_options["PATH"])
        self._store: IndexStore | None = None
        self._setup_lock = threading.Lock()

    @property
    def store(self) -> IndexStore:
        """The versioned index, opened on first use (the schema needs the apps loaded)."""
        if self._store is None:
            with self._setup_lock:
                if self._store is None:
                    fields = connections[self.connection_alias].get_unified_index().all_searchfields()
                    self.content_field_name, whoosh_schema = schema_build(fields=fields)
                    store = IndexStore(self.root, whoosh_schema)
                    discard_abandoned_builds(self.root)
                    self._store = store
        return self._store

    # Searching -------------------------------------------------------------------------------------------

    def execute(self, request: EngineQuery) -> EngineResults:
        try:
            return self._execute(request)
        except (OSError, WhooshIndexError):
            # A rebuild swapped the index while this thread's searcher was open: search the new one.
            self.store.forget_searcher()
            return self._execute(request)

    def _execute(self, request: EngineQuery) -> EngineResults:
        searcher = self.store.searcher()
        query = query_compile(node=request.query)
        vectorised = settings.SEARCH_WHOOSH_EXECUTOR == "vector"
        if not vectorised and query.estimate_size(searcher.reader()) == 0:
            # Whoosh's estimate never undercounts: 0 means a required word is in no document, so the query
            # matches nothing. Knowing it from the term table spares building every other word's matchers,
            # most of what a long query with one unknown word costs. The vectorised executor needs no such
            # pass: it stops an And at its first part without a match.
            query = wq.NullQuery
        filter_ = query_compile(node=request.filters) if request.filters is not None else None
        counted: FacetPass | None = None
        folder = self.store.index.storage.folder
        if request.facets:
            key = facet_cache_key(searcher, request.query, index_folder=folder, filter=request.filters)
            counted = facet_pass_cached(key)
        every = request.facets and counted is None  # the counts come from every match
        if vectorised:
            hits, docnums, total = self._vectorised(searcher, query, filter_, request, every=every)
        else:
            hits, docnums, total = self._walked(searcher, query, filter_, request, every=every)
        if request.facets and counted is None:
            # Counted from per-segment columns cached in memory rather than with `groupedby`, whose collector
            # opens every column again and categorises each match through several calls per query.
            counted = facet_pass_count(searcher, docnums, index_folder=folder)
            if not budget_exceeded():  # counts of a search stopped early are not the counts of the query
                facet_pass_store(key, counted)
        if counted is None:
            return EngineResults(hits=hits, total=max(total, len(hits)))
        return EngineResults(hits=hits, total=counted.total, facets=counted.as_text())

    def _vectorised(self, searcher, query, filter_, request: EngineQuery, *, every: bool):
        """The hits, every match (when `every`) and the total, from the posting arrays (vector.py)."""
        sort = _effective_sort(request)
        budget = budget_current()
        deadline = budget.deadline if budget is not None else float("inf")
        limit = None if every else request.limit
        found = vector_search(searcher, query, filter=filter_, sort=sort, limit=limit, deadline=deadline)
        if found.partial:  # stopped between two segments: what it found is a lower bound
            budget.partial = True
        ranked = sort == "relevance"
        hits = [
            (int(searcher.stored_fields(docnum)[DJANGO_ID]), float(score) if ranked else 0.0)
            for docnum, score in found.hits[: request.limit]
        ]
        return hits, found.docnums.tolist() if every else [], found.total

    def _walked(self, searcher, query, filter_, request: EngineQuery, *, every: bool):
        """The same from Whoosh's own searcher, within the time budget (SEARCH_WHOOSH_EXECUTOR=whoosh)."""
        sort = _sort(request)
        kwargs = {"limit": request.limit, "filter": filter_, **sort}
        if not sort or every:
            # Ranked, every match is collected (the hits are cut below): Whoosh's top-N collector skipped
            # true top hits on this index (a query matching 83 articles came back with 76, the third best
            # missing). Facet counts come from every match too.
            kwargs["limit"] = None
        results = budgeted_search(searcher, query, **kwargs)
        # Sorted by date, Whoosh gives the sort key as the "score": there is no relevance score then.
        hits = [
            (int(hit[DJANGO_ID]), float(hit.score) if not sort else 0.0) for hit in results[: request.limit]
        ]
        docnums = [docnum for _, docnum in results.top_n] if every else []
        return hits, docnums, results.scored_length()

    def suggest(self, *, query: str, deadline: float) -> str | None:
        vocabulary = WhooshVocabulary(self.store.searcher().reader())
        return suggest_query(vocabulary=vocabulary, query=query, deadline=deadline)

    def related(self, *, article, limit: int) -> list[int]:
        searcher = self.store.searcher()
        text = f"{article.title}\n{article.body}"
        key_terms = searcher.key_terms_from_text(schema.TEXT, text, numterms=RELATED_KEY_TERMS)
        if not key_terms:
            return []
        # Through the same executor as a search (the vectorised one by default): Whoosh's walk over twelve
        # common words cost most of an article page. One more hit is asked for, in case it is the article.
        node = any_of([Term(schema.TEXT, term) for term, _ in key_terms])
        hits = self.execute(EngineQuery(query=node, limit=limit + 1)).hits
        return [pk for pk, _score in hits if pk != article.pk][:limit]

    def forget_cached_counts(self) -> None:
        facet_cache_clear()

    def release_thread(self) -> None:
        self.store.forget_searcher()  # the thread's searcher holds the segment files open

    # Writing ---------------------------------------------------------------------------------------------

    def write(self, *, article_ids: list[int]) -> None:
        ids = sorted({int(pk) for pk in article_ids})
        if not ids:
            return
        index = article_index()
        with self.store.writer() as writer:
            for start in range(0, len(ids), BATCH_SIZE):
                chunk = ids[start : start + BATCH_SIZE]
                visible = list(index.index_queryset().filter(pk__in=chunk))
                for document in _documents(index, visible):
                    writer.update_document(**document)
                for pk in set(chunk) - {article.pk for article in visible}:
                    writer.delete_by_term(ID, _identifier(pk))

    def rebuild(
        self,
        *,
        progress: Progress | None = None,
        procs: int = 1,
        limitmb: int | None = None,
        jobs: int | None = None,
    ) -> int:
        """Index every visible article into a new folder, then make it the live index in one step.

        Search keeps answering from the old index all along. The live index stays locked while the build
        runs, so that no writer takes a change out of the outbox into an index about to be retired: the
        changes recorded before the build read anything are in what it reads, and their outbox rows are
        dropped after the swap; those recorded meanwhile stay pending, for the next drain to write into
        the new index. An interrupted build (Ctrl-C, or a killed process, whose lock the system releases)
        leaves the live index untouched. `procs` writer processes each hold a posting pool of `limitmb`
        (default: `rebuild_limitmb`); one writer has the text analysed by `jobs` worker processes
        (analysers.py; default: one per core from ANALYSERS_MIN_ARTICLES articles on, else
        none). Returns the number of articles indexed.
        """
        store = self.store
        discard_abandoned_builds(self.root)
        with store.live_locked():
            covered = [row for row, _article in article_changes_pending(limit=None)]
            done = self._build(progress=progress, procs=procs, limitmb=limitmb, jobs=jobs)
        article_changes_forget(row_ids=covered)
        return done

    def _build(self, *, progress: Progress | None, procs: int, limitmb: int | None, jobs: int | None) -> int:
        index = article_index()
        queryset = index.index_queryset().order_by("pk")
        total = queryset.count()
        done = 0
        limitmb = limitmb or rebuild_limitmb(total, procs)
        # With several processes, each one's documents make a segment of their own: merging them into one
        # takes the parent longer than the children saved. One process stays the default: on the 31.5k ANT
        # articles (2 cores, idle) two took 204 s against 291 to 337 s for one through Whoosh's pool (190 s
        # for one with the arrays), for an index 1.67x the raw text against 1.45x (every segment repeats
        # the vocabulary) and 1.6 GB of memory, past the index-size and memory bounds.
        if procs > 1:
            jobs = 0  # each of Whoosh's writer processes analyses what it writes
        elif jobs is None:
            jobs = available_cores() if total >= ANALYSERS_MIN_ARTICLES else 0
        # With worker processes allowed, a second core also writes half of each segment's postings.
        split = jobs > 0 and available_cores() > 1
        options = {"multisegment": True} if procs > 1 else {"bulk": True, "split": split}
        segment_size = None if procs > 1 else build_segment_size(total)
        with builds_locked(self.root):  # no clean-up sees the folder before its lock is taken
            folder = new_version(self.root, building=True)
            try:
                new_index = self.store.open_index(folder)
                writer = acquire_writer(new_index, procs=procs, limitmb=limitmb, **options)
            except BaseException:
                discard_version(folder)
                raise
        analysers = Analysers(jobs=jobs, schema=new_index.schema, names=schema.TEXT_FIELDS)

        def batches() -> Iterator[list[dict]]:
            # Paged by primary key, not by position: a delete meanwhile shifts no page past an article.
            last = 0
            while chunk := list(queryset.filter(pk__gt=last)[:BATCH_SIZE]):
                last = chunk[-1].pk
                yield list(_documents(index, chunk))

        try:
            try:
                in_segment = 0
                for documents in analysers.analysed(batches()):
                    for document in documents:
                        if in_segment == segment_size:
                            # The commit lets the folder's lock go until the next writer has it.
                            with builds_locked(self.root):
                                committed, writer = writer, None
                                commit(committed, merge=False)
                                writer = acquire_writer(new_index, limitmb=limitmb, **options)
                            in_segment = 0
                        writer.add_document(**document)
                        in_segment += 1
                    done += len(documents)
                    if progress:
                        progress(done, total)
            except BaseException:
                if writer is not None:  # None: a segment's commit or the next writer failed
                    writer.cancel()
                raise
            with builds_locked(self.root):  # the commit lets the lock go before the rename
                commit(writer)
                new_index.close()
                folder = finish_version(folder)
        except BaseException:
            discard_version(folder)
            raise
        publish_version(self.root, folder)
        self.store.live_index()
        return done

    def clear(self, models=None, commit: bool = True) -> None:
        """Publish a new, empty version as the live index (one atomic swap: searches meanwhile answer from
        the old version, and from then on find nothing until `rebuild` or a write brings articles back)."""
        store = self.store
        with store.live_locked():
            folder = new_version(self.root)
            store.open_index(folder).close()
            publish_version(self.root, folder)
        store.live_index()

    def derived_files(self) -> list[DerivedFiles]:
        index = self.store.live_index()
        if getattr(index.storage, "folder", None) is None:  # an index in memory keeps no stores
            return []
        present, expected = posting_store_status(
            storage=index.storage, indexname=index.indexname, schema=index.schema
        )
        return [DerivedFiles(name=_("posting stores (one per segment)"), present=present, expected=expected)]

    def derived_files_complete(self) -> None:
        # Under the lock of the index written to: no commit or merge retires its segments meanwhile.
        with self.store.live_locked(timeout=WRITE_LOCK_TIMEOUT) as index:
            posting_store_complete(
                storage=index.storage, indexname=index.indexname, schema=index.schema, verify=True
            )

    def indexed_stamps(self) -> dict[int, int]:
        with self.store.live_index().searcher() as searcher:
            return {
                int(fields[DJANGO_ID]): fields.get(schema.UPDATED, 0)
                for fields in searcher.all_stored_fields()
            }


def _identifier(pk: int) -> str:
    return f"{Article._meta.label_lower}.{pk}"


def _effective_sort(request: EngineQuery) -> str:
    """The order of the results: "relevance" on `Every` has nothing to rank, so newest first."""
    if request.sort == "relevance" and isinstance(request.query, Every):
        return "newest"
    return request.sort


def _sort(request: EngineQuery) -> dict:
    """Whoosh's sort arguments: none when ranked."""
    sort = _effective_sort(request)
    if sort == "relevance":
        return {}
    return {
        "sortedby": sorting.MultiFacet([sorting.FieldFacet(schema.DATE), sorting.FieldFacet(DJANGO_ID)]),
        "reverse": sort == "newest",
    }


def _documents(index, objects: Iterable) -> Iterator[dict]:
    """Haystack's prepared documents (`ArticleIndex.full_prepare`), as Whoosh's writer takes them."""
    for obj in objects:
        try:
            document = index.full_prepare(obj)
        except SkipDocument:
            continue
        document.pop("boost", None)
        yield {key: _whoosh_value(value) for key, value in document.items()}


def _whoosh_value(value):
    """A prepared value as Whoosh's fields take it (as haystack's Whoosh backend converts them): a date as
    a datetime at midnight, a list of keywords comma-joined, numbers as they are, anything else as text."""
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, list | tuple):
        return ",".join(str(item) for item in value)
    return str(value)


class ArabicWhooshEngine(BaseEngine):
    backend = WhooshBackend
    query = NoSearchQuery
