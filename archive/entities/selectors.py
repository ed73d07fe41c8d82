"""Read-only queries of officials, meetings, mentions and statements behind the pages, feeds and exports,
each in a bounded number of SQL queries whatever the data size."""

import datetime
from collections.abc import Iterator

from django.db.models import Count, F, Max, Min, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf

from archive.articles.models import Article
from archive.articles.selectors import LIST_DEFERRED, article_list_queryset
from archive.entities.models import (
    Meeting,
    MeetingTopic,
    Mention,
    Official,
    ReviewStatus,
    Statement,
    listed_officials,
    visible_meetings,
)
from archive.entities.reading.dates import find_date
from archive.text.arabic import normalize

# Exports read their articles this many at a time, each chunk in a fixed number of queries.
EXPORT_CHUNK = 500


# Newest first with undated records last on every database (as the articles' NEWEST_ARTICLES).
NEWEST_MEETINGS = (F("date").desc(nulls_last=True), "-pk")


def meeting_queryset() -> QuerySet[Meeting]:
    """Meetings analysts see (not rejected), with their listed participants fetched in one more query."""
    participants = Official.objects.listed().order_by("name_ar")
    return (
        Meeting.objects.visible()
        .prefetch_related(Prefetch("participants", queryset=participants))
        .order_by(*NEWEST_MEETINGS)
    )


def archive_counts() -> dict[str, int]:
    return {
        "articles": Article.objects.visible().count(),
        "officials": Official.objects.listed().count(),
        "meetings": Meeting.objects.visible().count(),
    }


def article_mentions(*, article: Article) -> list[Mention]:
    return list(
        Mention.objects.filter(article=article, official__in=Official.objects.listed())
        .select_related("official")
        .order_by("-count", "official__name_ar")
    )


def article_meetings(*, article: Article) -> list[Meeting]:
    return list(meeting_queryset().filter(articles=article))


def official_roles(*, official: Official) -> list[dict]:
    """Each role the articles give the official, with the first and last article dates that give it."""
    return list(
        Mention.objects.filter(official=official, article__is_visible=True)
        .exclude(role_ar="")
        .values("role_ar")
        .annotate(
            first=Min("article__published_on"),
            last=Max("article__published_on"),
            articles=Count("article", distinct=True),
        )
        .order_by("first", "role_ar")
    )


def official_articles(*, official: Official, limit: int = 50) -> list[Article]:
    return list(article_list_queryset().filter(mentions__official=official).distinct()[:limit])


def official_counterparts(*, official: Official, limit: int = 10) -> list[Official]:
    """Who the official met most: other listed participants of the same meetings, with a meeting count."""
    meetings = Meeting.objects.visible().filter(participants=official)
    return list(
        Official.objects.listed()
        .filter(meetings__in=meetings)
        .exclude(pk=official.pk)
        .annotate(met=Count("meetings", distinct=True))
        .order_by("-met", "name_ar")[:limit]
    )


def official_list_queryset(*, name: str = "", english: bool = False) -> QuerySet[Official]:
    """Listed officials with article and meeting counts, in the alphabetical order of the page's language."""
    officials = Official.objects.listed()
    if name:
        officials = officials.filter(
            Q(name_ar__icontains=name)
            | Q(name_en__icontains=name)
            # Alias keys are normalised: أ/ا, ة/ه, diacritics and the like never stop a match.
            | Q(aliases__key__icontains=normalize(name), aliases__status=ReviewStatus.APPROVED)
            | Q(aliases__name__icontains=name, aliases__status=ReviewStatus.APPROVED)
        ).distinct()
    # Two joined counts would multiply each other: distinct counts keep them right in one query.
    if english:
        # English pages show the curated English name, or the Arabic one while none is curated.
        officials = officials.annotate(sort_name=Coalesce(NullIf("name_en", Value("")), "name_ar"))
    return officials.annotate(
        mention_count=Count("mentions__article", distinct=True),
        meeting_count=Count("meetings", distinct=True, filter=~Q(meetings__status=ReviewStatus.REJECTED)),
    ).order_by(*(["sort_name"] if english else []), "name_ar", "pk")


HIT_OFFICIAL_FIELDS = ("id", "name_ar", "name_en", "status")
HIT_MEETING_FIELDS = ("id", "kind", "date", "place_ar", "place_en", "status")


def hit_entities(*, article_ids: list[int]) -> dict[int, dict[str, list]]:
    """For each article of a result page, the listed officials it mentions and the meetings it reports
    (not rejected), in two queries whatever the page size."""
    found: dict[int, dict[str, list]] = {pk: {"officials": [], "meetings": []} for pk in article_ids}
    # Only what a result row shows of each record: a page has some thirty of them, and a meeting's
    # provenance (JSON) would be read and decoded for nothing.
    mentions = (
        Mention.objects.filter(listed_officials("official__"), article_id__in=article_ids)
        .select_related("official")
        .only("article_id", *(f"official__{name}" for name in HIT_OFFICIAL_FIELDS))
        .order_by("-count", "official__name_ar")
    )
    for mention in mentions:
        found[mention.article_id]["officials"].append(mention.official)
    reports = Meeting.articles.through.objects.filter(
        visible_meetings("meeting__"), article_id__in=article_ids
    ).select_related("meeting")
    reports = reports.only("article_id", *(f"meeting__{name}" for name in HIT_MEETING_FIELDS))
    for report in reports.order_by("meeting__date", "meeting_id"):
        found[report.article_id]["meetings"].append(report.meeting)
    return found


def official_evidence(*, official: Official, limit: int = 10) -> list[Mention]:
    """The sentences that name the official, from the articles that mention them most."""
    return list(
        Mention.objects.filter(official=official, article__is_visible=True)
        .exclude(sentence="")
        .select_related("article")
        .defer(*(f"article__{name}" for name in LIST_DEFERRED))
        .order_by("-count", "-article__published_on", "pk")[:limit]
    )


def meeting_evidence(*, meeting: Meeting) -> list[dict]:
    """The sentences a meeting was read from, each with its visible article and what it gave: a list of
    field names ("sources", "kind", "date", "place") and the participants it named."""
    provenance = meeting.provenance or {}
    articles = {a.pk: a for a in article_list_queryset().filter(meetings=meeting)}
    participants = {str(p.pk): p for p in meeting.participants.all()}
    rows: dict[tuple[int, str], dict] = {}

    def row(entry: dict) -> dict | None:
        if entry.get("article") not in articles or not entry.get("sentence"):
            return None
        key = (entry["article"], entry["sentence"])
        if key not in rows:
            rows[key] = {
                "article": articles[entry["article"]],
                "sentence": entry["sentence"],
                "fields": [],
                "officials": [],
            }
        return rows[key]

    for field in ("sources", "kind", "date", "place"):
        for entry in provenance.get(field, []):
            if (found := row(entry)) is not None and field not in found["fields"]:
                found["fields"].append(field)
    for official_id, entries in provenance.get("participants", {}).items():
        for entry in entries:
            if official_id in participants and (found := row(entry)) is not None:
                found["officials"].append(participants[official_id])
    return list(rows.values())


def meeting_month(*, meeting: Meeting) -> datetime.date | None:
    """For a meeting without a day, the month its article gives ("last April"), resolved against the
    article's date; returned as that month's first day, for a month-and-year display only."""
    if meeting.date:
        return None
    entries = (meeting.provenance or {}).get("date", [])
    published = dict(
        Article.objects.filter(pk__in=[e.get("article") for e in entries]).values_list("pk", "published_on")
    )
    for entry in entries:
        found = find_date(entry.get("text") or "", reference=published.get(entry.get("article")))
        if found is not None and found.month is not None:
            return datetime.date(found.month[0], found.month[1], 1)
    return None


def articles_in_order(*, ids: list[int], chunk: int = EXPORT_CHUNK) -> Iterator[Article]:
    """Visible articles with these ids, in this order, with the officials they mention; bounded queries."""
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        found = with_statements(with_officials(Article.objects.visible())).in_bulk(part)
        for pk in part:
            if pk in found:
                yield found[pk]


def with_officials(articles: QuerySet) -> QuerySet:
    """Prefetch what ``mentioned_officials`` reads: one more query for any number of articles."""
    mentions = Mention.objects.select_related("official__merged_into").exclude(
        official__status=ReviewStatus.REJECTED
    )
    return articles.prefetch_related(Prefetch("mentions", queryset=mentions))


def with_statements(articles: QuerySet) -> QuerySet:
    """Prefetch what ``article_statements`` and ``article_topics`` read: three more queries per chunk."""
    statements = (
        Statement.objects.exclude(status=ReviewStatus.REJECTED)
        .select_related("official", "institution")
        .order_by("start")
    )
    topics = MeetingTopic.objects.exclude(status=ReviewStatus.REJECTED).select_related("topic")
    return articles.prefetch_related(
        Prefetch("statements", queryset=statements), Prefetch("meetings__meeting_topics", queryset=topics)
    )


def article_statements(article: Article) -> list[dict]:
    rows = []
    for statement in article.statements.all():
        speaker = statement.official or statement.institution
        rows.append(
            {
                "speaker_ar": speaker.name_ar if speaker else "",
                "speaker_en": speaker.name_en if speaker else "",
                "official": statement.official_id,
                "text": statement.text,
                "direct": statement.direct,
                "date": statement.date.isoformat() if statement.date else None,
            }
        )
    return rows


def article_topics(article: Article) -> list[str]:
    """The English keys of the agenda topics of the meetings the article reports."""
    keys = {row.topic.key for meeting in article.meetings.all() for row in meeting.meeting_topics.all()}
    return sorted(keys)


def mentioned_officials(article: Article) -> list[Official]:
    """The officials an article names, most mentioned first: an official merged into another counts as that
    other one, and officials an editor rejected are left out (prefetch with ``with_officials``)."""
    officials: dict[int, Official] = {}
    for mention in article.mentions.all():
        official = mention.official.merged_into or mention.official
        if official.status != ReviewStatus.REJECTED:
            officials.setdefault(official.pk, official)
    return list(officials.values())
