"""The SVG pictures as documents of their own: /charts/meetings-per-year.svg, /charts/who-met-whom.svg."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from archive.web.figures import (
    GRAPH_DEFAULT_NODES,
    GRAPH_MAX_NODES,
    ChartParamError,
    chart_graph_context,
    chart_meetings_context,
)

SVG_CONTENT_TYPE = "image/svg+xml; charset=utf-8"


def _int_param(request: HttpRequest, name: str, *, low: int, high: int) -> int | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ChartParamError(
            name, _("Expected a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
        )
    return int(raw)


def _svg_document(request: HttpRequest, template: str, chart: dict) -> HttpResponse:
    # The *_document templates wrap the inline SVG with the stylesheet link a standalone picture needs.
    return render(request, template, {"chart": chart}, content_type=SVG_CONTENT_TYPE)


def _bad_param(request: HttpRequest, error: ChartParamError) -> HttpResponse:
    return render(request, "400.html", {"error": error}, status=400)


def meetings_per_period(request: HttpRequest) -> HttpResponse:
    """GET /charts/meetings-per-year.svg?by=year|month[&official=<pk>]"""
    try:
        official_id = _int_param(request, "official", low=1, high=2**62)
        context = chart_meetings_context(by=request.GET.get("by", "year") or "year", official_id=official_id)
    except ChartParamError as error:
        return _bad_param(request, error)
    return _svg_document(request, "web/charts/meetings_per_period_document.svg", context)


def who_met_whom(request: HttpRequest) -> HttpResponse:
    """GET /charts/who-met-whom.svg[?official=<pk>][&limit=<n>]: the wide layout as a picture of its own."""
    try:
        official_id = _int_param(request, "official", low=1, high=2**62)
        limit = _int_param(request, "limit", low=2, high=GRAPH_MAX_NODES) or GRAPH_DEFAULT_NODES
    except ChartParamError as error:
        return _bad_param(request, error)
    context = chart_graph_context(official_id=official_id, limit=limit)
    return _svg_document(request, "web/charts/who_met_whom_document.svg", context)
