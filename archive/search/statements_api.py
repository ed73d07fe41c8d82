"""`GET /api/statements` (quotes containing words, by speaker) and `GET /api/meetings` (with their agenda
topics, filtered by topic): JSON through the same services as the pages."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from archive.entities.models import Meeting, MeetingTopic, ReviewStatus, Topic
from archive.entities.statements import StatementParamError, statement_params, statements_search

PER_PAGE = 25
MAX_PER_PAGE = 100


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
        Meeting.objects.exclude(status=ReviewStatus.REJECTED)
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
