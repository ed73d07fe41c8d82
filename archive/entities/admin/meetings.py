"""Meetings, the statements read from the articles, and agenda topics: each with its sources and review
actions."""

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from archive.entities import curation
from archive.entities.admin.common import in_model_order, review_actions
from archive.entities.models import Meeting, MeetingTopic, Statement, Topic
from archive.entities.statements import statement_mark_edited


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "date", "kind", "place_ar", "participant_names", "article_count", "status"]
    list_filter = ["status", "kind", "curated", ("date", admin.DateFieldListFilter)]
    search_fields = ["place_ar", "place_en", "participants__name_ar", "participants__name_en"]
    autocomplete_fields = ["participants", "articles"]
    readonly_fields = ["source_sentences", "agenda_topics", "created_at", "updated_at"]
    date_hierarchy = "date"
    actions = [
        *review_actions(
            "meetings",
            curation.meeting_approve,
            curation.meeting_reject,
            (_("Approve the selected meetings"), _("Reject the selected meetings")),
            lambda n: ngettext("%d meeting approved.", "%d meetings approved.", n) % n,
            lambda n: ngettext("%d meeting rejected.", "%d meetings rejected.", n) % n,
        ),
    ]
    fieldsets = [
        (None, {"fields": ["status", "kind", "date", "place_ar", "place_en", "participants", "summary"]}),
        (_("Sources"), {"fields": ["source_sentences", "agenda_topics", "articles"]}),
        (_("Advanced"), {"classes": ["collapse"], "fields": ["curated", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Meeting]:
        qs = super().get_queryset(request).prefetch_related("participants")
        return in_model_order(qs.annotate(_articles=Count("articles", distinct=True)))

    @admin.display(description=_("participants"))
    def participant_names(self, meeting: Meeting) -> str:
        return "، ".join(p.name_ar for p in meeting.participants.all())

    @admin.display(description=_("articles"), ordering="_articles")
    def article_count(self, meeting: Meeting) -> int:
        return meeting._articles

    @admin.display(description=_("source sentences"))
    def source_sentences(self, meeting: Meeting) -> str:
        """Where each extracted field came from: the article and the sentence, every piece escaped."""
        labels = {"sources": _("reported"), "kind": _("kind"), "date": _("date"), "place": _("place")}
        articles = {a.pk: a for a in meeting.articles.all()}
        rows = []
        for field, label in labels.items():
            for entry in (meeting.provenance or {}).get(field, []):
                article = articles.get(entry.get("article"))
                rows.append(
                    (label, article.headline if article else entry.get("article"), entry.get("sentence"))
                )
        officials = {str(o.pk): o for o in meeting.participants.all()}
        for official_id, entries in (meeting.provenance or {}).get("participants", {}).items():
            for entry in entries:
                article = articles.get(entry.get("article"))
                name = officials[official_id].name_ar if official_id in officials else official_id
                rows.append(
                    (name, article.headline if article else entry.get("article"), entry.get("sentence"))
                )
        if not rows:
            return _("Entered by hand: no source sentences.")
        return format_html_join("", "<p><strong>{}</strong> — {}: «{}»</p>", rows)

    @admin.display(description=_("agenda topics"))
    def agenda_topics(self, meeting: Meeting) -> str:
        """Each topic with its review status and the agenda sentence it came from (edited under Meeting
        topics)."""
        rows = [
            (t.topic.name_ar, t.get_status_display(), t.sentence)
            for t in meeting.meeting_topics.select_related("topic").order_by("topic__key")
        ]
        if not rows:
            return _("No agenda topic.")
        return format_html_join("", "<p><strong>{}</strong> ({}) — «{}»</p>", rows)

    def save_model(self, request, obj, form, change):
        if change:
            curation.meeting_mark_edited(meeting=obj)
        super().save_model(request, obj, form, change)


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    """The review queue of statements: who said it, what (as written), where; approve, reject or edit."""

    list_display = ["short_text", "official", "institution", "verb", "direct", "date", "article", "status"]
    list_select_related = ["official", "institution", "article"]
    list_filter = ["status", "direct", "curated", ("date", admin.DateFieldListFilter)]
    search_fields = ["text", "text_norm", "official__name_ar", "official__name_en", "institution__name_ar"]
    autocomplete_fields = ["official", "institution", "article", "meeting"]
    readonly_fields = ["sentence", "start", "end", "created_at", "updated_at"]
    date_hierarchy = "date"
    actions = [
        *review_actions(
            "statements",
            curation.statement_approve,
            curation.statement_reject,
            (_("Approve the selected statements"), _("Reject the selected statements")),
            lambda n: ngettext("%d statement approved.", "%d statements approved.", n) % n,
            lambda n: ngettext("%d statement rejected.", "%d statements rejected.", n) % n,
        ),
    ]
    fieldsets = [
        (None, {"fields": ["status", "official", "institution", "text", "verb", "direct", "date"]}),
        (_("Sources"), {"fields": ["article", "meeting", "sentence", "start", "end"]}),
        (_("Advanced"), {"classes": ["collapse"], "fields": ["curated", "created_at", "updated_at"]}),
    ]

    @admin.display(description=_("text"))
    def short_text(self, statement: Statement) -> str:
        return statement.text if len(statement.text) <= 80 else statement.text[:80] + "…"

    def save_model(self, request, obj, form, change):
        statement_mark_edited(statement=obj)
        super().save_model(request, obj, form, change)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["key", "name_ar", "name_en", "trigger_words", "meeting_count"]
    search_fields = ["key", "name_ar", "name_en"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Topic]:
        return in_model_order(super().get_queryset(request).annotate(_meetings=Count("meeting_topics")))

    @admin.display(description=_("trigger words"))
    def trigger_words(self, topic: Topic) -> str:
        return "، ".join(topic.triggers or [])

    @admin.display(description=_("meetings"), ordering="_meetings")
    def meeting_count(self, topic: Topic) -> int:
        return topic._meetings


@admin.register(MeetingTopic)
class MeetingTopicAdmin(admin.ModelAdmin):
    """Agenda topics as extracted, with the sentence they came from, in the review queue."""

    list_display = ["meeting", "topic", "short_sentence", "status"]
    list_select_related = ["meeting", "topic"]
    list_filter = ["status", "topic", "curated"]
    search_fields = ["sentence", "topic__name_ar", "topic__name_en", "meeting__place_ar"]
    autocomplete_fields = ["meeting", "topic", "article"]
    actions = [
        *review_actions(
            "meeting_topics",
            curation.meeting_topic_approve,
            curation.meeting_topic_reject,
            (_("Approve the selected topics"), _("Reject the selected topics")),
            lambda n: ngettext("%d topic approved.", "%d topics approved.", n) % n,
            lambda n: ngettext("%d topic rejected.", "%d topics rejected.", n) % n,
        ),
    ]

    @admin.display(description=_("sentence"))
    def short_sentence(self, row: MeetingTopic) -> str:
        return row.sentence if len(row.sentence) <= 80 else row.sentence[:80] + "…"

    def save_model(self, request, obj, form, change):
        obj.curated = True
        super().save_model(request, obj, form, change)
