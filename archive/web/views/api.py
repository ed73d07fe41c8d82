"""The JSON API, through the same services as the pages: `GET /api/search` (the search page's results),
`GET /api/statements` (quotes containing words, by speaker) and `GET /api/meetings` (with their agenda
topics, filtered by topic)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from archive.entities.models import Meeting, MeetingTopic, ReviewStatus, Topic
from archive.entities.statements import StatementParamError, statement_params, statements_search
from archive.search.service import SearchParamError, SearchResults, article_search, search_params_from_query

PER_PAGE = 25
MAX_PER_PAGE = 100


@require_GET
def search(request: HttpRequest) -> JsonResponse:
    try:
        params = search_params_from_query(request.GET)
    except SearchParamError as error:
        return JsonResponse({"error": {"param": error.param, "message": str(error.message)}}, status=400)
    results = article_search(params=params, highlight=True)
    return JsonResponse(search_payload(results, request=request), json_dumps_params={"ensure_ascii": False})


def search_payload(results: SearchResults, *, request: HttpRequest) -> dict:
    """The JSON shape of a results page (also documented in the README's API section)."""

    def page_link(page: int) -> str:
        query = request.GET.copy()
        query["page"] = str(page)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return {
        "count": results.count,
        "page": results.page,
        "num_pages": results.num_pages,
        "per_page": results.per_page,
        "next": page_link(results.page + 1) if results.has_next else None,
        "previous": page_link(results.page - 1) if results.has_previous else None,
        "relaxed": results.relaxed,
        # True when the search stopped at its time budget (SEARCH_TIME_BUDGET_MS): there may be more.
        "partial": results.partial,
        "results": [
            {
                "id": hit.article.pk,
                "title": hit.article.title,
                "headline": hit.article.headline,
                "date": hit.article.published_on.isoformat() if hit.article.published_on else None,
                "source": hit.article.source,
                "origin": hit.article.origin,
                "source_url": hit.article.url or None,
                "url": request.build_absolute_uri(hit.article.get_absolute_url()),
                # Escaped article text with <mark> around the matches, isolated with <bdi dir="auto">.
                "snippet": str(hit.snippet),
                "score": round(hit.score, 4),
                "matched_variants": hit.matched_variants,
            }
            for hit in results.hits
        ],
        "facets": {
            name: [
                {"value": f.value, "label": f.label, "count": f.count, "selected": f.selected} for f in counts
            ]
            for name, counts in results.facets.items()
        },
        "suggestion": results.suggestion,
        "understood_as": {
            "normalized": results.understood_as.normalized,
            "variants": results.understood_as.variants,
            "ignored": results.understood_as.ignored,
            "spellings": [
                {
                    "spelling": spelling.text,
                    "status": "proposed" if spelling.proposed else "approved",
                    "official": spelling.official_id,
                }
                for spelling in results.understood_as.spellings
            ],
            # English place, country and source names also searched as the Arabic names the articles use.
            "english_names": [
                {"typed": name.text, "arabic": name.name_ar, "kind": name.kind}
                for name in results.understood_as.english_names
            ],
            # The parts of the query that were not read as typed, each with what was done instead.
            "not_understood": [{"part": n.part, "message": n.message} for n in results.understood_as.notes],
        },
    }


def _error(param: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"param": param, "message": str(message)}}, status=400)


def _page(request: HttpRequest, rows) -> tuple:
    per_page = request.GET.get("per_page", str(PER_PAGE))
    page = request.GET.get("page", "1")
    if not per_page.isdigit() or not 1 <= int(per_page) <= MAX_PER_PAGE:
        raise StatementParamError("per_page", f"per_page must be a number from 1 to {MAX_PER_PAGE}.")
    if not page.isdigit() or int(page) < 1:
        raise StatementParamError("page", "page must be a number from 1.")
    paginator = Paginator(rows, int(per_page))
    return paginator, paginator.get_page(int(page))


def _speaker(statement) -> dict:
    if statement.official is not None:
        o = statement.official
        return {"kind": "official", "id": o.pk, "name_ar": o.name_ar, "name_en": o.name_en}
    i = statement.institution
    return {"kind": "institution", "id": i.pk, "name_ar": i.name_ar, "name_en": i.name_en}


@require_GET
def statements(request: HttpRequest) -> JsonResponse:
    try:
        params = statement_params(request.GET)
        paginator, page = _page(request, statements_search(**params))
    except StatementParamError as error:
        return _error(error.param, error.message)
    results = [
        {
            "id": s.pk,
            "speaker": _speaker(s),
            "text": s.text,
            "verb": s.verb,
            "direct": s.direct,
            "date": s.date.isoformat() if s.date else None,
            "start": s.start,
            "end": s.end,
            "article": {
                "id": s.article_id,
                "headline": s.article.headline,
                "url": request.build_absolute_uri(s.article.get_absolute_url()),
            },
            "meeting": s.meeting_id,
            "status": s.status,
        }
        for s in page
    ]
    payload = {"count": paginator.count, "page": page.number, "num_pages": paginator.num_pages}
    payload["results"] = results
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})


@require_GET
def meetings(request: HttpRequest) -> JsonResponse:
    key = request.GET.get("topic", "").strip()
    if key and not Topic.objects.filter(key=key).exists():
        known = ", ".join(Topic.objects.values_list("key", flat=True))
        return _error("topic", f"Unknown topic {key[:50]!r}: one of {known}.")
    topics = MeetingTopic.objects.exclude(status=ReviewStatus.REJECTED).select_related("topic")
    rows = (
        Meeting.objects.visible()
        .prefetch_related("participants", Prefetch("meeting_topics", queryset=topics))
        .order_by("-date", "-id")
    )
    if key:
        rows = rows.filter(meeting_topics__topic__key=key).exclude(
            meeting_topics__topic__key=key, meeting_topics__status=ReviewStatus.REJECTED
        )
    try:
        paginator, page = _page(request, rows.distinct())
    except StatementParamError as error:
        return _error(error.param, error.message)
    results = [
        {
            "id": m.pk,
            "date": m.date.isoformat() if m.date else None,
            "kind": m.kind,
            "place_ar": m.place_ar,
            "place_en": m.place_en,
            "participants": [
                {"id": p.pk, "name_ar": p.name_ar, "name_en": p.name_en} for p in m.participants.all()
            ],
            "topics": [
                {
                    "key": t.topic.key,
                    "name_ar": t.topic.name_ar,
                    "name_en": t.topic.name_en,
                    "sentence": t.sentence,
                }
                for t in m.meeting_topics.all()
            ],
            "url": request.build_absolute_uri(m.get_absolute_url()),
        }
        for m in page
    ]
    payload = {"count": paginator.count, "page": page.number, "num_pages": paginator.num_pages}
    payload["results"] = results
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
