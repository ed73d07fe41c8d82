"""Home, article, official and meeting pages: thin views over the selectors and the search service."""

import datetime

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.translation import gettext as _

from archive.articles.models import Article
from archive.articles.selectors import article_list_queryset
from archive.entities import selectors
from archive.entities.bilingual import arabic_names, is_english, name_in_language
from archive.entities.models import Meeting, Official, ReviewStatus
from archive.entities.statements import meeting_topics_listed, official_statements
from archive.search.service import MODES, highlight_text, more_like_this
from archive.text.arabic import normalize
from archive.web.figures import chart_graph_context, chart_meetings_context
from archive.web.forms import MeetingFilterForm, OfficialFilterForm
from archive.web.presenters import long_date
from archive.web.views.statements import meetings_with_topic, topic_facet

HOME_LATEST = 10
HOME_MEETINGS = 8
RELATED_ARTICLES = 5
MEETINGS_PER_PAGE = 25
OFFICIALS_PER_PAGE = 50
OFFICIAL_STATEMENTS = 50


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "counts": selectors.archive_counts(),
        "latest": article_list_queryset()[:HOME_LATEST],
        "meetings": selectors.meeting_queryset()[:HOME_MEETINGS],
        "chart": chart_meetings_context(by="year"),
    }
    return render(request, "web/home.html", context)


def _absolute_url(*, request: HttpRequest, path: str) -> str:
    """`path` on the archive's public address (DIWAN_SITE_URL), or on the address the request came to."""
    if settings.DIWAN_SITE_URL:
        return settings.DIWAN_SITE_URL + path
    return request.build_absolute_uri(path)


def _citation(*, request: HttpRequest, article: Article, language: str) -> dict[str, str]:
    """A citation in one language, with the permalink of that language's page."""
    with translation.override(language):
        url = _absolute_url(request=request, path=reverse("web:article", kwargs={"pk": article.pk}))
        published = long_date(article.published_on) or _("undated")
        accessed = long_date(datetime.date.today())
        # The source in the citation's language when the table knows it (TASS in English, تاس in Arabic).
        source = name_in_language(kind="source", name_ar=article.source, language=language)
        source = source or article.publisher or _("unknown source")
        available = _("Available at")
        seen = _("accessed")
        # Every data part is isolated (<bdi dir="auto">: its own direction, whatever the sentence's), so
        # an Arabic headline in the English citation neither reorders nor drags the punctuation with it;
        # dates are in the citation's language; format_html escapes.
        if language == "ar":
            pattern = (
                '<bdi dir="auto">{}</bdi>، «<bdi dir="auto">{}</bdi>»، <bdi>{}</bdi>. {}: '
                '<bdi dir="ltr">{}</bdi> ({} <bdi>{}</bdi>).'
            )
        else:
            pattern = (
                '<bdi dir="auto">{}</bdi>. "<bdi dir="auto">{}</bdi>." <bdi dir="ltr">{}</bdi>. {}: '
                '<bdi dir="ltr">{}</bdi> ({} <bdi dir="ltr">{}</bdi>).'
            )
        text = format_html(pattern, source, article.headline, published, available, url, seen, accessed)
    return {"language": language, "text": text, "url": url}


def _highlighted_blocks(*, article: Article, query: str, mode: str) -> list[dict]:
    """The article's blocks, with the search terms marked when the reader came from a search."""
    blocks = article.blocks or [{"kind": "paragraph", "text": p} for p in article.body.split("\n\n") if p]
    if not query:
        return [{"kind": b.get("kind"), "html": escape(b.get("text", ""))} for b in blocks]
    # highlight_text escapes the text itself and only then adds <mark>.
    return [
        {"kind": b.get("kind"), "html": highlight_text(text=b.get("text", ""), query=query, mode=mode)}
        for b in blocks
    ]


def _related(*, article: Article) -> list[Article]:
    return more_like_this(article=article, limit=RELATED_ARTICLES)


def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.visible(), pk=pk)
    query = request.GET.get("q", "").strip()[:500]
    # The strictness the search used, so the same words are marked here as in its snippets.
    mode = request.GET.get("mode", "") if request.GET.get("mode", "") in MODES else "stemmed"
    context = {
        "article": article,
        "query": query,
        "mode": mode,
        "blocks": _highlighted_blocks(article=article, query=query, mode=mode),
        "headline": highlight_text(text=article.headline, query=query, mode=mode)
        if query
        else article.headline,
        "mentions": selectors.article_mentions(article=article),
        "meetings": selectors.article_meetings(article=article),
        "related": _related(article=article),
        "citations": [_citation(request=request, article=article, language=lang) for lang in ("ar", "en")],
    }
    return render(request, "web/article.html", context)


def _roles_in_language(*, official: Official, roles: list[dict]) -> list[dict]:
    """Each role with the label an English page shows: the official's curated English role when the
    article's wording is that role (وزير الخارجية الروسي for وزير الخارجية), else the Arabic as written."""
    curated = normalize(official.role_ar).strip()
    for role in roles:
        same = bool(curated) and normalize(role["role_ar"]).strip().startswith(curated)
        role["label_en"] = official.role_en if same and official.role_en else ""
    return roles


def official_detail(request: HttpRequest, pk: int) -> HttpResponse:
    official = get_object_or_404(Official.objects.exclude(status=ReviewStatus.REJECTED), pk=pk)
    if official.merged_into_id:
        # An editor merged this official: old links land on the survivor.
        return redirect("web:official", pk=official.merged_into_id, permanent=True)
    context = {
        "official": official,
        "aliases": list(official.aliases.exclude(status=ReviewStatus.REJECTED).order_by("script", "name")),
        "roles": _roles_in_language(official=official, roles=selectors.official_roles(official=official)),
        "meetings": list(selectors.meeting_queryset().filter(participants=official)),
        "articles": selectors.official_articles(official=official),
        "counterparts": selectors.official_counterparts(official=official),
        "evidence": selectors.official_evidence(official=official),
        "graph": chart_graph_context(official_id=official.pk),
        "statements": list(official_statements(official=official)[:OFFICIAL_STATEMENTS]),
    }
    return render(request, "web/official.html", context)


def official_list(request: HttpRequest) -> HttpResponse:
    form = OfficialFilterForm(request.GET or None)
    name = form.cleaned_data["name"].strip() if form.is_valid() else ""
    english = is_english()
    officials = selectors.official_list_queryset(name=name, english=english)
    paginator = Paginator(officials, OFFICIALS_PER_PAGE, orphans=5)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "web/official_list.html", {"form": form, "page": page, "name": name})


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(selectors.meeting_queryset(), pk=pk)
    context = {
        "meeting": meeting,
        "articles": list(article_list_queryset().filter(meetings=meeting)),
        "topics": meeting_topics_listed(meeting=meeting),
        "evidence": selectors.meeting_evidence(meeting=meeting),
        "month": selectors.meeting_month(meeting=meeting),
    }
    return render(request, "web/meeting.html", context)


def meeting_list(request: HttpRequest) -> HttpResponse:
    participants = Official.objects.listed().filter(meetings__isnull=False).distinct().order_by("name_ar")
    form = MeetingFilterForm(request.GET or None, officials=participants)
    meetings = selectors.meeting_queryset().annotate(
        article_count=Count("articles", filter=Q(articles__is_visible=True), distinct=True)
    )
    filters = form.cleaned_data if form.is_valid() else {}
    if filters.get("year"):
        meetings = meetings.filter(date__year=filters["year"])
    if filters.get("official"):
        meetings = meetings.filter(participants=filters["official"])
    if filters.get("place"):
        place = filters["place"].strip()
        # An English place name also finds the meetings whose place only the Arabic name records.
        meetings = meetings.filter(
            Q(place_ar__icontains=place)
            | Q(place_en__icontains=place)
            | Q(place_ar__in=arabic_names(kind="place", name_en=place))
        )
    if filters.get("kind"):
        meetings = meetings.filter(kind=filters["kind"])
    topic = request.GET.get("topic", "").strip()[:50]
    meetings = meetings_with_topic(meetings, topic)
    paginator = Paginator(meetings.distinct(), MEETINGS_PER_PAGE, orphans=3)
    page = paginator.get_page(request.GET.get("page"))
    years = Meeting.objects.visible().dates("date", "year", order="DESC")
    context = {"form": form, "page": page, "years": years, "graph": chart_graph_context()}
    context["topics"] = topic_facet(meetings, topic)
    return render(request, "web/meeting_list.html", context)
