"""`GET /api/search`: the search page's results as JSON, through the same service function."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from archive.search.service import SearchParamError, SearchResults, article_search, search_params_from_query


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
