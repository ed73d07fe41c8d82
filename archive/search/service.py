"""The one search function behind the search page, the JSON API, feeds and exports.

The index answers which articles match and in what order, and counts the facets; the database supplies
the articles (one query per page) and the text snippets are cut from. Results are always checked against
`Article.objects.visible()`, so an article hidden or deleted a moment ago never shows, even before the
index has caught up.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.utils.safestring import SafeString

from archive.articles.models import Article
from archive.entities.bilingual import is_english, name_in_language
from archive.entities.models import Official
from archive.search import schema
from archive.search.budget import search_budget
from archive.search.engine import EngineQuery, EngineResults, search_engine
from archive.search.highlight import Matcher, highlight_all, snippet
from archive.search.names import approved_names
from archive.search.params import (
    MODES,
    SearchParamError,
    SearchParams,
    search_params_from_query,
)
from archive.search.query import EnglishName, Spelling, attach_aliases, build_query, parse_query
from archive.search.querytree import DateRange, Every, Node, Term, all_of
from archive.search.schema import FACETS
from archive.search.syntax import Note
from archive.text.arabic import normalize

__all__ = [
    "MODES",
    "FacetCount",
    "SearchHit",
    "SearchParamError",
    "SearchParams",
    "SearchResults",
    "UnderstoodAs",
    "article_search",
    "article_search_all_ids",
    "highlight_text",
    "more_like_this",
    "search_params_from_query",
]

EXPORT_LIMIT = 10_000
FACET_LIMIT = 20


@dataclass(frozen=True)
class SearchHit:
    article: Article
    snippet: SafeString
    score: float
    matched_variants: list[str]


@dataclass(frozen=True)
class FacetCount:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class UnderstoodAs:
    normalized: str
    variants: list[str]
    ignored: list[str]
    spellings: list[Spelling] = field(default_factory=list)  # every name spelling searched
    notes: list[Note] = field(default_factory=list)  # parts of the query not read as typed
    # English place, country and source names searched as their Arabic names (Moscow: موسكو)
    english_names: list[EnglishName] = field(default_factory=list)


@dataclass(frozen=True)
class SearchResults:
    count: int
    page: int
    num_pages: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetCount]]
    suggestion: str | None
    understood_as: UnderstoodAs
    params: SearchParams = field(default_factory=SearchParams)
    per_page: int = 20
    # True when no article had every word and the results rank articles matching some of them.
    relaxed: bool = False
    # True when the search stopped at its time budget: the count and facets are a lower bound.
    partial: bool = False

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def _filters(params: SearchParams) -> Node | None:
    parts: list[Node] = []
    if params.date_from or params.date_to:
        start = datetime.datetime.combine(params.date_from, datetime.time.min) if params.date_from else None
        end = datetime.datetime.combine(params.date_to, datetime.time.max) if params.date_to else None
        parts.append(DateRange(schema.DATE, start, end))
    if params.year:
        parts.append(Term(schema.YEAR, str(params.year)))
    if params.official:
        parts.append(Term(schema.OFFICIALS, str(params.official)))
    if params.meeting:
        parts.append(Term(schema.MEETINGS, str(params.meeting)))
    if params.source:
        parts.append(Term(schema.SOURCE, params.source))
    if params.place:
        parts.append(Term(schema.PLACES, params.place))
    return all_of(parts) if parts else None


def _understand(params: SearchParams):
    # Name variants belong to the default mode ("stemmed + variants"); the stricter modes search as typed.
    parsed = parse_query(params.q)
    widen = params.variants == "on"
    attach = widen and params.mode == "stemmed"
    # `official:`, `place:` and `source:` read names (an official's, or an English place or source).
    named = ("official", "place", "source")
    wanted = attach or any(c.field in named for c in (*parsed.filters, *parsed.excluded))
    names = approved_names() if params.q and wanted else None
    if names is not None and attach:
        parsed = attach_aliases(parsed, names)
    return build_query(parsed, mode=params.mode, match=params.match, names=names, widen=widen)


def _budget_seconds() -> float:
    return settings.SEARCH_TIME_BUDGET_MS / 1000


def _search(query: Node, any_query: Node | None, *, params: SearchParams, limit: int, facets: bool):
    """The engine's results for `query`, or for `any_query` when nothing matched it; and whether relaxed."""
    engine = search_engine()
    request = EngineQuery(query=query, filters=_filters(params), sort=params.sort, limit=limit, facets=facets)
    results = engine.execute(request)
    if results.empty and any_query is not None:
        relaxed = engine.execute(replace(request, query=any_query))
        return relaxed, not relaxed.empty
    return results, False


def article_search(*, params: SearchParams, highlight: bool = True) -> SearchResults:
    """Search the visible articles; never raises on what a user typed."""
    built = _understand(params)
    understood = UnderstoodAs(
        normalized=" ".join(normalize(params.q).split()),
        variants=built.variants,
        ignored=built.ignored,
        spellings=built.spellings,
        notes=built.notes,
        english_names=built.english_names,
    )
    query = built.query
    if not params.q.strip():
        query = Every()
    if query is None:
        return _empty(params, understood)

    limit = params.page * params.per_page
    with search_budget(seconds=_budget_seconds()) as budget:
        results, relaxed = _search(query, built.any_query, params=params, limit=limit, facets=True)
        count = results.total
        num_pages = max(1, math.ceil(count / params.per_page))
        page = min(params.page, num_pages)
        start = (page - 1) * params.per_page
        window = results.hits[start : start + params.per_page]
        suggestion = None
        if params.q.strip() and (count == 0 or relaxed or count < params.per_page) and not budget.partial:
            suggestion = search_engine().suggest(query=params.q, deadline=budget.deadline)
    facets = _facets(results, params)
    hits = _hits(window, built.units if highlight else None, params.mode)
    return SearchResults(
        count=count,
        page=page,
        num_pages=num_pages,
        hits=hits,
        facets=facets,
        suggestion=suggestion,
        understood_as=understood,
        params=params,
        per_page=params.per_page,
        relaxed=relaxed,
        partial=budget.partial,
    )


def _empty(params: SearchParams, understood: UnderstoodAs) -> SearchResults:
    return SearchResults(
        count=0,
        page=1,
        num_pages=1,
        hits=[],
        facets={name: [] for name in FACETS},
        suggestion=None,
        understood_as=understood,
        params=params,
        per_page=params.per_page,
    )


def _hits(window: list[tuple[int, float]], units, mode: str) -> list[SearchHit]:
    articles = Article.objects.visible().in_bulk([pk for pk, _ in window])
    matcher = Matcher(units or [], mode)
    hits = []
    for pk, score in window:
        article = articles.get(pk)
        if article is None:  # hidden or deleted a moment ago: the index writer has not caught up yet
            continue
        if units is None:
            text_snippet, variants = SafeString(""), []
        else:
            text_snippet, variants = snippet(article.body, matcher)
        hits.append(SearchHit(article=article, snippet=text_snippet, score=score, matched_variants=variants))
    return hits


def _facets(results: EngineResults, params: SearchParams) -> dict[str, list[FacetCount]]:
    selected = {
        "year": str(params.year or ""),
        "source": params.source,
        "official": str(params.official or ""),
        "place": params.place,
    }
    facets: dict[str, list[FacetCount]] = {}
    for name in FACETS:
        groups = results.facets.get(name, {})
        if name == "year":
            ordered = sorted(groups.items(), key=lambda item: item[0], reverse=True)
        else:
            ordered = sorted(groups.items(), key=lambda item: (-item[1], item[0]))[:FACET_LIMIT]
        facets[name] = [
            FacetCount(value=value, label=value, count=count, selected=value == selected[name])
            for value, count in ordered
        ]
    _label_officials(facets["official"])
    for name in ("place", "source"):
        facets[name] = [
            FacetCount(
                value=c.value,
                label=name_in_language(kind=name, name_ar=c.value),
                count=c.count,
                selected=c.selected,
            )
            for c in facets[name]
        ]
    return facets


def _label_officials(counts: list[FacetCount]) -> None:
    ids = [int(c.value) for c in counts if c.value.isdigit()]
    if not ids:
        return
    english = is_english()
    names = {
        official.pk: (official.name_en if english and official.name_en else official.name_ar)
        for official in Official.objects.filter(pk__in=ids).only("name_ar", "name_en")
    }
    for index, count in enumerate(counts):
        if count.value.isdigit() and int(count.value) in names:
            counts[index] = FacetCount(
                value=count.value, label=names[int(count.value)], count=count.count, selected=count.selected
            )


def article_search_all_ids(*, params: SearchParams, limit: int = EXPORT_LIMIT) -> list[int]:
    """The ids of every matching visible article in result order (not only one page), at most `limit`."""
    built = _understand(params)
    query = Every() if not params.q.strip() else built.query
    if query is None:
        return []
    limit = max(1, min(limit, EXPORT_LIMIT))
    with search_budget(seconds=_budget_seconds()):
        results, _relaxed = _search(query, built.any_query, params=params, limit=limit, facets=False)
    ids = [pk for pk, _score in results.hits[:limit]]
    visible = set(Article.objects.visible().filter(pk__in=ids).values_list("pk", flat=True))
    return [pk for pk in ids if pk in visible]


def highlight_text(*, text: str, query: str, mode: str = "stemmed") -> SafeString:
    """`text` escaped, with the words matching `query` (as the search understands it) in <mark>."""
    if mode not in MODES:
        mode = "stemmed"
    built = _understand(SearchParams(q=query[:500], mode=mode))
    return highlight_all(text, Matcher(built.units, mode))


def more_like_this(*, article: Article, limit: int = 5) -> list[Article]:
    """Visible articles about the same things: the article's most distinctive words, searched together."""
    # One more than shown: an article hidden since it was indexed is left out below.
    ids = search_engine().related(article=article, limit=limit + 1)
    articles = Article.objects.visible().in_bulk(ids)
    return [articles[pk] for pk in ids if pk in articles][:limit]
