"""The ingest pipeline: read sources, parse, de-duplicate, save articles, extract officials and meetings,
and bring the search index in step. Commands and tests call these."""

import hashlib
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from archive.articles.changes import article_changes_pending_ids, article_changes_record
from archive.articles.jsonl import IncomingArticle
from archive.articles.models import Article
from archive.articles.parsing import ParsedArticle
from archive.entities.models import Meeting, Mention
from archive.entities.registry import ExtractionContext
from archive.entities.services import article_extract_entities
from archive.ingest.sources import (
    IngestFailure,
    count_items,
    expand_paths,
    read_inputs,
)
from archive.search.indexing import search_index_rebuild, search_index_sync
from archive.text.arabic import fold_digits

logger = logging.getLogger(__name__)

# Articles per database transaction; each article still gets its own savepoint, so one bad article is
# rolled back alone while the batch saves a commit (and an fsync) per article on large imports.
BATCH_SIZE = 500

Progress = Callable[[int, int | None], None]
_INDIC_DIGIT = re.compile("[\u0660-\u0669\u06f0-\u06f9]")


@dataclass
class IngestSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    failed: list[IngestFailure] = field(default_factory=list)
    changed_ids: list[int] = field(default_factory=list)
    dry_run: bool = False


@dataclass
class ExtractSummary:
    done: int = 0
    failed: list[IngestFailure] = field(default_factory=list)


def article_content_hash(*, parsed: ParsedArticle) -> str:
    """SHA-256 of the article's normalised content: layout, encoding, BOM, line endings and digit shapes
    (Windows-1256 has no Arabic-Indic digits) do not change it; any change of wording or metadata does."""
    parts = [
        parsed.title,
        parsed.published_on.isoformat() if parsed.published_on else "",
        parsed.source,
        parsed.photo_credit,
        parsed.publisher,
        parsed.url,
        parsed.language,
        *(f"{block['kind']}:{block['text']}" for block in parsed.blocks),
    ]
    canonical = unicodedata.normalize("NFC", "\x1f".join(parts))
    if _INDIC_DIGIT.search(canonical):  # a cheap test first: translating every text is not
        canonical = fold_digits(canonical)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def articles_ingest(
    *,
    paths: Iterable[Path | str],
    fmt: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    extract: bool = True,
    index: bool = True,
) -> IngestSummary:
    """Import text files, JSON Lines files and folders of them.

    Each article is written atomically (with its entity extraction); a bad file or line is reported in the
    summary and the others still go in. Articles are matched by origin (file name or external id): an
    unchanged hash is left alone, a changed one updates the article. With `dry_run` nothing is written.
    With `extract=False` officials and meetings are left for `articles_extract_entities` (large imports:
    load first, extract in a second pass); an updated article keeps its earlier entities until then.
    With `index=False` the search index is left as it was (for a `rebuild_search_index` afterwards).
    """
    summary = IngestSummary(dry_run=dry_run)
    # A dry run writes nothing, so what earlier batches would have stored is remembered here instead.
    unwritten: dict[str, str] | None = {} if dry_run else None
    sources = list(expand_paths(paths, fmt))
    total = count_items(sources) if progress else None
    done = 0
    # The officials registry is read once for the whole run, not once per article.
    context = ExtractionContext() if extract else None

    def tick() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    try:
        stream = read_inputs(sources)
        while batch := list(islice(stream, BATCH_SIZE)):
            items = []
            for entry in batch:
                if isinstance(entry, IngestFailure):
                    summary.failed.append(entry)
                    tick()
                else:
                    items.append(entry)
            _ingest_batch(items, summary, unwritten=unwritten, tick=tick, context=context)
    finally:
        # Also after an interruption: the committed batches are in the outbox, and so is whatever an
        # earlier run that was killed left there.
        if index and not dry_run:
            _index_pending()
    return summary


# When most of the archive waits for the index, building a fresh index beside the live one is several
# times faster than updating entries one by one (measured on the 31.5k-article corpus), and search stays up.
REBUILD_MIN_CHANGED = 1000


def _index_pending() -> None:
    pending = len(article_changes_pending_ids())
    if pending >= REBUILD_MIN_CHANGED and 2 * pending >= Article.objects.count():
        search_index_rebuild()
    elif pending:
        search_index_sync()


def articles_extract_entities(
    *, article_ids: Iterable[int] | None = None, progress: Progress | None = None
) -> ExtractSummary:
    """Find officials and meetings in stored articles (all of them, or these): the second pass after an
    `ingest --no-extract`, or a re-reading after the extraction rules changed.

    Same records and the same atomicity as during ingest: each article in its own savepoint (a failure is
    reported and rolls back that article alone), editors' decisions untouched, idempotent. The index
    entries of the articles whose officials or meetings changed are updated once, at the end.
    """
    queryset = Article.objects.order_by("pk")
    if article_ids is not None:
        queryset = queryset.filter(pk__in=list(article_ids))
    ids = list(queryset.values_list("pk", flat=True))
    summary = ExtractSummary()
    context = ExtractionContext()
    try:
        for start in range(0, len(ids), BATCH_SIZE):
            chunk = ids[start : start + BATCH_SIZE]
            _extract_batch(chunk, summary, context)
            if progress:
                progress(min(start + BATCH_SIZE, len(ids)), len(ids))
    finally:
        _index_pending()
    return summary


def _extract_batch(chunk: list[int], summary: ExtractSummary, context: ExtractionContext) -> None:
    """One transaction per batch, one savepoint per article."""
    # What extraction reads, not the stored original.
    articles = Article.objects.only("origin", "title", "body", "headings", "published_on").in_bulk(chunk)
    # Articles without any mention or meeting need no look-up of old records (the common case after
    # `ingest --no-extract`): two queries for the batch instead of two per article.
    had = set(Mention.objects.filter(article_id__in=chunk).values_list("article_id", flat=True))
    had |= set(
        Meeting.articles.through.objects.filter(article_id__in=chunk).values_list("article_id", flat=True)
    )
    context.check_decisions()
    with transaction.atomic():
        for pk in chunk:
            article = articles.get(pk)
            if article is None:
                continue  # deleted meanwhile
            try:
                with transaction.atomic():
                    article_extract_entities(article=article, context=context, fresh=pk not in had)
            except Exception as exc:  # any failure of one article is reported, and the others go on
                logger.exception("Entity extraction for %s failed", article.origin)
                context.invalidate()  # what the rolled-back savepoint wrote is gone again
                summary.failed.append(IngestFailure(article.origin, _failure_reason(exc)))
                continue
            summary.done += 1


def _ingest_batch(
    items: list[IncomingArticle],
    summary: IngestSummary,
    *,
    unwritten: dict[str, str] | None,
    tick: Callable[[], None],
    context: ExtractionContext | None,
) -> None:
    """`context`: the run's officials registry, None when entities are not extracted in this run."""
    """`unwritten` (dry runs only): origin -> hash of what earlier batches would have written."""
    if not items:
        return
    if context is not None:
        context.check_decisions()  # an editor's decision since the last batch is taken into account
    digests = [article_content_hash(parsed=item.parsed) for item in items]
    existing = Article.objects.in_bulk([item.origin for item in items], field_name="origin")
    owners = dict(Article.objects.filter(content_hash__in=digests).values_list("content_hash", "origin"))
    if unwritten is not None:
        unwritten_owners = {digest: origin for origin, digest in unwritten.items()}
        owners.update((d, unwritten_owners[d]) for d in digests if d in unwritten_owners)
        for item in items:
            if item.origin in unwritten and item.origin not in existing:
                placeholder = Article(origin=item.origin, content_hash=unwritten[item.origin])
                placeholder._state.adding = False
                existing[item.origin] = placeholder
    new: list[tuple[IncomingArticle, Article]] = []
    changed: list[tuple[IncomingArticle, Article]] = []
    for item, digest in zip(items, digests, strict=True):
        article = _prepare(item, digest, existing, owners, summary)
        if article is not None:
            (new if article._state.adding else changed).append((item, article))
        tick()
    if unwritten is not None:
        summary.created += len(new)
        summary.updated += len(changed)
        unwritten.update((article.origin, article.content_hash) for _item, article in new + changed)
        return
    with transaction.atomic():
        written = _insert_new(new, summary, context) + _save_each(changed, summary, context)
    summary.changed_ids.extend(written)


def _prepare(
    item: IncomingArticle,
    digest: str,
    existing: dict[str, Article],
    owners: dict[str, str],
    summary: IngestSummary,
) -> Article | None:
    """The article to write for this input (validated), or None when unchanged, duplicate or invalid."""
    current = existing.get(item.origin)
    if current is not None and current.content_hash == digest:
        summary.unchanged += 1
        return None
    owner = owners.get(digest)
    if owner is not None and owner != item.origin:
        # The same article under another name: the hash is what de-duplicates the archive.
        summary.duplicates.append((item.label, owner))
        return None

    article = current or Article(origin=item.origin)
    if current is None and item.visible is not None:
        article.is_visible = item.visible
    old_digest = article.content_hash
    _fill(article, item, digest)
    try:
        article.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        summary.failed.append(IngestFailure(item.label, _failure_reason(exc)))
        if current is not None:
            current.refresh_from_db()
        return None
    existing[item.origin] = article
    if owners.get(old_digest) == item.origin:
        del owners[old_digest]
    owners[digest] = item.origin
    return article


def _insert_new(
    new: list[tuple[IncomingArticle, Article]], summary: IngestSummary, context: ExtractionContext | None
) -> list[int]:
    """New articles in one INSERT, then each one's entity extraction in its own savepoint; an article
    whose extraction fails is deleted again, so that nothing of it stays half-written."""
    if not new:
        return []
    try:
        with transaction.atomic():
            Article.objects.bulk_create([article for _item, article in new])
            article_changes_record(article_ids=[article.pk for _item, article in new])  # no post_save
    except DatabaseError:
        # A row written meanwhile by someone else, say: one at a time, so that the culprit is named.
        for _item, article in new:
            article.pk, article._state.adding = None, True
        return _save_each(new, summary, context)
    if context is None:
        summary.created += len(new)
        return [article.pk for _item, article in new]
    ids = []
    for item, article in new:
        try:
            with transaction.atomic():
                article_extract_entities(article=article, context=context, fresh=True)
        except Exception as exc:  # any failure of one article is reported, and the others go on
            logger.exception("Entity extraction for %s failed", item.label)
            context.invalidate()  # what the rolled-back savepoint wrote is gone again
            summary.failed.append(IngestFailure(item.label, _failure_reason(exc)))
            Article.objects.filter(pk=article.pk).delete()
            continue
        summary.created += 1
        ids.append(article.pk)
    return ids


def _save_each(
    pairs: list[tuple[IncomingArticle, Article]], summary: IngestSummary, context: ExtractionContext | None
) -> list[int]:
    """One savepoint per article: its row and its entities are written together or not at all."""
    ids = []
    for item, article in pairs:
        adding = article.pk is None
        try:
            with transaction.atomic():
                article.save(force_insert=adding)
                if context is not None:
                    article_extract_entities(article=article, context=context, fresh=adding)
        except Exception as exc:  # any failure of one article is reported, and the others go on
            logger.exception("Ingest of %s failed", item.label)
            if context is not None:
                context.invalidate()  # what the rolled-back savepoint wrote is gone again
            summary.failed.append(IngestFailure(item.label, _failure_reason(exc)))
            if adding:
                article.pk = None
            else:
                article.refresh_from_db()  # the savepoint rolled back: the stored state again
            continue
        if adding:
            summary.created += 1
        else:
            summary.updated += 1
        ids.append(article.pk)
    return ids


def _fill(article: Article, item: IncomingArticle, digest: str) -> None:
    parsed = item.parsed
    article.title = parsed.title
    article.original_delta = ""  # stored again below, against the new body
    article.blocks = parsed.blocks  # the body and its headings
    article.published_on = parsed.published_on
    article.source = parsed.source
    article.photo_credit = parsed.photo_credit
    article.publisher = parsed.publisher
    article.url = parsed.url
    article.language = parsed.language
    article.content_hash = digest
    article.original_text = item.original_text


def _failure_reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError) and hasattr(exc, "message_dict"):
        return "; ".join(
            _("field '%(field)s': %(reason)s") % {"field": name, "reason": " ".join(messages)}
            for name, messages in exc.message_dict.items()
        )
    return f"{type(exc).__name__}: {exc}"
