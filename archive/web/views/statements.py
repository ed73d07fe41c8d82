"""The statements scope of search (page, CSV/JSON exports), an official's statements feed, and the topic
filter and facet of the meetings list."""

import csv
import datetime

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from archive.entities.models import Meeting, Official, ReviewStatus, Statement, Topic
from archive.entities.statements import StatementParamError, statement_params, statements_search
from archive.text.arabic import without_bidi_controls
from archive.web.presenters import official_name, speaker, topic_name
from archive.web.views.exports import export_cap

STATEMENTS_PER_PAGE = 25
FEED_ITEMS = 50
CSV_COLUMNS = ("id", "date", "speaker", "verb", "direct", "text", "article", "url", "meeting")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _bad(request: HttpRequest, error: StatementParamError) -> HttpResponse:
    return render(request, "400.html", {"error": error.message}, status=400)


def statement_search(request: HttpRequest) -> HttpResponse:
    """GET /search/statements/?q=...&official=...: quotes containing the words, newest first."""
    try:
        params = statement_params(request.GET)
    except StatementParamError as error:
        return _bad(request, error)
    statements = statements_search(**params)
    page = Paginator(statements, STATEMENTS_PER_PAGE, orphans=3).get_page(request.GET.get("page"))
    speakers = (
        Official.objects.listed()
        .filter(statements__isnull=False)
        .exclude(statements__status=ReviewStatus.REJECTED)
        .distinct()
        .order_by("name_ar")
    )
    chosen = Official.objects.filter(pk=params["official_id"]).first() if params["official_id"] else None
    context = {"page": page, "query": params["words"], "speakers": speakers, "chosen": chosen}
    return render(request, "web/statements.html", context)


def _cell(value: object) -> str:
    text = without_bidi_controls(str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def statement_row(request: HttpRequest, statement: Statement) -> dict:
    return {
        "id": statement.pk,
        "date": statement.date.isoformat() if statement.date else None,
        "speaker": speaker(statement),
        "official": statement.official_id,
        "institution": statement.institution.name_ar if statement.institution else None,
        "verb": statement.verb,
        "direct": statement.direct,
        "text": statement.text,
        "start": statement.start,
        "end": statement.end,
        "article": statement.article_id,
        "url": request.build_absolute_uri(statement.article.get_absolute_url()),
        "meeting": statement.meeting_id,
        "status": statement.status,
    }


def statements_csv(request: HttpRequest) -> HttpResponse:
    """GET /export/statements.csv?q=...&official=...: UTF-8 with a byte-order mark, capped like searches."""
    try:
        params = statement_params(request.GET)
    except StatementParamError as error:
        return _bad(request, error)
    cap = export_cap()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    rows = 0
    for statement in statements_search(**params)[:cap]:
        row = statement_row(request, statement)
        writer.writerow([_cell("" if row[c] is None else row[c]) for c in CSV_COLUMNS])
        rows += 1
    stamp = datetime.date.today().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="diwan-statements-{stamp}.csv"'
    response["X-Diwan-Rows"] = str(rows)
    return response


def statements_json(request: HttpRequest) -> HttpResponse:
    """GET /export/statements.json?q=...: ``{"query", "official", "count", "cap", "results": [...]}``."""
    try:
        params = statement_params(request.GET)
    except StatementParamError as error:
        return _bad(request, error)
    cap = export_cap()
    results = [statement_row(request, s) for s in statements_search(**params)[:cap]]
    payload = {
        "query": params["words"],
        "official": params["official_id"],
        "count": len(results),
        "cap": cap,
        "results": results,
    }
    stamp = datetime.date.today().strftime("%Y%m%d")
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="diwan-statements-{stamp}.json"'
    response["X-Diwan-Rows"] = str(len(results))
    return response


class OfficialStatementsFeed(Feed):
    """GET /feeds/officials/<pk>/statements/: what an official said, newest first."""

    feed_type = Atom1Feed
    description_template = "feeds/statement_description.html"

    def get_object(self, request: HttpRequest, pk: int) -> Official:
        return get_object_or_404(Official.objects.listed(), pk=pk)

    def title(self, obj: Official) -> str:
        return _("Diwan: statements of %(name)s") % {"name": without_bidi_controls(official_name(obj))}

    def subtitle(self, obj: Official) -> str:
        return _("What this official said, as the articles quote or report it, newest first.")

    def link(self, obj: Official) -> str:
        return obj.get_absolute_url()

    def feed_url(self, obj: Official) -> str:
        return reverse("web:feed-official-statements", kwargs={"pk": obj.pk})

    def items(self, obj: Official) -> QuerySet:
        return statements_search(official_id=obj.pk)[:FEED_ITEMS]

    def item_title(self, item: Statement) -> str:
        text = item.text if len(item.text) <= 120 else item.text[:120] + "…"
        return without_bidi_controls(f"{speaker(item)}: «{text}»")

    def item_link(self, item: Statement) -> str:
        return item.article.get_absolute_url()

    def item_guid(self, item: Statement) -> str:
        return f"statement-{item.pk}"

    def item_pubdate(self, item: Statement) -> datetime.datetime:
        if item.date:
            return datetime.datetime.combine(item.date, datetime.time(), tzinfo=datetime.UTC)
        return item.created_at

    def item_updateddate(self, item: Statement) -> datetime.datetime:
        return item.updated_at

    def get_context_data(self, **kwargs) -> dict:
        return {"obj": kwargs["item"], "site_root": kwargs["request"].build_absolute_uri("/").rstrip("/")}


# The meetings list: filter by topic, and how many listed meetings have each topic.


def meetings_with_topic(meetings: QuerySet[Meeting], key: str) -> QuerySet[Meeting]:
    if not key:
        return meetings
    return meetings.filter(
        meeting_topics__topic__key=key,
        meeting_topics__status__in=[ReviewStatus.PROPOSED, ReviewStatus.APPROVED],
    )


def topic_facet(meetings: QuerySet[Meeting], chosen: str) -> list[dict]:
    """Each topic with the number of these meetings that discussed it, most discussed first."""
    listed = Q(meeting_topics__meeting__in=meetings.values("pk")) & ~Q(
        meeting_topics__status=ReviewStatus.REJECTED
    )
    topics = Topic.objects.annotate(count=Count("meeting_topics", filter=listed, distinct=True))
    rows = [
        {"key": t.key, "label": topic_name(t), "count": t.count, "selected": t.key == chosen}
        for t in topics
        if t.count or t.key == chosen
    ]
    return sorted(rows, key=lambda r: (-r["count"], r["label"]))
