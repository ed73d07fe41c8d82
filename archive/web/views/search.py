"""The search results page: the same service as the JSON API, rendered for analysts."""

from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from archive.entities.models import Meeting, Official, ReviewStatus
from archive.entities.selectors import hit_entities
from archive.search.service import SearchParamError, article_search, search_params_from_query
from archive.web.presenters import (
    digit_style,
    digits,
    long_date,
    meeting_label,
    official_name,
    place,
    source_name,
)

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


def _hit_rows(*, hits: list, query: str, mode: str, style: str) -> list[dict]:
    """Each result as the page shows it: its link (carrying the query, so the article marks the same
    words), labels in the page's language, and the officials and meetings it involves with their review
    state. Built here rather than in the template, whose variable lookups and filters cost about half a
    millisecond a row on a results page."""
    entities = hit_entities(article_ids=[hit.article.pk for hit in hits])
    carried = ""
    if query:
        carried = f"?q={quote(query, safe='/')}" + (f"&mode={mode}" if mode != "stemmed" else "")
    rows = []
    for hit in hits:
        article, found = hit.article, entities[hit.article.pk]
        rows.append(
            {
                "url": article.get_absolute_url() + carried,
                "headline": article.headline,
                "date": article.published_on,
                "date_label": digits(long_date(article.published_on), style),
                "source": source_name(article.source) if article.source else "",
                "snippet": hit.snippet,
                "variants": hit.matched_variants,
                "officials": [
                    {
                        "url": person.get_absolute_url(),
                        "name": official_name(person),
                        "reviewed": person.status == ReviewStatus.APPROVED,
                    }
                    for person in found["officials"]
                ],
                "meetings": [
                    {
                        "url": meeting.get_absolute_url(),
                        "kind": meeting.get_kind_display(),
                        "date_label": digits(long_date(meeting.date), style),
                        "place": place(meeting),
                        "reviewed": meeting.status == ReviewStatus.APPROVED,
                    }
                    for meeting in found["meetings"]
                ],
            }
        )
    return rows


def _pager(*, page: int, num_pages: int) -> list[int]:
    return list(range(max(1, page - PAGER_SPAN), min(num_pages, page + PAGER_SPAN) + 1))


def search(request: HttpRequest) -> HttpResponse:
    try:
        params = search_params_from_query(request.GET)
    except SearchParamError as error:
        return render(request, "400.html", {"error": error}, status=400)
    results = article_search(params=params)
    facets = results.facets or {}
    query = request.GET.get("q", "")
    context = {
        "hit_rows": _hit_rows(hits=results.hits, query=query, mode=params.mode, style=digit_style(request)),
        "params": params,
        "query": query,
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
