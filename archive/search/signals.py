"""Model signals that record, in the index outbox and in the same transaction, which articles a change of
an article, an official, a spelling, a mention or a meeting affects.

They only record: the writing itself is the index writer's (`archive.search.indexing`). Bulk operations
that send no signals (`QuerySet.update`, `bulk_create`) record their articles themselves.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from archive.articles.changes import article_changes_record
from archive.articles.models import Article
from archive.entities.bilingual import bilingual_forget
from archive.entities.models import BilingualName, Meeting, Mention, Official, OfficialAlias, ReviewStatus
from archive.search.names import forget_approved_names


def article_changed(sender, instance, **kwargs) -> None:
    article_changes_record(article_ids=[instance.pk])


def mention_changed(sender, instance, **kwargs) -> None:
    article_changes_record(article_ids=[instance.article_id])


# What of an official the index entries hold (search_indexes: `_officials`, `official_spellings`).
INDEXED_OFFICIAL_FIELDS = frozenset({"name_ar", "name_en", "status", "merged_into", "merged_into_id"})


def official_changed(sender, instance, created=False, update_fields=None, **kwargs) -> None:
    # Names and review status shape the index entries of every article that mentions the official. A new
    # official is mentioned nowhere yet (its mentions record their articles), and a save of other fields
    # only (an ingest completing a proposal's post and country) changes no entry.
    forget_approved_names()
    if created:
        return
    if update_fields is None or INDEXED_OFFICIAL_FIELDS.intersection(update_fields):
        _record_official_articles(instance.pk)


def alias_saved(sender, instance, created=False, **kwargs) -> None:
    # Only approved spellings are in index entries (ArticleIndex.prepare_official_names): a proposed one,
    # which an ingest adds by the thousand, changes none, unless it was approved before this save.
    forget_approved_names()
    was = getattr(instance, "loaded_status", None)
    if instance.status == ReviewStatus.APPROVED or (not created and was in (None, ReviewStatus.APPROVED)):
        _record_official_articles(instance.official_id)


def alias_deleted(sender, instance, **kwargs) -> None:
    forget_approved_names()
    if ReviewStatus.APPROVED in (instance.status, getattr(instance, "loaded_status", None)):
        _record_official_articles(instance.official_id)


def _record_official_articles(official_id: int) -> None:
    article_changes_record(
        article_ids=Mention.objects.filter(official_id=official_id).values_list("article_id", flat=True)
    )


def bilingual_name_changed(sender, instance, **kwargs) -> None:
    # English names widen queries (names.py) and label pages: read again, no index entry changes.
    bilingual_forget()
    forget_approved_names()


def meeting_changed(sender, instance, **kwargs) -> None:
    if instance.pk:
        article_changes_record(article_ids=instance.articles.values_list("pk", flat=True))


def meeting_articles_changed(sender, instance, action, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if isinstance(instance, Article):
        article_changes_record(article_ids=[instance.pk])
    elif action == "pre_clear":
        # Recorded before the clear, while the relation still names the articles.
        article_changes_record(article_ids=instance.articles.values_list("pk", flat=True))
    elif pk_set:
        article_changes_record(article_ids=pk_set)


def connect() -> None:
    post_save.connect(article_changed, sender=Article, dispatch_uid="search-article-saved")
    post_delete.connect(article_changed, sender=Article, dispatch_uid="search-article-deleted")
    post_save.connect(mention_changed, sender=Mention, dispatch_uid="search-mention-saved")
    post_delete.connect(mention_changed, sender=Mention, dispatch_uid="search-mention-deleted")
    post_save.connect(official_changed, sender=Official, dispatch_uid="search-Official-saved")
    post_delete.connect(official_changed, sender=Official, dispatch_uid="search-Official-deleted")
    post_save.connect(alias_saved, sender=OfficialAlias, dispatch_uid="search-OfficialAlias-saved")
    post_delete.connect(alias_deleted, sender=OfficialAlias, dispatch_uid="search-OfficialAlias-deleted")
    post_save.connect(bilingual_name_changed, sender=BilingualName, dispatch_uid="search-bilingual-saved")
    post_delete.connect(bilingual_name_changed, sender=BilingualName, dispatch_uid="search-bilingual-deleted")
    post_save.connect(meeting_changed, sender=Meeting, dispatch_uid="search-meeting-saved")
    m2m_changed.connect(
        meeting_articles_changed, sender=Meeting.articles.through, dispatch_uid="search-meeting-articles"
    )
