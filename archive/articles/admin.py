from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from archive.articles.models import Article
from archive.articles.services import (
    article_curate,
    articles_delete,
    articles_matching,
    articles_set_visibility,
)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["display_headline", "published_on", "source", "is_visible"]
    list_display_links = ["display_headline"]
    list_filter = [("published_on", admin.DateFieldListFilter), "source", "is_visible"]
    date_hierarchy = "published_on"
    # Searched by `articles_matching` (see get_search_results): spelling variants in the title and body,
    # and the origin to find a file by name.
    search_fields = ["title", "body", "origin"]
    search_help_text = _("Spelling variants are found too: هجره finds الهجرة.")
    list_per_page = 50
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["hide_articles", "show_articles"]
    readonly_fields = [
        "structure",
        "origin",
        "content_hash",
        "original",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["title", "published_on", "source", "is_visible"]}),
        (_("Text"), {"fields": ["structure"]}),
        (_("Credits and links"), {"fields": ["photo_credit", "publisher", "url", "language"]}),
        (
            _("Provenance"),
            {
                "classes": ["collapse"],
                "fields": ["origin", "content_hash", "created_at", "updated_at", "original"],
                "description": _("As imported: re-ingesting a changed file updates the article."),
            },
        ),
    ]

    @admin.display(description=_("headline"), ordering="title")
    def display_headline(self, article: Article) -> str:
        return article.headline

    @admin.display(description=_("text"))
    def structure(self, article: Article) -> str:
        """The body as the reader sees it: section headings and paragraphs, every piece escaped."""
        return format_html_join(
            "",
            "{}",
            (
                (
                    format_html("<h3>{}</h3>", block["text"])
                    if block["kind"] == Article.BlockKind.HEADING
                    else format_html("<p>{}</p>", block["text"]),
                )
                for block in article.blocks
            ),
        )

    @admin.display(description=_("original text"))
    def original(self, article: Article) -> str:
        return format_html('<pre dir="auto">{}</pre>', article.original_text)

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        return articles_matching(queryset=queryset, text=search_term), False

    def save_model(self, request: HttpRequest, obj: Article, form, change: bool) -> None:
        article_curate(article=obj)

    def delete_model(self, request: HttpRequest, obj: Article) -> None:
        articles_delete(article_ids=[obj.pk])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        articles_delete(article_ids=list(queryset.values_list("pk", flat=True)))

    @admin.action(description=_("Hide the selected articles"), permissions=["change"])
    def hide_articles(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = articles_set_visibility(article_ids=queryset.values_list("pk", flat=True), visible=False)
        message = ngettext("%(count)d article hidden.", "%(count)d articles hidden.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Show the selected articles"), permissions=["change"])
    def show_articles(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = articles_set_visibility(article_ids=queryset.values_list("pk", flat=True), visible=True)
        message = ngettext("%(count)d article shown.", "%(count)d articles shown.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)
