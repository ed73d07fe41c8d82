"""Officials with their spellings, the mentions they were read from, institutions and bilingual names;
the review queue of everything waiting for an editor, and the merge of duplicate officials."""

from collections import Counter

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from archive.entities import curation
from archive.entities.admin.common import NormalisedSearchMixin, in_model_order, review_actions
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
)
from archive.text.arabic import normalize


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
        *review_actions(
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
        *review_actions(
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
    kinds = [
        (_("Officials"), Official.objects.filter(merged_into__isnull=True), "official", "&merged=no"),
        (
            _("Spellings"),
            OfficialAlias.objects.exclude(official__status=ReviewStatus.REJECTED),
            "officialalias",
            "",
        ),
        (_("Meetings"), Meeting.objects, "meeting", ""),
        (_("Statements"), Statement.objects, "statement", ""),
        (_("Meeting topics"), MeetingTopic.objects, "meetingtopic", ""),
    ]
    return [
        {
            "label": label,
            "count": records.filter(status=pending).count(),
            "url": reverse(f"admin:entities_{model}_changelist") + f"?status={pending}{more}",
        }
        for label, records, model, more in kinds
    ]
