"""Read-only queries of articles that pages, feeds and exports share."""

from django.db.models import F, QuerySet

from archive.articles.models import Article

# Articles lists never need the stored original.
LIST_DEFERRED = ("original_delta",)

# Newest first with undated records last on every database (PostgreSQL puts NULLs first when descending).
NEWEST_ARTICLES = (F("published_on").desc(nulls_last=True), "-pk")


def article_list_queryset() -> QuerySet[Article]:
    return Article.objects.visible().defer(*LIST_DEFERRED).order_by(*NEWEST_ARTICLES)
