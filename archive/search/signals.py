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
from archive.entities.models import BilingualName, Meeting, Mention, Official, OfficialAlias
from archive.search.names import forget_approved_names


def article_changed(sender, instance, **kwargs) -> None:
    article_changes_record(article_ids=[instance.pk])


def mention_changed(sender, instance, **kwargs) -> None:
    article_changes_record(article_ids=[instance.article_id])


def official_changed(sender, instance, **kwargs) -> None:
    # Spellings and review status shape the index entries of every article that mentions the official.
    forget_approved_names()
    official_id = instance.pk if isinstance(instance, Official) else instance.official_id
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
    for model in (Official, OfficialAlias):
        post_save.connect(official_changed, sender=model, dispatch_uid=f"search-{model.__name__}-saved")
        post_delete.connect(official_changed, sender=model, dispatch_uid=f"search-{model.__name__}-deleted")
    post_save.connect(bilingual_name_changed, sender=BilingualName, dispatch_uid="search-bilingual-saved")
    post_delete.connect(bilingual_name_changed, sender=BilingualName, dispatch_uid="search-bilingual-deleted")
    post_save.connect(meeting_changed, sender=Meeting, dispatch_uid="search-meeting-saved")
    m2m_changed.connect(
        meeting_articles_changed, sender=Meeting.articles.through, dispatch_uid="search-meeting-articles"
    )
