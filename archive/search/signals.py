"""Signal receivers: they only queue article ids for the index writer, after the transaction commits.

The work itself (what an article's index entry holds) is in `archive.search.indexing`.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from archive.search.indexing import index_updates_deferred, search_index_enqueue


def _enqueue_after_commit(article_ids, *, removed: bool = False) -> None:
    if index_updates_deferred():
        return
    ids = [pk for pk in article_ids if pk]
    if ids:
        transaction.on_commit(partial(search_index_enqueue, article_ids=ids, removed=removed))


def article_saved(sender, instance, **kwargs) -> None:
    _enqueue_after_commit([instance.pk], removed=not instance.is_visible)


def article_deleted(sender, instance, **kwargs) -> None:
    _enqueue_after_commit([instance.pk], removed=True)


def mention_changed(sender, instance, **kwargs) -> None:
    _enqueue_after_commit([instance.article_id])


def official_changed(sender, instance, **kwargs) -> None:
    # Spellings and review status shape the index entries of every article that mentions the official.
    from archive.entities.models import Mention, Official
    from archive.search.names import forget_approved_names

    forget_approved_names()
    if index_updates_deferred():
        return
    official_id = instance.pk if isinstance(instance, Official) else instance.official_id
    ids = Mention.objects.filter(official_id=official_id).values_list("article_id", flat=True)
    _enqueue_after_commit(list(ids))


def meeting_changed(sender, instance, **kwargs) -> None:
    if instance.pk:
        _enqueue_after_commit(list(instance.articles.values_list("pk", flat=True)))


def meeting_articles_changed(sender, instance, action, pk_set, **kwargs) -> None:
    from archive.articles.models import Article

    if not action.startswith("post_"):
        return
    if isinstance(instance, Article):
        _enqueue_after_commit([instance.pk])
    elif pk_set:
        _enqueue_after_commit(list(pk_set))
    elif action == "post_clear":
        # The cleared ids are gone from the relation: a later check_index catches them.
        pass


def connect() -> None:
    from archive.articles.models import Article
    from archive.entities.models import Meeting, Mention, Official, OfficialAlias

    post_save.connect(article_saved, sender=Article, dispatch_uid="search-article-saved")
    post_delete.connect(article_deleted, sender=Article, dispatch_uid="search-article-deleted")
    for model in (Mention,):
        post_save.connect(mention_changed, sender=model, dispatch_uid="search-mention-saved")
        post_delete.connect(mention_changed, sender=model, dispatch_uid="search-mention-deleted")
    for model in (Official, OfficialAlias):
        post_save.connect(official_changed, sender=model, dispatch_uid=f"search-{model.__name__}-saved")
        post_delete.connect(official_changed, sender=model, dispatch_uid=f"search-{model.__name__}-deleted")
    post_save.connect(meeting_changed, sender=Meeting, dispatch_uid="search-meeting-saved")
    m2m_changed.connect(
        meeting_articles_changed, sender=Meeting.articles.through, dispatch_uid="search-meeting-articles"
    )
