"""Articles: export and curation (hide, show, edit, delete). Commands and the admin call these.

Every change records the articles whose search entries it affects in the index outbox, in the same
transaction (`archive.articles.changes`).
"""

import json
from collections.abc import Iterable
from typing import TextIO

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from archive.articles.changes import article_changes_record
from archive.articles.jsonl import article_to_record
from archive.articles.models import Article
from archive.text.arabic import spelling_pattern


def articles_matching(*, queryset: QuerySet[Article], text: str) -> QuerySet[Article]:
    """The admin's search: articles whose title or body holds every word of `text` under any spelling
    that normalises like it (هجره finds الهجرة), or whose origin (file name) holds it.

    Matched on the stored text with a regular expression per word (`spelling_pattern`), so the archive
    keeps no normalised copy of every article (it was as large as the text itself).
    """
    for word in text.split():
        pattern = spelling_pattern(word)
        matches = Q(origin__icontains=word)
        if pattern:
            matches |= Q(title__iregex=pattern) | Q(body__iregex=pattern)
        queryset = queryset.filter(matches)
    return queryset


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
    """Save an editor's changes to an article, keeping the index in step."""
    article.full_clean()
    article.save()  # recorded in the index outbox by the search app's post_save receiver
    return article


@transaction.atomic
def articles_delete(*, article_ids: Iterable[int]) -> int:
    """Delete articles (with their mentions); the index drops them through the outbox."""
    ids = list(article_ids)
    count, _deleted = Article.objects.filter(pk__in=ids).delete()  # recorded by post_delete receivers
    return count
