"""Atom feeds: the latest articles, one per search (the results page links it) and one per official.

Titles are Atom text constructs, so they are given as plain text and the XML writer escapes them once;
summaries are HTML constructs (``type="html"``), rendered by an autoescaping template before the writer
escapes them again.
Feed titles follow the language of the URL (``/ar/feeds/...``, ``/en/feeds/...``).
"""

import datetime

from django.contrib.syndication.views import Feed
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from archive.articles.models import Article
from archive.articles.selectors import NEWEST_ARTICLES
from archive.entities.models import Official
from archive.entities.selectors import mentioned_officials, with_officials
from archive.search.service import SearchParamError, article_search_all_ids, search_params_from_query
from archive.text.arabic import without_bidi_controls
from archive.web.presenters import official_name

FEED_ITEMS = 50
PAGE_PARAMS = ("page", "per_page")


class ArticleFeed(Feed):
    """What every article feed shares: Atom, item fields, and articles fetched with their officials."""

    feed_type = Atom1Feed
    # The summary: date (Gregorian and Hijri), source, the lead and the officials mentioned, as escaped HTML.
    description_template = "feeds/article_description.html"

    def item_title(self, item: Article) -> str:
        return without_bidi_controls(item.headline)

    def get_context_data(self, **kwargs) -> dict:
        # Feed readers resolve no relative links inside summaries: give the template the site's root.
        return {
            "obj": kwargs["item"],
            "officials": mentioned_officials(kwargs["item"]),
            "site_root": kwargs["request"].build_absolute_uri("/").rstrip("/"),
        }

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Article) -> datetime.datetime:
        # Undated articles carry the day they entered the archive, so readers can still order them.
        if item.published_on:
            return datetime.datetime.combine(item.published_on, datetime.time(), tzinfo=datetime.UTC)
        return item.created_at

    def item_updateddate(self, item: Article) -> datetime.datetime:
        return item.updated_at

    def item_author_name(self, item: Article) -> str | None:
        return without_bidi_controls(item.source or item.publisher) or None

    def item_categories(self, item: Article) -> list[str]:
        return [without_bidi_controls(official_name(official)) for official in mentioned_officials(item)]

    def with_officials(self, articles: QuerySet) -> QuerySet:
        return with_officials(articles)


class LatestArticlesFeed(ArticleFeed):
    def title(self) -> str:
        return _("Diwan: latest articles")

    def subtitle(self) -> str:
        return _("The newest articles in the archive.")

    def link(self) -> str:
        return reverse("web:home")

    def feed_url(self) -> str:
        return reverse("web:feed-latest")

    def items(self) -> QuerySet:
        return self.with_officials(Article.objects.visible().order_by(*NEWEST_ARTICLES))[:FEED_ITEMS]


class SearchFeed(ArticleFeed):
    """GET /feeds/search/?q=...: the results of a search, with the results page's own parameters."""

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return super().__call__(request, *args, **kwargs)
        except SearchParamError as error:
            return render(request, "400.html", {"error": error}, status=400)

    def get_object(self, request: HttpRequest) -> dict:
        params = search_params_from_query(request.GET)
        # The feed is the whole search, not one page of it: its links (and its Atom id) carry no page.
        query = request.GET.copy()
        for key in PAGE_PARAMS:
            query.pop(key, None)
        return {
            "query": params.q,
            "ids": article_search_all_ids(params=params, limit=FEED_ITEMS),
            # Subscribers and the results page keep the same search: the same query string on both.
            "search_url": f"{reverse('web:search')}?{query.urlencode()}",
            "feed_url": f"{reverse('web:feed-search')}?{query.urlencode()}",
        }

    def title(self, obj: dict) -> str:
        if obj["query"]:
            return _("Diwan search: %(query)s") % {"query": without_bidi_controls(obj["query"])}
        return _("Diwan search")

    def subtitle(self, obj: dict) -> str:
        return _("Articles matching this search, as on the results page.")

    def link(self, obj: dict) -> str:
        return obj["search_url"]

    def feed_url(self, obj: dict) -> str:
        return obj["feed_url"]

    def items(self, obj: dict) -> list[Article]:
        found = self.with_officials(Article.objects.visible()).in_bulk(obj["ids"])
        return [found[pk] for pk in obj["ids"] if pk in found]


class OfficialFeed(ArticleFeed):
    """GET /feeds/officials/<pk>/: articles mentioning an official (or one merged into them)."""

    def get_object(self, request: HttpRequest, pk: int) -> Official:
        return get_object_or_404(Official.objects.listed(), pk=pk)

    def title(self, obj: Official) -> str:
        return _("Diwan: articles mentioning %(name)s") % {"name": without_bidi_controls(official_name(obj))}

    def subtitle(self, obj: Official) -> str:
        return _("The newest articles that name this official.")

    def link(self, obj: Official) -> str:
        return obj.get_absolute_url()

    def feed_url(self, obj: Official) -> str:
        return reverse("web:feed-official", kwargs={"pk": obj.pk})

    def items(self, obj: Official) -> QuerySet:
        mentioning = Q(mentions__official=obj) | Q(mentions__official__merged_into=obj)
        articles = Article.objects.visible().filter(mentioning).distinct().order_by(*NEWEST_ARTICLES)
        return self.with_officials(articles)[:FEED_ITEMS]
