"""Statements and agenda topics: recording what `said` and `agenda` read, and the queries pages use.

Like officials and meetings, extraction only creates and replaces proposals: a statement or a meeting topic
an editor approved, rejected or edited stays as it is when its article is read again (and a rejected one is
not proposed again).
"""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from archive.articles.models import Article
from archive.entities.errors import ParamError
from archive.entities.models import (
    Institution,
    Meeting,
    MeetingTopic,
    Mention,
    Official,
    ReviewStatus,
    Statement,
    Topic,
)
from archive.entities.reading.agenda import compile_vocabulary, find_topics
from archive.entities.reading.extraction import Extraction
from archive.entities.reading.said import StatementFound, may_report_speech, read_statements
from archive.entities.reading.sentences import split_sentences
from archive.text.arabic import name_key, normalize


def _offsets(article: Article, paragraphs: list[str]) -> list[int]:
    """Where each paragraph starts in the stored body (-1 when it cannot be found there)."""
    body = article.body or ""
    out, cursor = [], 0
    for paragraph in paragraphs:
        at = body.find(paragraph, cursor)
        out.append(at)
        if at >= 0:
            cursor = at + len(paragraph)
    return out


class NewRows:
    """The mentions and statements of articles just inserted, to be inserted together (an ingest batch):
    one INSERT each instead of two per article. Recording a fresh article never reads them back (it has
    no earlier records to compare with); what else reads mentions meanwhile (an official's articles, for
    the index) misses these until the insert, and the batch's new articles are in the outbox anyway."""

    def __init__(self) -> None:
        self.mentions: list[Mention] = []
        self.statements: list[Statement] = []

    def mark(self) -> tuple[int, int]:
        return len(self.mentions), len(self.statements)

    def drop_since(self, mark: tuple[int, int]) -> None:
        """Forget what was added after `mark` (its article's savepoint rolled back)."""
        del self.mentions[mark[0] :], self.statements[mark[1] :]

    def insert(self) -> None:
        Mention.objects.bulk_create(self.mentions)
        Statement.objects.bulk_create(self.statements)
        self.mentions, self.statements = [], []


def institution_for(*, name: str) -> Institution:
    key = name_key(name)
    institution = Institution.objects.filter(key=key).first()
    if institution is None:
        institution = Institution.objects.create(name_ar=name.strip(), key=key)
    return institution


def article_record_statements(
    *,
    article: Article,
    paragraphs: list[str],
    extraction: Extraction,
    officials: list[Official | None],
    meetings: list[Meeting | None],
    fresh: bool = False,
    new_rows: NewRows | None = None,
) -> None:
    """Record the statements and the meetings' agenda topics of one article (inside its transaction).

    `officials` and `meetings` are aligned with `extraction.persons` and `extraction.meetings`: the
    records they were stored as (None where nothing was stored). The statements of a `fresh` article go
    to `new_rows` when given, for its caller to insert.
    """
    rows = _statements(article, paragraphs, extraction, officials, meetings, fresh=fresh)
    if fresh and new_rows is not None:
        new_rows.statements.extend(rows)
    else:
        Statement.objects.bulk_create(rows)
    _record_topics(article, paragraphs, extraction, meetings, fresh=fresh)


def statements_read(*, paragraphs: list[str], extraction: Extraction) -> list[StatementFound]:
    """The statements `extraction`'s text reports, from the words it read: pure computation, no database
    (ingest runs it in its worker processes, with the rest of the reading)."""
    if not extraction.sentences or not may_report_speech(
        paragraphs=paragraphs, sentences=extraction.sentences
    ):
        return []  # nobody is named in it (no role word, no known name): nobody to quote
    return read_statements(
        paragraphs=paragraphs,
        persons=extraction.persons,
        reference=extraction.reference_date,
        sentences=extraction.sentences,
        paragraph_offset=1 if extraction.has_title else 0,
    )


def _statements(article, paragraphs, extraction, officials, meetings, *, fresh: bool) -> list[Statement]:
    """The article's statements to insert (earlier proposals of a changed article deleted first)."""
    kept: set[tuple[int, int]] = set()
    if not fresh:
        Statement.objects.filter(article=article, status=ReviewStatus.PROPOSED, curated=False).delete()
        kept = set(Statement.objects.filter(article=article).values_list("start", "end"))
    found = extraction.statements
    if found is None:
        found = statements_read(paragraphs=paragraphs, extraction=extraction)
    if not found:
        return []
    offsets = _offsets(article, paragraphs)
    attended = {
        meeting.pk: meeting
        for meeting, m in zip(meetings, extraction.meetings, strict=True)
        if meeting is not None and meeting.status != ReviewStatus.REJECTED
    }
    participants: dict[int, set[int]] = {}
    for meeting, m in zip(meetings, extraction.meetings, strict=True):
        if meeting is not None and meeting.pk in attended:
            for index in m.participants:
                if officials[index] is not None:
                    participants.setdefault(officials[index].pk, set()).add(meeting.pk)
    rows = []
    taken = set(kept)
    for statement in found:
        base = offsets[statement.paragraph]
        if base < 0:
            continue
        start, end = base + statement.start, base + statement.end
        if (start, end) in taken or any(s == start for s, _e in taken):
            continue
        taken.add((start, end))
        official = officials[statement.speaker] if statement.speaker is not None else None
        institution = institution_for(name=statement.institution) if statement.institution else None
        if official is None and institution is None:
            continue
        at = participants.get(official.pk, set()) if official is not None else set()
        rows.append(
            Statement(
                article=article,
                official=official,
                institution=institution,
                meeting=attended[min(at)] if len(at) == 1 else None,
                text=statement.text,
                text_norm=normalize(statement.text),
                start=start,
                end=end,
                verb=statement.verb,
                direct=statement.direct,
                date=statement.date or article.published_on,
                sentence=statement.sentence,
            )
        )
    return rows


def topic_vocabulary() -> tuple[dict[tuple[str, ...], str], dict[str, Topic]]:
    topics = {t.key: t for t in Topic.objects.order_by()}
    return compile_vocabulary({key: t.triggers for key, t in topics.items()}), topics


def _record_topics(article, paragraphs, extraction, meetings, *, fresh: bool) -> None:
    if not fresh:
        MeetingTopic.objects.filter(article=article, status=ReviewStatus.PROPOSED, curated=False).delete()
    stored = [(m, found) for m, found in zip(meetings, extraction.meetings, strict=True) if m is not None]
    stored = [(m, f) for m, f in stored if m.status == ReviewStatus.PROPOSED and not m.curated]
    if not stored:
        return
    table, topics = topic_vocabulary()
    sentences = extraction.sentences or split_sentences(
        ([article.title] if article.title else []) + paragraphs
    )
    by_sentence = {found.sentence: meeting for meeting, found in stored}
    primary = stored[0][0] if stored[0][1] is extraction.meetings[0] else None
    existing = set(
        MeetingTopic.objects.filter(meeting__in=[m for m, _f in stored]).values_list("meeting_id", "topic_id")
    )
    rows = []
    for found in find_topics(sentences=sentences, table=table):
        meeting = by_sentence.get(found.text, primary)
        topic = topics.get(found.key)
        if meeting is None or topic is None or (meeting.pk, topic.pk) in existing:
            continue
        existing.add((meeting.pk, topic.pk))
        rows.append(MeetingTopic(meeting=meeting, topic=topic, article=article, sentence=found.text))
    MeetingTopic.objects.bulk_create(rows)


def statement_mark_edited(*, statement: Statement) -> None:
    """An editor saved the statement by hand: ingest leaves it alone, its search text follows the edit."""
    statement.curated = True
    statement.text_norm = normalize(statement.text)


# Reading, for pages, the API and exports.


def statements_listed() -> QuerySet[Statement]:
    """Statements analysts see: not rejected, from visible articles, by speakers not rejected."""
    return (
        Statement.objects.exclude(status=ReviewStatus.REJECTED)
        .filter(article__is_visible=True)
        .exclude(official__status=ReviewStatus.REJECTED)
        .select_related("article", "official", "institution", "meeting")
        .order_by("-date", "-id")
    )


def statements_search(*, words: str = "", official_id: int | None = None) -> QuerySet[Statement]:
    """Statements whose text contains every word (any spelling), optionally by one official."""
    statements = statements_listed()
    for word in normalize(words).split()[:20]:
        statements = statements.filter(text_norm__contains=word)
    if official_id is not None:
        statements = statements.filter(Q(official_id=official_id) | Q(official__merged_into_id=official_id))
    return statements


STATEMENT_QUERY_CHARS = 500


# A parameter the statements search cannot use: the archive's one parameter error.
StatementParamError = ParamError


def statement_params(query) -> dict:
    """`q` (words the quote contains) and `official` (a speaker's id) from a query string, checked."""
    words = query.get("q", "").strip()
    if len(words) > STATEMENT_QUERY_CHARS:
        raise StatementParamError(
            "q", _("The parameter q is too long: at most %(n)d characters.") % {"n": STATEMENT_QUERY_CHARS}
        )
    official = query.get("official", "").strip()
    if official and not official.isdigit():
        raise StatementParamError(
            "official",
            _("The parameter official must be the number of an official, not %(value)s.")
            % {"value": official[:50]},
        )
    return {"words": words, "official_id": int(official) if official else None}


def official_statements(*, official: Official) -> QuerySet[Statement]:
    return statements_search(official_id=official.pk)


def meeting_topics_listed(*, meeting: Meeting) -> list[Topic]:
    rows = meeting.meeting_topics.exclude(status=ReviewStatus.REJECTED).select_related("topic")
    return [row.topic for row in rows.order_by("topic__key")]


CONTEXT_CHARS = 160


def statement_context(*, statement: Statement, chars: int = CONTEXT_CHARS) -> tuple[str, str, str]:
    """(before, quote, after): the quote as stored in the article body with up to `chars` characters of
    its paragraph on each side, cut at a word; the quote is the stored text when the body changed since."""
    body = statement.article.body or ""
    start, end = statement.start, statement.end
    if body[start:end] != statement.text:
        return "", statement.text, ""
    left = max(body.rfind("\n", 0, start) + 1, start - chars)
    right = body.find("\n", end)
    right = min(len(body) if right < 0 else right, end + chars)
    before, after = body[left:start], body[end:right]
    if left > 0 and body[left - 1] != "\n" and " " in before:
        before = "…" + before[before.index(" ") + 1 :]
    if right < len(body) and body[right] != "\n" and " " in after:
        after = after[: after.rindex(" ")] + "…"
    return before, body[start:end], after


__all__ = [
    "NewRows",
    "StatementParamError",
    "article_record_statements",
    "institution_for",
    "meeting_topics_listed",
    "official_statements",
    "statement_context",
    "statement_mark_edited",
    "statement_params",
    "statements_listed",
    "statements_search",
    "topic_vocabulary",
]
