"""The whole archive's who-met-whom network, filterable by year and country."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from archive.entities.bilingual import is_english
from archive.entities.network import network_countries, network_years
from archive.web.figures import GRAPH_DEFAULT_NODES, GRAPH_MAX_NODES, ChartParamError, chart_graph_context

YEAR_RANGE = (1900, 2100)


def _filters(request: HttpRequest, countries: dict[str, str]) -> dict:
    """year, country and limit from the query string; a bad value raises naming its parameter."""
    filters: dict = {"year": None, "country": "", "limit": GRAPH_DEFAULT_NODES}
    year = request.GET.get("year", "").strip()
    if year:
        low, high = YEAR_RANGE
        if not year.isdigit() or not low <= int(year) <= high:
            raise ChartParamError(
                "year", _("Expected a year from %(low)s to %(high)s.") % {"low": low, "high": high}
            )
        filters["year"] = int(year)
    country = request.GET.get("country", "").strip()
    if country:
        if country not in countries:
            raise ChartParamError("country", _("No official in the archive is from this country."))
        filters["country"] = country
    limit = request.GET.get("limit", "").strip()
    if limit:
        if not limit.isdigit() or not 2 <= int(limit) <= GRAPH_MAX_NODES:
            raise ChartParamError(
                "limit",
                _("Expected a whole number from %(low)s to %(high)s.") % {"low": 2, "high": GRAPH_MAX_NODES},
            )
        filters["limit"] = int(limit)
    return filters


def network(request: HttpRequest) -> HttpResponse:
    """GET /network/[?year=<yyyy>][&country=<English name>][&limit=<n>]"""
    english = is_english()
    countries = {en: (en if english else ar) for en, ar in network_countries()}
    try:
        filters = _filters(request, countries)
    except ChartParamError as error:
        return render(request, "400.html", {"error": error}, status=400)
    context = {
        "graph": chart_graph_context(**filters),
        "filters": filters,
        "years": network_years(),
        "countries": sorted(countries.items(), key=lambda item: item[1]),
        "country_name": countries.get(filters["country"], ""),
    }
    return render(request, "web/network.html", context)
