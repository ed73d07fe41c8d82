from django.db import models
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from archive.articles.links import record_url
from archive.articles.storage import (
    blocks_from_body,
    body_from_blocks,
    original_decode,
    original_encode,
)

HEADLINE_WORDS = 14


class ArticleQuerySet(models.QuerySet):
    def visible(self) -> "ArticleQuerySet":
        """What analysts may see: used by pages, feeds, exports, the API and the search index."""
        return self.filter(is_visible=True)


class Article(models.Model):
    class BlockKind(models.TextChoices):
        HEADING = "heading", _("Section heading")
        PARAGRAPH = "paragraph", _("Paragraph")

    title = models.CharField(
        _("title"), max_length=500, blank=True, help_text=_("Empty when the source gave no title.")
    )
    body = models.TextField(
        _("body"),
        help_text=_("The whole article text, paragraphs and section headings separated by blank lines."),
    )
    headings = models.JSONField(
        _("section headings"),
        default=list,
        blank=True,
        editable=False,
        help_text=_(
            "Which blocks of the body (counted from 0) are section headings; the others are paragraphs."
        ),
    )
    published_on = models.DateField(
        _("publication date"), null=True, blank=True, help_text=_("Empty when the source does not say.")
    )
    source = models.CharField(_("source"), max_length=200, blank=True, help_text=_("For example: تاس"))
    photo_credit = models.CharField(_("photo credit"), max_length=300, blank=True)
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    language = models.CharField(_("language"), max_length=10, default="ar")
    origin = models.CharField(
        _("origin"),
        max_length=500,
        unique=True,
        help_text=_("The source file name or the external identifier this article was imported from."),
    )
    content_hash = models.CharField(
        _("content hash"),
        max_length=64,
        unique=True,
        help_text=_(
            "SHA-256 of the normalised text: the same article in another encoding has the same hash."
        ),
    )
    original_delta = models.TextField(
        _("original text"),
        blank=True,
        editable=False,
        help_text=_(
            "The text as received, so the article can always be parsed again; stored as the parts the body "
            "does not already hold."
        ),
    )
    is_visible = models.BooleanField(
        _("visible"), default=True, help_text=_("Hidden articles are kept but not shown or found.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_on", "-id"]
        indexes = [
            models.Index(fields=["published_on"], name="article_published_idx"),
            models.Index(fields=["source"], name="article_source_idx"),
            models.Index(fields=["is_visible", "published_on"], name="article_visible_date_idx"),
        ]

    def __str__(self) -> str:
        return self.headline

    def get_absolute_url(self) -> str:
        return record_url("web:article", self.pk)

    @property
    def blocks(self) -> list[dict[str, str]]:
        """The body as a list of {kind, text} headings and paragraphs, in order, for rendering."""
        return blocks_from_body(self.body, self.headings)

    @blocks.setter
    def blocks(self, blocks: list[dict[str, str]]) -> None:
        # The original is stored against the body: read it before the body changes, store it again after.
        original = self.original_text
        self.body, self.headings = body_from_blocks(blocks)
        self.original_text = original

    @property
    def lead(self) -> str:
        """The first paragraph of the article."""
        return next((b["text"] for b in self.blocks if b["kind"] == self.BlockKind.PARAGRAPH), "")

    @property
    def original_text(self) -> str:
        """The text as received (the file, or the JSON Lines record), exactly."""
        return original_decode(stored=self.original_delta, body=self.body)

    @original_text.setter
    def original_text(self, text: str) -> None:
        self.original_delta = original_encode(original=text, body=self.body)

    @property
    def headline(self) -> str:
        """The title, or the start of the lead when the source gave no title."""
        if self.title:
            return self.title
        return Truncator(self.lead or self.body).words(HEADLINE_WORDS, truncate="…")


class ArticleChange(models.Model):
    """An article whose search entry must be written again: the index's durable outbox.

    Every change the index must hear of (an article saved, hidden or deleted; a spelling, an official or
    a meeting that shapes its entry) adds a row in the same transaction as the change itself, so a crash
    at any moment loses nothing. The index writer deletes rows only after the index commit that covers
    them. No foreign key: the row must outlive a deleted article, whose entry is then removed.
    """

    article_id = models.BigIntegerField(_("article"), db_index=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("pending index change")
        verbose_name_plural = _("pending index changes")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"article {self.article_id}"
