"""The seam between the search service and the engines that answer it.

The service, feeds, exports, the API, `check_index` and the rebuild speak to `search_engine()` only; no
module above this one imports Whoosh or builds SQL for search. Haystack stays the registry: the engine is
the backend of `HAYSTACK_CONNECTIONS["default"]` (`SEARCH_ENGINE=whoosh|postgres` in the settings), and
`ArticleIndex` (search_indexes.py) is the one declaration of what a document holds, read by both engines.

Queries arrive as `querytree` nodes; counts and results come back as plain values. What a request may
cost is bounded by the `budget.search_budget` around it: an engine that stops early sets `partial`.
"""

from __future__ import annotations

import abc
from collections.abc import Callable
from dataclasses import dataclass, field

from haystack import connections
from haystack.backends import BaseSearchBackend, BaseSearchQuery

from archive.articles.models import Article
from archive.search.querytree import Node

Progress = Callable[[int, int | None], None]
SORTS = ("relevance", "newest", "oldest")


class IndexBusy(Exception):
    """Another writer (a rebuild) kept the index locked past the wait: nothing was written, retry later."""


@dataclass(frozen=True)
class EngineQuery:
    query: Node
    filters: Node | None = None  # the facet filters: restrict the matches, add nothing to the score
    sort: str = "relevance"  # one of SORTS; "relevance" on `Every` means newest first
    limit: int | None = None  # how many hits to return in order (None: all)
    facets: bool = False  # count the exact total and the facet values of every match


@dataclass(frozen=True)
class EngineResults:
    hits: list[tuple[int, float]]  # (article id, score) in result order; score 0.0 when sorted by date
    total: int  # every match (exact when facets were asked for, else at least len(hits))
    # facet name (archive.search.schema.FACETS) -> {value as text: count}; empty unless asked for
    facets: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return self.total == 0


@dataclass(frozen=True)
class DerivedFiles:
    """Files an engine keeps beside its entries only to answer faster. Optional, so never drift: where
    one is missing or unreadable, the engine reads its entries instead."""

    name: str  # as `check_index` shows it, translated
    present: int  # written and readable
    expected: int

    @property
    def complete(self) -> bool:
        return self.present >= self.expected


class SearchEngine(abc.ABC):
    """What every engine answers. Article ids are the database's; the database stays the truth."""

    # True when `record_changes` writes the search entries inside the caller's transaction, so that no
    # outbox drain is needed (PostgreSQL); False when a writer drains the outbox after commit (Whoosh).
    writes_in_transaction: bool = False

    @abc.abstractmethod
    def execute(self, request: EngineQuery) -> EngineResults:
        """The hits, total and facet counts of `request` (haystack's own `search()` takes a query string)."""

    @abc.abstractmethod
    def suggest(self, *, query: str, deadline: float) -> str | None:
        """A respelling of `query` whose words the index knows, or None."""

    @abc.abstractmethod
    def related(self, *, article, limit: int) -> list[int]:
        """Ids of articles about the same things as `article` (most distinctive words), best first."""

    @abc.abstractmethod
    def write(self, *, article_ids: list[int]) -> None:
        """Bring these articles' entries in line with the database: add, update or remove; raises
        `IndexBusy` when another writer keeps the index locked too long."""

    @abc.abstractmethod
    def rebuild(
        self,
        *,
        progress: Progress | None = None,
        procs: int = 1,
        limitmb: int | None = None,
        jobs: int | None = None,
    ) -> int:
        """Index every visible article anew without taking search down; returns how many. `procs`,
        `limitmb` and `jobs` tune the Whoosh engine's build (the PostgreSQL engine writes from this
        process)."""

    @abc.abstractmethod
    def clear(self, models=None, commit: bool = True) -> None:
        """Remove every entry; the database keeps the articles and `rebuild` brings them back (haystack's
        `clear_index` calls this)."""

    @abc.abstractmethod
    def indexed_stamps(self) -> dict[int, int]:
        """Article id -> the `updated` stamp its entry was written with: what drift is computed from."""

    def derived_files(self) -> list[DerivedFiles]:
        """What the engine derives beside its entries and how much of it is there (`check_index`)."""
        return []

    def derived_files_complete(self) -> None:  # noqa: B027 (an engine that derives no files has none to write)
        """Write the derived files that are missing or unreadable (`check_index --fix`)."""

    def maintain(self) -> None:  # noqa: B027 (an engine with nothing derived to refresh does nothing)
        """Refresh what the engine derives from its entries, when due: called by the index writer."""

    def forget_cached_counts(self) -> None:  # noqa: B027 (an engine without caches has nothing to drop)
        """Drop cached totals and facet counts (benchmarks timing the uncached path; a fresh process)."""

    def release_thread(self) -> None:  # noqa: B027 (an engine holding nothing per thread has nothing to let go)
        """Let go what the calling thread holds for its searches; a searching thread that ends calls it."""


NO_SEARCHQUERYSET = (
    "Haystack's SearchQuerySet is not supported: search through archive.search.service, which parses "
    "Diwan's query language and checks results against the database."
)


class HaystackBackend(BaseSearchBackend):
    """What haystack itself calls on a backend, in terms of `SearchEngine.write` (both engines)."""

    def update(self, index, iterable, commit=True):
        """Haystack's update: the entries of these objects follow the database (see `write`)."""
        self.write(article_ids=[obj.pk for obj in iterable])

    def remove(self, obj_or_string, commit=True):
        """Haystack's remove: the entry follows the database (gone if the article is hidden or deleted)."""
        pk = obj_or_string.rsplit(".", 1)[-1] if isinstance(obj_or_string, str) else obj_or_string.pk
        self.write(article_ids=[int(pk)])

    def search(self, query_string, **kwargs):
        raise NotImplementedError(NO_SEARCHQUERYSET)


class NoSearchQuery(BaseSearchQuery):
    def build_query_fragment(self, field, filter_type, value):
        raise NotImplementedError(NO_SEARCHQUERYSET)


def article_index():
    """`ArticleIndex`, as haystack registered it: what every engine's documents are prepared by."""
    return connections["default"].get_unified_index().get_index(Article)


def search_engine() -> SearchEngine:
    return connections["default"].get_backend()


def search_engine_reload() -> SearchEngine:
    """This thread's engine made anew from the settings as they are now: for a thread that outlives a
    change of `HAYSTACK_CONNECTIONS` (the index writer, while tests point the connection elsewhere)."""
    return connections.reload("default").get_backend()
