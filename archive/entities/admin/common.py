"""What the entity admins share: the approve/reject actions, a stable order for annotated lists, and
search over the normalised spelling keys."""

from collections.abc import Callable

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from archive.text.arabic import normalize


def review_actions(
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
