"""The index outbox (`ArticleChange`): recorded with every change, drained by the search index writer."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction

from archive.articles.models import ArticleChange

# Wakes this process's index writer once the recording transaction has committed (set by the search app,
# which sits above this one; the rows are the truth, this only saves the writer its polling delay).
_listeners: list[Callable[[], None]] = []
# Write the search entries of the articles named, in the recording transaction, for an engine that keeps
# them in the database (set by the search app too). The outbox row is recorded all the same: a record
# may precede later changes of the same transaction (ingest records an article before its mentions), and
# the drain after commit writes the final state.
_write_through: list[Callable[[list[int]], None]] = []


def article_changes_record(*, article_ids: Iterable[int]) -> int:
    """Note that these articles' search entries must be written again, inside the caller's transaction."""
    ids = sorted({int(pk) for pk in article_ids if pk})
    if not ids:
        return 0
    ArticleChange.objects.bulk_create([ArticleChange(article_id=pk) for pk in ids], batch_size=1000)
    for write in _write_through:
        write(ids)
    for listener in _listeners:
        transaction.on_commit(listener)
    return len(ids)


def article_changes_listen(listener: Callable[[], None]) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def article_changes_write_through(writer: Callable[[list[int]], None]) -> None:
    if writer not in _write_through:
        _write_through.append(writer)


def article_changes_pending(*, limit: int | None) -> list[tuple[int, int]]:
    """The oldest pending changes as (row id, article id) pairs (all of them with `limit=None`)."""
    return list(ArticleChange.objects.order_by("pk").values_list("pk", "article_id")[:limit])


def article_changes_pending_ids() -> set[int]:
    """The articles with a change not yet written to the index."""
    return set(ArticleChange.objects.values_list("article_id", flat=True))


def article_changes_forget(*, row_ids: Iterable[int]) -> None:
    """Drop rows the index has taken in (called after the index commit that covers them)."""
    ids = list(row_ids)
    for start in range(0, len(ids), 500):
        ArticleChange.objects.filter(pk__in=ids[start : start + 500]).delete()


def article_changes_depth() -> int:
    return ArticleChange.objects.count()
