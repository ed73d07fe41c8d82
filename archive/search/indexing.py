"""Keeping the search index in step with the database (filled in by the search work)."""

from collections.abc import Iterable

from haystack import connections


def search_index_update(*, article_ids: Iterable[int]) -> None:
    """Bring the index entries of these articles in line with the database (add, update or remove)."""
    from archive.articles.models import Article

    index = connections["default"].get_unified_index().get_index(Article)
    backend = connections["default"].get_backend()
    ids = list(article_ids)
    visible = list(index.index_queryset().filter(pk__in=ids))
    if visible:
        backend.update(index, visible)
    for pk in set(ids) - {a.pk for a in visible}:
        backend.remove(f"articles.article.{pk}")
