"""Articles: export and curation (hide, show, edit, delete). Commands and the admin call these.

Every change records the articles whose search entries it affects in the index outbox, in the same
transaction (`archive.articles.changes`).
"""

import json
from collections.abc import Iterable
from typing import TextIO

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from archive.articles.changes import article_changes_record
from archive.articles.jsonl import article_to_record
from archive.articles.models import Article
from archive.text.arabic import normalize


def article_search_text(*, title: str, body: str) -> str:
    """The admin's search column: title and body in the same normalised form as the search terms."""
    return normalize(f"{title}\n{body}")


def articles_export(*, stream: TextIO, queryset: QuerySet[Article] | None = None) -> int:
    """Write articles as JSON Lines (import schema plus provenance and structure); returns the count."""
    articles = (Article.objects.all() if queryset is None else queryset).order_by("pk")
    count = 0
    for article in articles.iterator(chunk_size=2000):
        stream.write(json.dumps(article_to_record(article), ensure_ascii=False) + "\n")
        count += 1
    return count


@transaction.atomic
def articles_set_visibility(*, article_ids: Iterable[int], visible: bool) -> int:
    """Hide or show articles (curation); the index follows through the outbox."""
    ids = list(article_ids)
    count = (
        Article.objects.filter(pk__in=ids)
        .exclude(is_visible=visible)
        .update(is_visible=visible, updated_at=timezone.now())
    )
    article_changes_record(article_ids=ids)  # QuerySet.update sends no post_save
    return count


@transaction.atomic
def article_curate(*, article: Article) -> Article:
    """Save an editor's changes to an article, keeping the search column and the index in step."""
    article.search_text = article_search_text(title=article.title, body=article.body)
    article.full_clean()
    article.save()  # recorded in the index outbox by the search app's post_save receiver
    return article


@transaction.atomic
def articles_delete(*, article_ids: Iterable[int]) -> int:
    """Delete articles (with their mentions); the index drops them through the outbox."""
    ids = list(article_ids)
    count, _deleted = Article.objects.filter(pk__in=ids).delete()  # recorded by post_delete receivers
    return count
