"""The search results page: the same service as the JSON API, rendered for analysts."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from archive.entities.models import Meeting, Official
from archive.entities.selectors import hit_entities
from archive.search.service import SearchParamError, article_search, search_params_from_query
from archive.web.presenters import meeting_label, official_name

# Facet groups in the order the page shows them, with their headings.
FACET_GROUPS = (
    ("year", _("Year")),
    ("official", _("Official")),
    ("place", _("Place")),
    ("source", _("Source")),
)
# Every filter the search accepts (one value each), in the order active filters are listed.
FILTERS = (
    *FACET_GROUPS,
    ("meeting", _("Meeting")),
    ("date_from", _("From")),
    ("date_to", _("To")),
)
SORTS = (("relevance", _("Relevance")), ("newest", _("Newest first")), ("oldest", _("Oldest first")))
MODES = (
    ("stemmed", _("Stemmed and name variants")),
    ("normalized", _("Normalised spelling")),
    ("exact", _("Exactly as written")),
)
MATCHES = (("all", _("All words")), ("any", _("Any word")))
# How many page links the pager shows on each side of the current page.
PAGER_SPAN = 3


def _active_filters(*, request: HttpRequest, facets: dict) -> list[dict]:
    """The filters in the URL, each with a readable label (from its facet, or the record it names)."""
    active = []
    for key, heading in FILTERS:
        value = request.GET.get(key, "").strip()
        if value:
            labels = {str(f.value): f.label for f in facets.get(key, [])}
            active.append({"key": key, "value": value, "heading": heading, "label": labels.get(value, value)})
    for item in active:
        # An official or meeting filtered on but absent from this page's facets is still named, not numbered.
        if item["label"] == item["value"] and item["value"].isdigit():
            if item["key"] == "official":
                official = Official.objects.filter(pk=item["value"]).first()
                item["label"] = official_name(official) if official else item["value"]
            elif item["key"] == "meeting":
                meeting = Meeting.objects.filter(pk=item["value"]).first()
                item["label"] = meeting_label(meeting) if meeting else item["value"]
    return active


def _pager(*, page: int, num_pages: int) -> list[int]:
    return list(range(max(1, page - PAGER_SPAN), min(num_pages, page + PAGER_SPAN) + 1))


def search(request: HttpRequest) -> HttpResponse:
    try:
        params = search_params_from_query(request.GET)
    except SearchParamError as error:
        return render(request, "400.html", {"error": error}, status=400)
    results = article_search(params=params)
    facets = results.facets or {}
    # Which officials and meetings each result involves (extracted data, shown with its review state).
    entities = hit_entities(article_ids=[hit.article.pk for hit in results.hits])
    context = {
        "hit_rows": [{"hit": hit, **entities[hit.article.pk]} for hit in results.hits],
        "params": params,
        "query": request.GET.get("q", ""),
        "results": results,
        "facet_groups": [(key, heading, facets.get(key, [])) for key, heading in FACET_GROUPS],
        "active_filters": _active_filters(request=request, facets=facets),
        # Kept when the date range form is submitted: everything but the dates and the page.
        "kept_params": [
            (key, value)
            for key, value in request.GET.items()
            if key not in ("date_from", "date_to", "page") and value
        ],
        "date_from": params.date_from,
        "date_to": params.date_to,
        "sorts": SORTS,
        "modes": MODES,
        "matches": MATCHES,
        "sort": params.sort,
        "mode": params.mode,
        "match": params.match,
        "variants": params.variants,
        "max_query_chars": settings.SEARCH_MAX_QUERY_CHARS,
        "pager": _pager(page=results.page, num_pages=results.num_pages),
        "first_rank": (results.page - 1) * params.per_page + 1,
    }
    return render(request, "web/search.html", context)
