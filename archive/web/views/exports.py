"""CSV and JSON exports of a whole search (every match, not only the page shown), up to a stated cap.

The search parameters are the results page's own (``q``, filters, ``sort``, ``mode``...), validated by the
search service; a bad one gives a 400 page naming it. The ids come from the index in one call, the rows from
the database in chunks with their officials, statements and meetings' topics prefetched (the selectors'
``articles_in_order``): a fixed number of SQL queries per chunk, whatever the number of officials or
statements. Responses say how many rows they hold and whether the cap cut the result short
(``X-Diwan-Truncated: true`` and, in JSON, ``"truncated": true``).
"""

import csv
import datetime
from dataclasses import dataclass, replace

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language

from archive.articles.models import Article
from archive.entities.bilingual import is_english
from archive.entities.selectors import (
    article_statements,
    article_topics,
    articles_in_order,
    mentioned_officials,
)
from archive.search.service import (
    EXPORT_LIMIT,
    SearchParamError,
    article_search,
    article_search_all_ids,
    search_params_from_query,
)
from archive.text.arabic import without_bidi_controls
from archive.web.presenters import official_name

CSV_COLUMNS = (
    "id",
    "headline",
    "title",
    "date",
    "source",
    "origin",
    "url",
    "officials",
    "statements",
    "topics",
)
# Spreadsheets run a cell starting with one of these as a formula; such cells get a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportBatch:
    ids: list[int]
    total: int  # all matches, as the results page counts them
    cap: int
    truncated: bool


def export_cap() -> int:
    """The EXPORT_MAX_ROWS setting (10,000 by default), never more than the search service hands out."""
    return min(settings.EXPORT_MAX_ROWS, EXPORT_LIMIT)


def search_export_ids(*, query) -> ExportBatch:
    """Ids of every article matching the search in ``query`` (a QueryDict), in result order, up to the cap.

    Raises the search service's ``SearchParamError`` on a bad parameter.
    """
    params = search_params_from_query(query)
    cap = export_cap()
    ids = article_search_all_ids(params=params, limit=cap)
    # The count of all matches, from a one-row page of the same search, says whether the cap cut it short.
    total = article_search(params=replace(params, page=1, per_page=1), highlight=False).count
    return ExportBatch(ids=ids, total=total, cap=cap, truncated=total > cap)


def _row(request: HttpRequest, article: Article) -> dict:
    return {
        "id": article.pk,
        "headline": article.headline,
        "title": article.title,
        "date": article.published_on.isoformat() if article.published_on else "",
        "source": article.source,
        "origin": article.origin,
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "officials": mentioned_officials(article),
        "statements": article_statements(article),
        "topics": article_topics(article),
    }


def _headers(batch: ExportBatch, rows: int, extension: str) -> dict[str, str]:
    stamp = datetime.date.today().strftime("%Y%m%d")
    headers = {
        "Content-Disposition": f'attachment; filename="diwan-search-{stamp}.{extension}"',
        "X-Diwan-Rows": str(rows),
        "X-Diwan-Cap": str(batch.cap),
        "X-Diwan-Truncated": "true" if batch.truncated else "false",
    }
    headers["X-Diwan-Total"] = str(batch.total)
    return headers


def _bad_param(request: HttpRequest, error: Exception) -> HttpResponse:
    return render(request, "400.html", {"error": error}, status=400)


def _cell(value: object) -> str:
    # Direction controls go first: a cell starting with U+202E and then "=" is still a formula.
    text = without_bidi_controls(str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def search_csv(request: HttpRequest) -> HttpResponse:
    """GET /export/search.csv?q=...: UTF-8 with a byte-order mark, so Excel shows Arabic correctly."""
    try:
        batch = search_export_ids(query=request.GET)
    except SearchParamError as error:
        return _bad_param(request, error)
    language = get_language()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    rows = 0
    for article in articles_in_order(ids=batch.ids):
        row = _row(request, article)
        row["officials"] = "; ".join(official_name(person, language) for person in row["officials"])
        english = is_english(language)
        row["statements"] = " | ".join(
            f"{(s['speaker_en'] if english and s['speaker_en'] else s['speaker_ar'])}: {s['text']}"
            for s in row["statements"]
        )
        row["topics"] = "; ".join(row["topics"])
        writer.writerow([row["id"], *(_cell(row[column]) for column in CSV_COLUMNS[1:])])
        rows += 1
    for name, value in _headers(batch, rows, "csv").items():
        response[name] = value
    return response


def search_json(request: HttpRequest) -> HttpResponse:
    """GET /export/search.json?q=...

    ``{"query", "parameters", "count", "total", "cap", "truncated", "results": [...]}``.
    """
    try:
        batch = search_export_ids(query=request.GET)
    except SearchParamError as error:
        return _bad_param(request, error)
    language = get_language()
    results = []
    for article in articles_in_order(ids=batch.ids):
        row = _row(request, article)
        row["date"] = row["date"] or None
        row["officials"] = [
            {
                "id": person.pk,
                "name": official_name(person, language),
                "name_ar": person.name_ar,
                "name_en": person.name_en,
                "url": request.build_absolute_uri(person.get_absolute_url()),
            }
            for person in row["officials"]
        ]
        results.append(row)
    payload = {
        "query": request.GET.get("q", ""),
        "parameters": {key: request.GET.getlist(key) for key in request.GET},
        "count": len(results),
        "total": batch.total,
        "cap": batch.cap,
        "truncated": batch.truncated,
        "results": results,
    }
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "indent": 1})
    for name, value in _headers(batch, len(results), "json").items():
        response[name] = value
    return response
