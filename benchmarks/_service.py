"""Calls the same search service function as `/api/search`, the way the API view calls it.

Only the glue lives here: turning a query string into the service's parameters (through the service's own
`search_params_from_query`) and reading counts, snippets and facets back from whatever it returns.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from functools import cache

from django.http import QueryDict


@cache
def _service():
    from archive.search import service

    return service


def params_for(query: str, *, per_page: int = 10):
    """The service's parameter object for `?q=query&per_page=10` (highlights and facets as the API gives)."""
    service = _service()
    data = QueryDict(mutable=True)
    data["q"] = query
    data["per_page"] = str(per_page)
    build = service.search_params_from_query
    signature = inspect.signature(build)
    positional = [
        p for p in signature.parameters.values() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    if positional:
        params = build(data)
    else:
        keyword = next(iter(signature.parameters))
        params = build(**{keyword: data})
    # Some builders return (params, errors): the benchmark's queries are all valid.
    if isinstance(params, tuple):
        params = params[0]
    return params


def run_search(query: str, *, per_page: int = 10):
    # Each timed search counts its facets afresh: the benchmark repeats its queries, an analyst rarely does.
    from archive.search.engine import search_engine

    search_engine().forget_cached_counts()
    return _service().article_search(params=params_for(query, per_page=per_page))


def _field(obj, name: str, default=None):
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def result_count(outcome) -> int | None:
    count = _field(outcome, "count")
    if count is None:
        for name in ("total", "hits", "paginator"):
            value = _field(outcome, name)
            if isinstance(value, int):
                return value
            if value is not None and hasattr(value, "count"):
                return value.count
    return count


def _results(outcome) -> list:
    for name in ("results", "hits", "page", "object_list"):
        value = _field(outcome, name)
        if value is not None:
            return list(value)
    return []


def describe(outcomes: list) -> str:
    """A one-line account of what the searches returned, to show the measured work was the real work."""
    shown = [len(_results(outcome)) for outcome in outcomes]
    counts = [result_count(outcome) or 0 for outcome in outcomes]
    snippets = marked = 0
    for outcome in outcomes:
        for hit in _results(outcome):
            text = str(_field(hit, "snippet", "") or "")
            snippets += bool(text)
            marked += "<mark>" in text
    facets = _field(outcomes[0], "facets") if outcomes else None
    facet_names = sorted(facets) if isinstance(facets, Mapping) else type(facets).__name__
    without = sum(1 for c in counts if c == 0)
    return (
        f"{sum(shown)} results shown for {len(outcomes)} queries ({without} without hits), "
        f"{snippets} snippets, {marked} with <mark>, facets {facet_names}, "
        f"median hit count {sorted(counts)[len(counts) // 2] if counts else 0}"
    )
