"""The article admin of `archive.articles`, with what the extraction read from each article."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from archive.articles.admin import ArticleAdmin
from archive.articles.models import Article

admin.site.unregister(Article)


@admin.register(Article)
class ArticleWithExtractionAdmin(ArticleAdmin):
    """The article's change page also lists the officials and meetings extracted from it."""

    readonly_fields = [*ArticleAdmin.readonly_fields, "extracted_officials", "extracted_meetings"]
    fieldsets = [
        *ArticleAdmin.fieldsets[:2],
        (_("Extracted from this article"), {"fields": ["extracted_officials", "extracted_meetings"]}),
        *ArticleAdmin.fieldsets[2:],
    ]

    @admin.display(description=_("officials"))
    def extracted_officials(self, article: Article) -> str:
        mentions = article.mentions.select_related("official").order_by("-count", "official__name_ar")
        rows = [
            (
                reverse("admin:entities_official_change", args=[m.official_id]),
                m.official.name_ar,
                m.official.get_status_display(),
                m.role_ar or "—",
                m.count,
                m.sentence or "—",
            )
            for m in mentions
        ]
        if not rows:
            return _("No official extracted.")
        return format_html_join("", "<p><a href='{}'>{}</a> ({}) — {} ({}×): «{}»</p>", rows)

    @admin.display(description=_("meetings"))
    def extracted_meetings(self, article: Article) -> str:
        meetings = article.meetings.prefetch_related("participants").order_by("date", "pk")
        rows = [
            (
                reverse("admin:entities_meeting_change", args=[m.pk]),
                m.get_kind_display(),
                m.date.isoformat() if m.date else "—",
                m.place_ar or "—",
                m.get_status_display(),
                "، ".join(p.name_ar for p in m.participants.all()) or "—",
            )
            for m in meetings
        ]
        if not rows:
            return _("No meeting extracted.")
        return format_html_join("", "<p><a href='{}'>{} {} {}</a> ({}): {}</p>", rows)
