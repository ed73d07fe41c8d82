"""Curation of officials, spellings and meetings: a review queue with approve/reject/merge actions.

The admin only calls the services in `archive.entities.curation`; they write the admin log and mark the
records curated, so that a later ingest leaves the editor's decision alone.
"""

from collections import Counter
from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from archive.articles.admin import ArticleAdmin
from archive.articles.models import Article
from archive.entities import curation
from archive.entities.bilingual import is_english
from archive.entities.models import (
    BilingualName,
    Institution,
    Meeting,
    MeetingTopic,
    Mention,
    Official,
    OfficialAlias,
    ReviewStatus,
    Statement,
    Topic,
)
from archive.entities.statements import statement_mark_edited
from archive.text.arabic import normalize

# The admin is Diwan's: its name in the header and the window title, in the editor's language.
admin.site.site_header = _("Diwan curation")
admin.site.site_title = _("Diwan")


def _review_actions(
    records: str,
    approve: Callable[..., int],
    reject: Callable[..., int],
    labels: tuple[str, str],
    approved: Callable[[int], str],
    rejected: Callable[[int], str],
) -> list[Callable]:
    """The approve and reject actions "approve_<records>"/"reject_<records>", each calling its curation
    service as `service(<records>=queryset, user=...)` and reporting the count with `approved`/`rejected`.

    Offered only to users who may change the records: a view-only staff member never sees them, and a
    forged POST does nothing (the admin only runs the actions `get_actions` offers).
    """

    def build(name: str, label: str, decide: Callable[..., int], done: Callable[[int], str]) -> Callable:
        @admin.action(description=label, permissions=["change"])
        def action(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
            modeladmin.message_user(request, done(decide(**{records: queryset}, user=request.user)))

        action.__name__ = f"{name}_{records}"
        return action

    return [build("approve", labels[0], approve, approved), build("reject", labels[1], reject, rejected)]


def in_model_order(queryset: QuerySet) -> QuerySet:
    """The model's own order, then the primary key. Django orders no aggregate query by the model's
    default (a GROUP BY), and the admin's pages and autocomplete pages would then repeat or skip rows."""
    return queryset.order_by(*queryset.model._meta.ordering, "pk")


class NormalisedSearchMixin:
    """Admin search that also matches the normalised spelling keys (هجره finds الهجرة)."""

    key_lookup = "aliases__key__icontains"

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = normalize(search_term).strip()
        if term:
            results = in_model_order(results | queryset.filter(**{self.key_lookup: term}))
            may_have_duplicates = True
        return results, may_have_duplicates


class MergedFilter(admin.SimpleListFilter):
    title = _("merged")
    parameter_name = "merged"

    def lookups(self, request, model_admin):
        return [("no", _("Not merged")), ("yes", _("Merged into another"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(merged_into__isnull=True)
        if self.value() == "yes":
            return queryset.filter(merged_into__isnull=False)
        return queryset


class PostFilter(admin.SimpleListFilter):
    """The post (role_key) by the role the officials holding it are given, not by its internal key."""

    title = _("post")
    parameter_name = "role_key"

    def lookups(self, request, model_admin):
        english = is_english()
        labels: dict[str, Counter] = {}
        rows = Official.objects.exclude(role_key="").values_list("role_key", "role_ar", "role_en")
        for key, role_ar, role_en in rows:
            label = (role_en if english else role_ar) or role_ar or role_en
            if label:
                labels.setdefault(key, Counter())[label] += 1
        named = {key: counts.most_common(1)[0][0] for key, counts in labels.items()}
        keys = sorted({key for key, _, _ in rows})
        return sorted(((key, named.get(key, key)) for key in keys), key=lambda item: item[1])

    def queryset(self, request, queryset):
        return queryset.filter(role_key=self.value()) if self.value() else queryset


class OfficialAliasInline(admin.TabularInline):
    model = OfficialAlias
    fields = ["name", "script", "status", "key"]
    readonly_fields = ["script", "key"]  # derived from the name by curation.alias_save
    extra = 0


@admin.register(Official)
class OfficialAdmin(NormalisedSearchMixin, admin.ModelAdmin):
    list_display = [
        "name_ar",
        "name_en",
        "role_ar",
        "country_en",
        "status",
        "proposed_spellings",
        "mention_total",
        "merged_into",
    ]
    list_filter = ["status", MergedFilter, "curated", "country_en", PostFilter]
    list_select_related = ["merged_into"]
    search_fields = ["name_ar", "name_en", "aliases__name"]
    search_help_text = _("Any spelling: Arabic (normalised) or Latin.")
    inlines = [OfficialAliasInline]
    actions = [
        *_review_actions(
            "officials",
            curation.official_approve,
            curation.official_reject,
            (_("Approve the selected officials"), _("Reject the selected officials")),
            lambda n: ngettext("%d official approved.", "%d officials approved.", n) % n,
            lambda n: ngettext("%d official rejected.", "%d officials rejected.", n) % n,
        ),
        "merge_officials",
    ]
    readonly_fields = ["name_en_suggested", "merged_into", "mention_sentences", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["status", "name_ar", "name_en", "name_en_suggested"]}),
        (_("Post"), {"fields": ["role_ar", "role_en", "country_ar", "country_en"]}),
        (_("Sources"), {"fields": ["mention_sentences"]}),
        (
            _("Advanced"),
            {
                "classes": ["collapse"],
                "fields": ["role_key", "curated", "merged_into", "created_at", "updated_at"],
            },
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Official]:
        return in_model_order(
            super()
            .get_queryset(request)
            .annotate(
                _mentions=Sum("mentions__count"),
                _proposed=Count("aliases", filter=Q(aliases__status=ReviewStatus.PROPOSED), distinct=True),
            )
        )

    @admin.display(description=_("mentions"), ordering="_mentions")
    def mention_total(self, official: Official) -> int:
        return official._mentions or 0

    @admin.display(description=_("spellings to review"), ordering="_proposed")
    def proposed_spellings(self, official: Official) -> int:
        return official._proposed

    @admin.display(description=_("where the articles name them"))
    def mention_sentences(self, official: Official) -> str:
        mentions = official.mentions.select_related("article").order_by("-count")[:20]
        return format_html_join(
            "",
            "<p><a href='{}'>{}</a> ({}×, {}): «{}»</p>",
            (
                (m.article.get_absolute_url(), m.article.headline, m.count, m.role_ar or "—", m.sentence)
                for m in mentions
            ),
        ) or _("No mentions.")

    def save_model(self, request, obj, form, change):
        if change:
            curation.official_mark_edited(official=obj)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for alias in formset.save(commit=False):
            curation.alias_save(alias=alias)
        for alias in formset.deleted_objects:
            alias.delete()
        formset.save_m2m()

    def get_urls(self):
        queue = path("review/", self.admin_site.admin_view(self.review_queue), name="entities_review_queue")
        return [queue, *super().get_urls()]

    def review_queue(self, request: HttpRequest) -> HttpResponse:
        """What waits for an editor, per kind, each count linking to the records to decide on."""
        queue = review_queue_counts()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Review queue"),
            "rows": queue,
            "total": sum(row["count"] for row in queue),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/entities/review_queue.html", context)

    def has_merge_permission(self, request: HttpRequest) -> bool:
        # Merging rewrites the officials and deletes their duplicate spellings and mentions: it takes both.
        return self.has_change_permission(request) and self.has_delete_permission(request)

    @admin.action(description=_("Merge the selected officials into one"), permissions=["merge"])
    def merge_officials(self, request: HttpRequest, queryset: QuerySet[Official]) -> HttpResponse | None:
        # The record an editor reviewed comes first and is preselected as the one to keep: approved, then
        # curated, then the most mentioned.
        reviewed = Case(
            When(status=ReviewStatus.APPROVED, then=Value(0)),
            When(status=ReviewStatus.PROPOSED, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        officials = list(
            queryset.annotate(
                alias_count=Count("aliases", distinct=True),
                mention_count=Count("mentions", distinct=True),
                meeting_count=Count("meetings", distinct=True),
                reviewed=reviewed,
            ).order_by("reviewed", "-curated", "-mention_count", "pk")
        )
        if len(officials) < 2:
            self.message_user(request, _("Select at least two officials to merge."), messages.WARNING)
            return None
        if request.POST.get("post") == "yes":
            survivor = next((o for o in officials if str(o.pk) == request.POST.get("survivor")), None)
            if survivor is None:
                self.message_user(request, _("Choose the official to keep."), messages.ERROR)
            else:
                curation.official_merge(survivor=survivor, others=officials, user=request.user)
                self.message_user(
                    request,
                    _("Merged %(count)d officials into %(name)s.")
                    % {"count": len(officials) - 1, "name": survivor},
                    messages.SUCCESS,
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Merge officials"),
            "officials": officials,
            "survivor": officials[0],
            "queryset": queryset,
            "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action_name": "merge_officials",
            "media": self.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/entities/official/merge_confirmation.html", context)


@admin.register(OfficialAlias)
class OfficialAliasAdmin(NormalisedSearchMixin, admin.ModelAdmin):
    key_lookup = "key__icontains"
    list_display = ["name", "official", "script", "status", "key"]
    list_filter = ["status", "script"]
    list_select_related = ["official"]
    search_fields = ["name", "official__name_ar", "official__name_en"]
    autocomplete_fields = ["official"]
    readonly_fields = ["script", "key", "created_at"]  # script and key: derived by curation.alias_save
    fields = ["official", "name", "script", "status", "key", "created_at"]
    actions = [
        *_review_actions(
            "aliases",
            curation.alias_approve,
            curation.alias_reject,
            (_("Approve the selected spellings"), _("Reject the selected spellings")),
            lambda n: ngettext("%d spelling approved.", "%d spellings approved.", n) % n,
            lambda n: ngettext("%d spelling rejected.", "%d spellings rejected.", n) % n,
        ),
    ]

    def save_model(self, request, obj, form, change):
        curation.alias_save(alias=obj)


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "date", "kind", "place_ar", "participant_names", "article_count", "status"]
    list_filter = ["status", "kind", "curated", ("date", admin.DateFieldListFilter)]
    search_fields = ["place_ar", "place_en", "participants__name_ar", "participants__name_en"]
    autocomplete_fields = ["participants", "articles"]
    readonly_fields = ["source_sentences", "agenda_topics", "created_at", "updated_at"]
    date_hierarchy = "date"
    actions = [
        *_review_actions(
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


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin):
    list_display = ["official", "article", "surface", "role_ar", "count"]
    list_select_related = ["official", "article"]
    search_fields = ["surface", "official__name_ar", "official__name_en", "role_ar"]
    autocomplete_fields = ["official", "article"]
    readonly_fields = ["sentence"]
    list_filter = [("official__status", admin.ChoicesFieldListFilter)]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # mentions come from the text; an editor curates officials, not counts


@admin.register(Institution)
class InstitutionAdmin(NormalisedSearchMixin, admin.ModelAdmin):
    key_lookup = "key__icontains"
    list_display = ["name_ar", "name_en", "statement_count"]
    search_fields = ["name_ar", "name_en"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Institution]:
        return in_model_order(super().get_queryset(request).annotate(_statements=Count("statements")))

    @admin.display(description=_("statements"), ordering="_statements")
    def statement_count(self, institution: Institution) -> int:
        return institution._statements

    def save_model(self, request, obj, form, change):
        obj.key = " ".join(normalize(obj.name_ar).split())
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
        *_review_actions(
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
        *_review_actions(
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


@admin.register(BilingualName)
class BilingualNameAdmin(admin.ModelAdmin):
    """The English names pages show and search reads for places, countries and sources."""

    list_display = ["name_ar", "name_en", "kind", "updated_at"]
    list_display_links = ["name_ar"]
    list_editable = ["name_en"]
    list_filter = ["kind"]
    search_fields = ["name_ar", "name_en"]
    search_help_text = _("Arabic or English name.")
    fields = ["kind", "name_ar", "name_en"]


def review_queue_counts() -> list[dict]:
    """Pending decisions per kind: proposed officials (not merged), their proposed spellings, proposed
    meetings, statements and meeting topics; each with the admin list that shows them."""
    pending = ReviewStatus.PROPOSED
    officials = Official.objects.filter(status=pending, merged_into__isnull=True).count()
    spellings = (
        OfficialAlias.objects.filter(status=pending).exclude(official__status=ReviewStatus.REJECTED).count()
    )
    meetings = Meeting.objects.filter(status=pending).count()
    statements = Statement.objects.filter(status=pending).count()
    topics = MeetingTopic.objects.filter(status=pending).count()
    return [
        {
            "label": _("Officials"),
            "count": officials,
            "url": reverse("admin:entities_official_changelist") + "?status=proposed&merged=no",
        },
        {
            "label": _("Spellings"),
            "count": spellings,
            "url": reverse("admin:entities_officialalias_changelist") + "?status=proposed",
        },
        {
            "label": _("Meetings"),
            "count": meetings,
            "url": reverse("admin:entities_meeting_changelist") + "?status=proposed",
        },
        {
            "label": _("Statements"),
            "count": statements,
            "url": reverse("admin:entities_statement_changelist") + "?status=proposed",
        },
        {
            "label": _("Meeting topics"),
            "count": topics,
            "url": reverse("admin:entities_meetingtopic_changelist") + "?status=proposed",
        },
    ]


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
