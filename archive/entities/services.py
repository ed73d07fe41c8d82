"""Officials and meetings: recording what extraction finds, and the helpers search uses.

Extraction only creates and updates proposals: anything an editor decided (approved, rejected, edited or
merged) is left as it is, and merged officials resolve to the one they were merged into.
"""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q

from archive.articles.models import Article
from archive.entities.curation import official_survivor
from archive.entities.models import Meeting, Mention, Official, OfficialAlias, ReviewStatus
from archive.entities.reading.extraction import Extraction, extract, may_name_officials
from archive.entities.reading.meetings import MeetingFound
from archive.entities.reading.sentences import bounded_paragraph
from archive.entities.registry import ExtractionContext
from archive.entities.resolution import known_names, official_resolve
from archive.entities.statements import NewRows, article_record_statements, statements_read
from archive.text.arabic import name_key


def article_paragraphs(*, article: Article) -> list[str]:
    return paragraphs_of(blocks=article.blocks, body=article.body)


def paragraphs_of(*, blocks: list[dict[str, str]] | None, body: str) -> list[str]:
    """The paragraphs extraction reads, each cut to `text.MAX_PARAGRAPH_CHARS`."""
    if blocks:
        return [bounded_paragraph(block["text"]) for block in blocks]
    return [bounded_paragraph(line.strip()) for line in body.splitlines() if line.strip()]


def article_extraction(*, article: Article, context: ExtractionContext | None = None) -> Extraction:
    names = context.known_names() if context is not None else known_names()
    return article_text_extract(
        title=article.title,
        paragraphs=article_paragraphs(article=article),
        published_on=article.published_on,
        known_names=names,
    )


def article_text_extract(
    *, title: str, paragraphs: list[str], published_on: dt.date | None, known_names: dict[str, str]
) -> Extraction:
    """What `article_extract_entities` records, read from the text alone: a pure function, no database
    (ingest runs it in worker processes, and outside any transaction)."""
    if not may_name_officials(title=title, paragraphs=paragraphs, known_names=known_names):
        # No role word and no known name: nobody can be named, and one search replaces reading it all.
        return Extraction(persons=[], meetings=[], reference_date=published_on, statements=[])
    extraction = extract(
        title=title, paragraphs=paragraphs, reference_date=published_on, known_names=known_names
    )
    extraction.statements = statements_read(paragraphs=paragraphs, extraction=extraction)
    if not extraction.meetings:
        # Only the meetings' topics read the words again: an ingest's workers need not send them back.
        extraction.sentences = []
    return extraction


def article_extract_entities(
    *,
    article: Article,
    context: ExtractionContext | None = None,
    fresh: bool = False,
    extraction: Extraction | None = None,
    new_rows: NewRows | None = None,
) -> None:
    """Find the officials and meetings an article reports and record them as proposals.

    Called by the ingest pipeline inside the article's transaction. Running it again on the same article
    gives the same records, and leaves every editor's decision as it was. `context` is the registry read
    once per run (see `registry.ExtractionContext`; read afresh when not given); `fresh` says the article
    has no mentions or meetings yet (just inserted, say), so there are no earlier records to look up;
    `extraction` is `article_extraction` of this article computed beforehand (outside the transaction);
    `new_rows` collects a fresh article's mentions and statements for the caller to insert.
    """
    context = context or ExtractionContext()
    if extraction is None:
        extraction = article_extraction(article=article, context=context)
    paragraphs = article_paragraphs(article=article)
    if fresh and not extraction.persons:
        article_record_statements(
            article=article,
            paragraphs=paragraphs,
            extraction=extraction,
            officials=[],
            meetings=[],
            fresh=True,
            new_rows=new_rows,
        )
        return
    before = set() if fresh else set(article.mentions.values_list("official_id", flat=True))
    officials = [official_resolve(person=person, context=context) for person in extraction.persons]
    mentions = _mentions(article, extraction, officials, fresh=fresh)
    if fresh and new_rows is not None:
        new_rows.mentions.extend(mentions)
    else:
        Mention.objects.bulk_create(mentions)
    meetings = _record_meetings(article, extraction, officials, fresh=fresh)
    article_record_statements(
        article=article,
        paragraphs=paragraphs,
        extraction=extraction,
        officials=officials,
        meetings=meetings,
        fresh=fresh,
        new_rows=new_rows,
    )
    _drop_orphans(before - {o.pk for o in officials if o is not None}, context)


def _drop_orphans(official_ids: set[int], context: ExtractionContext) -> None:
    """Proposals that a changed article no longer supports and nothing else refers to."""
    if not official_ids:
        return
    orphans = (
        Official.objects.filter(
            pk__in=official_ids,
            status=ReviewStatus.PROPOSED,
            curated=False,
            mentions__isnull=True,
            meetings__isnull=True,
        )
        .exclude(aliases__status=ReviewStatus.APPROVED)
        .exclude(merged_from__isnull=False)
    )
    ids = set(orphans.values_list("pk", flat=True))
    if ids:
        Official.objects.filter(pk__in=ids).delete()
        context.forget(ids)


def _mentions(
    article: Article, extraction: Extraction, officials: list[Official | None], *, fresh: bool
) -> list[Mention]:
    """The article's mentions to insert (the earlier ones of a changed article deleted first)."""
    if not fresh:
        Mention.objects.filter(article=article).delete()
    mentions: dict[int, Mention] = {}
    for person, official in zip(extraction.persons, officials, strict=True):
        if official is None:
            continue
        if official.pk in mentions:
            mentions[official.pk].count += person.count
            continue
        mentions[official.pk] = Mention(
            article=article,
            official=official,
            surface=person.name,
            role_ar=person.role.post_ar if person.role else "",
            count=person.count,
            sentence=person.sentence,
        )
    return list(mentions.values())


def _source(article: Article, sentence: str, **extra: str) -> dict:
    return {"article": article.pk, "sentence": sentence, **extra}


def _overlap(a: set[int], b: set[int]) -> bool:
    return len(a & b) >= min(2, len(a), len(b)) > 0


def _find_meeting(found: MeetingFound, ids: set[int], linked: list[Meeting]) -> Meeting | None:
    def fits(meeting: Meeting) -> bool:
        if (meeting.kind == Meeting.Kind.INTERVIEW) != (found.kind == Meeting.Kind.INTERVIEW):
            return False
        return _overlap({p.pk for p in meeting.participants.all()}, ids)

    same_article = [m for m in linked if m.date == found.date and fits(m)]
    if same_article:
        return same_article[0]
    if found.date is None:
        return None
    others = Meeting.objects.filter(date=found.date).prefetch_related("participants")
    return next((m for m in others if fits(m)), None)


def _record_meetings(
    article: Article, extraction: Extraction, officials: list[Official | None], *, fresh: bool
) -> list[Meeting | None]:
    """The meetings stored, aligned with `extraction.meetings` (None where none was)."""
    linked = [] if fresh else list(article.meetings.prefetch_related("participants"))
    kept: set[int] = set()
    stored: list[Meeting | None] = []
    for found in extraction.meetings:
        people = [officials[i] for i in found.participants if officials[i] is not None]
        people = list({o.pk: o for o in people}.values())
        stored.append(None)
        if not people:
            continue
        meeting = _find_meeting(found, {o.pk for o in people}, linked)
        if meeting is not None:
            kept.add(meeting.pk)
            stored[-1] = meeting
            if meeting.status == ReviewStatus.REJECTED:
                continue
            if meeting.curated or meeting.status == ReviewStatus.APPROVED:
                # An editor's record: another report of it is linked, nothing else changes.
                meeting.articles.add(article)
                continue
        else:
            meeting = Meeting(kind=found.kind, date=found.date)
        _fill_meeting(meeting, found, article, people, officials)
        kept.add(meeting.pk)
        stored[-1] = meeting
    for meeting in linked:
        if meeting.pk in kept or meeting.curated or meeting.status != ReviewStatus.PROPOSED:
            continue
        meeting.articles.remove(article)
        if meeting.articles.exists():
            meeting.provenance = _without_article(meeting.provenance, article.pk)
            meeting.save()
        else:
            meeting.delete()
    return stored


def _fill_meeting(
    meeting: Meeting,
    found: MeetingFound,
    article: Article,
    people: list[Official],
    officials: list[Official | None],
) -> None:
    if meeting.date is None and found.date is not None:
        meeting.date = found.date
    if not meeting.place_ar and found.place_ar:
        meeting.place_ar, meeting.place_en = found.place_ar, found.place_en
    provenance = _without_article(meeting.provenance or {}, article.pk)
    provenance.setdefault("sources", []).append(_source(article, found.sentence))
    provenance.setdefault("kind", []).append(_source(article, found.sentence, value=found.kind))
    if found.date_sentence:
        provenance.setdefault("date", []).append(_source(article, found.date_sentence, text=found.date_text))
    if found.place_sentence:
        provenance.setdefault("place", []).append(_source(article, found.place_sentence))
    by_official = provenance.setdefault("participants", {})
    for index in found.participants:
        official = officials[index]
        if official is not None:
            sentence = found.participant_sentences.get(index, found.sentence)
            by_official.setdefault(str(official.pk), []).append(_source(article, sentence))
    meeting.provenance = provenance
    meeting.full_clean()
    meeting.save()
    meeting.articles.add(article)
    meeting.participants.add(*people)


def _without_article(provenance: dict, article_id: int) -> dict:
    """Provenance minus one article's entries (before that article's extraction is recorded again)."""
    out: dict = {}
    for field, value in (provenance or {}).items():
        if isinstance(value, list):
            out[field] = [v for v in value if v.get("article") != article_id]
        elif isinstance(value, dict):
            out[field] = {
                k: [v for v in items if v.get("article") != article_id] for k, items in value.items()
            }
        else:
            out[field] = value
    return out


# Search helpers: only approved spellings expand a query.


def official_alias_keys() -> dict[str, int]:
    """Normalised approved spelling -> id of the (surviving, listed) official it names."""
    out: dict[str, int] = {}
    aliases = OfficialAlias.objects.filter(status=ReviewStatus.APPROVED).select_related("official")
    for alias in aliases:
        official = official_survivor(official=alias.official)
        if official.status != ReviewStatus.REJECTED:
            out[alias.key] = official.pk
    return out


def aliases_matching(*, text: str) -> list[Official]:
    """Officials one of whose approved spellings occurs in `text` as whole words (e.g. a query)."""
    words = name_key(text).split()
    if not words:
        return []
    padded = f" {' '.join(words)} "
    ids: list[int] = []
    for key, official_id in official_alias_keys().items():
        if f" {key} " in padded and official_id not in ids:
            ids.append(official_id)
    by_id = Official.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def approved_spellings(*, official_ids: Iterable[int]) -> dict[int, list[str]]:
    """Every approved spelling (Arabic and Latin) of these officials, and of those merged into them."""
    ids = list(official_ids)
    out: dict[int, list[str]] = {i: [] for i in ids}
    aliases = OfficialAlias.objects.filter(
        Q(official_id__in=ids) | Q(official__merged_into_id__in=ids), status=ReviewStatus.APPROVED
    ).select_related("official")
    for alias in aliases.order_by("official_id", "name"):
        owner = alias.official_id if alias.official_id in out else alias.official.merged_into_id
        if alias.name not in out[owner]:
            out[owner].append(alias.name)
    return out
