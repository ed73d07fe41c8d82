"""The ingest pipeline: read sources, parse, de-duplicate, save articles, extract officials and meetings,
and bring the search index in step. Commands and tests call these."""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from django.db import DatabaseError, connection, transaction

from archive.articles.changes import article_changes_pending_ids, article_changes_record
from archive.articles.models import Article
from archive.entities.models import Meeting, Mention
from archive.entities.reading.extraction import Extraction
from archive.entities.registry import ExtractionContext
from archive.entities.services import article_extract_entities, article_extraction
from archive.entities.statements import NewRows
from archive.env import available_cores
from archive.ingest.preparing import PreparedArticle, Preparer, article_fill
from archive.ingest.sources import IngestFailure, count_items, expand_paths, failure_reason, read_raw
from archive.search.indexing import search_index_rebuild, search_index_sync

logger = logging.getLogger(__name__)

# Articles per database transaction; each article still gets its own savepoint, so one bad article is
# rolled back alone while the batch saves a commit (and an fsync) per article on large imports.
BATCH_SIZE = 500

Progress = Callable[[int, int | None], None]


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


def articles_ingest(
    *,
    paths: Iterable[Path | str],
    fmt: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    extract: bool = True,
    index: bool = True,
    jobs: int | None = None,
) -> IngestSummary:
    """Import text files, JSON Lines files and folders of them.

    Each article is written atomically (with its entity extraction); a bad file or line is reported in the
    summary and the others still go in. Articles are matched by origin (file name or external id): an
    unchanged hash is left alone, a changed one updates the article. With `dry_run` nothing is written.
    With `extract=False` officials and meetings are left for `articles_extract_entities` (large imports:
    load first, extract in a second pass); an updated article keeps its earlier entities until then.
    With `index=False` the search index is left as it was (for a `rebuild_search_index` afterwards).

    Parsing and extraction run before any transaction, in `jobs` worker processes (default: one per
    core once an import fills a batch; 1 computes in this process); the writes of a batch then take one
    short transaction. The results do not depend on `jobs`.
    """
    if jobs is not None and jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    summary = IngestSummary(dry_run=dry_run)
    # A dry run writes nothing, so what earlier batches would have stored is remembered here instead.
    unwritten: dict[str, str] | None = {} if dry_run else None
    sources = list(expand_paths(paths, fmt))
    total = count_items(sources) if progress else None
    done = 0
    # The officials registry is read once for the whole run, not once per article.
    context = ExtractionContext() if extract and not dry_run else None
    stored = dict(Article.objects.values_list("origin", "content_hash")) if context else {}
    raws = read_raw(sources)
    batch = list(islice(raws, BATCH_SIZE))
    if jobs is None:
        jobs = available_cores() if len(batch) >= BATCH_SIZE else 1
    preparer = Preparer(jobs=jobs, stored=stored, known_names=_names(context))

    def tick() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    try:
        pending = preparer.submit(batch)
        while batch:
            prepared = preparer.result(pending)
            if context is not None:
                context.check_decisions()  # an editor's decision since the last batch is taken into account
                preparer.use_names(_names(context))
            batch = list(islice(raws, BATCH_SIZE))
            pending = preparer.submit(batch)  # prepared while this batch is written
            items = []
            for entry in prepared:
                if isinstance(entry, IngestFailure):
                    summary.failed.append(entry)
                    tick()
                else:
                    items.append(entry)
            _ingest_batch(items, summary, unwritten=unwritten, tick=tick, context=context, preparer=preparer)
    finally:
        preparer.close()
        if not dry_run:
            _analyze_after_large_import(summary)
        # Also after an interruption: the committed batches are in the outbox, and so is whatever an
        # earlier run that was killed left there.
        if index and not dry_run:
            _index_pending()
    return summary


def _names(context: ExtractionContext | None) -> dict[str, str] | None:
    return context.known_names() if context is not None else None


# When most of the archive waits for the index, building a fresh index beside the live one is several
# times faster than updating entries one by one (measured on the 31.5k-article corpus), and search stays up.
REBUILD_MIN_CHANGED = 1000


def _analyze_after_large_import(summary: IngestSummary) -> None:
    """The query planner's statistics, after an import large enough to change them: SQLite has none until
    ANALYZE, and without them probed every official for a result page's mentions (33 ms against 1.5 ms
    on the 31.5k-article corpus; 0.1 s to analyse)."""
    if summary.created + summary.updated >= REBUILD_MIN_CHANGED:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


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
    """Read the batch's articles first, then one transaction for the batch, one savepoint per article."""
    # What extraction reads, not the stored original.
    articles = Article.objects.only("origin", "title", "body", "headings", "published_on").in_bulk(chunk)
    # Articles without any mention or meeting need no look-up of old records (the common case after
    # `ingest --no-extract`): two queries for the batch instead of two per article.
    had = set(Mention.objects.filter(article_id__in=chunk).values_list("article_id", flat=True))
    had |= set(
        Meeting.articles.through.objects.filter(article_id__in=chunk).values_list("article_id", flat=True)
    )
    context.check_decisions()
    # The reading is the long part: done before the transaction, which then only writes.
    extractions = {pk: article_extraction(article=a, context=context) for pk, a in articles.items()}
    with transaction.atomic():
        for pk in chunk:
            article = articles.get(pk)
            if article is None:
                continue  # deleted meanwhile
            try:
                with transaction.atomic():
                    article_extract_entities(
                        article=article, context=context, fresh=pk not in had, extraction=extractions[pk]
                    )
            except Exception as exc:  # any failure of one article is reported, and the others go on
                logger.exception("Entity extraction for %s failed", article.origin)
                context.invalidate()  # what the rolled-back savepoint wrote is gone again
                summary.failed.append(IngestFailure(article.origin, failure_reason(exc)))
                continue
            summary.done += 1


@dataclass
class _Write:
    """An article to write, with its input's label and what extraction found in it (None: no extraction)."""

    label: str
    article: Article
    extraction: Extraction | None


def _ingest_batch(
    items: list[PreparedArticle],
    summary: IngestSummary,
    *,
    unwritten: dict[str, str] | None,
    tick: Callable[[], None],
    context: ExtractionContext | None,
    preparer: Preparer,
) -> None:
    """`context`: the run's officials registry, None when entities are not extracted in this run.
    `unwritten` (dry runs only): origin -> hash of what earlier batches would have written."""
    if not items:
        return
    digests = [prepared.digest for prepared in items]
    existing = Article.objects.in_bulk([prepared.item.origin for prepared in items], field_name="origin")
    owners = dict(Article.objects.filter(content_hash__in=digests).values_list("content_hash", "origin"))
    if unwritten is not None:
        unwritten_owners = {digest: origin for origin, digest in unwritten.items()}
        owners.update((d, unwritten_owners[d]) for d in digests if d in unwritten_owners)
        for prepared in items:
            origin = prepared.item.origin
            if origin in unwritten and origin not in existing:
                placeholder = Article(origin=origin, content_hash=unwritten[origin])
                placeholder._state.adding = False
                existing[origin] = placeholder
    new: list[_Write] = []
    changed: list[_Write] = []
    for prepared in items:
        article = _prepare(prepared, existing, owners, summary)
        if article is not None:
            # Computed by now (in a worker, or here for what the workers could not know): outside the
            # transaction below, which only writes.
            write = _Write(prepared.item.label, article, preparer.current(prepared))
            (new if article._state.adding else changed).append(write)
        tick()
    if unwritten is not None:
        summary.created += len(new)
        summary.updated += len(changed)
        unwritten.update((write.article.origin, write.article.content_hash) for write in new + changed)
        return
    try:
        written, attempt = _write_batch(new, changed, context, together=True)
    except _RowsRefused:
        # The database refused one of the rows inserted together: the batch again, each new article's
        # rows in its own savepoint, so that the article they belong to is named and left out alone.
        logger.warning("Rows of a batch refused; writing it article by article", exc_info=True)
        _unsaved(new)
        context.invalidate()  # what the rolled-back batch wrote is gone again
        written, attempt = _write_batch(new, changed, context, together=False)
    summary.created += attempt.created
    summary.updated += attempt.updated
    summary.failed.extend(attempt.failed)
    summary.changed_ids.extend(written)


def _write_batch(
    new: list[_Write], changed: list[_Write], context: ExtractionContext | None, *, together: bool
) -> tuple[list[int], IngestSummary]:
    """One transaction: the ids written, and what they count for the summary."""
    attempt = IngestSummary()
    with transaction.atomic():
        written = _insert_new(new, attempt, context, together=together)
        written += _save_each(changed, attempt, context)
    return written, attempt


class _RowsRefused(Exception):
    """The mentions and statements of a batch's new articles, inserted together, were refused by a check
    the database makes at once (a trigger, a CHECK or unique constraint; foreign keys are checked at
    commit, where a refusal ends the run with nothing of the batch written)."""


def _unsaved(writes: list[_Write]) -> None:
    """The articles of a rolled-back INSERT, to be inserted again."""
    for write in writes:
        write.article.pk, write.article._state.adding = None, True


def _prepare(
    prepared: PreparedArticle,
    existing: dict[str, Article],
    owners: dict[str, str],
    summary: IngestSummary,
) -> Article | None:
    """The article to write for this input (validated), or None when unchanged, duplicate or invalid."""
    item, digest = prepared.item, prepared.digest
    current = existing.get(item.origin)
    if current is not None and current.content_hash == digest:
        summary.unchanged += 1
        return None
    owner = owners.get(digest)
    if owner is not None and owner != item.origin:
        # The same article under another name: the hash is what de-duplicates the archive.
        summary.duplicates.append((item.label, owner))
        return None

    if prepared.invalid:  # validated with the input's fields, which are all the article's own
        summary.failed.append(IngestFailure(item.label, prepared.invalid))
        return None
    article = current or Article(origin=item.origin)
    if current is None and item.visible is not None:
        article.is_visible = item.visible
    old_digest = article.content_hash
    article_fill(article, prepared)
    existing[item.origin] = article
    if owners.get(old_digest) == item.origin:
        del owners[old_digest]
    owners[digest] = item.origin
    return article


def _insert_new(
    new: list[_Write], summary: IngestSummary, context: ExtractionContext | None, *, together: bool
) -> list[int]:
    """New articles in one INSERT, then each one's entities in its own savepoint; an article whose
    entities cannot be recorded is deleted again, so that nothing of it stays half-written. With
    `together`, their mentions and statements are inserted at the end, all at once (`_RowsRefused` when
    the database refuses them)."""
    if not new:
        return []
    try:
        with transaction.atomic():
            Article.objects.bulk_create([write.article for write in new])
            article_changes_record(article_ids=[write.article.pk for write in new])  # no post_save
    except DatabaseError:
        # A row written meanwhile by someone else, say: one at a time, so that the culprit is named.
        _unsaved(new)
        return _save_each(new, summary, context)
    if context is None:
        summary.created += len(new)
        return [write.article.pk for write in new]
    ids = []
    new_rows = NewRows() if together else None
    for write in new:
        article = write.article
        mark = new_rows.mark() if new_rows is not None else None
        try:
            with transaction.atomic():
                article_extract_entities(
                    article=article,
                    context=context,
                    fresh=True,
                    extraction=write.extraction,
                    new_rows=new_rows,
                )
        except Exception as exc:  # any failure of one article is reported, and the others go on
            logger.exception("Entity extraction for %s failed", write.label)
            context.invalidate()  # what the rolled-back savepoint wrote is gone again
            if new_rows is not None:
                new_rows.drop_since(mark)
            summary.failed.append(IngestFailure(write.label, failure_reason(exc)))
            Article.objects.filter(pk=article.pk).delete()
            continue
        summary.created += 1
        ids.append(article.pk)
    if new_rows is not None:
        try:
            with transaction.atomic():
                new_rows.insert()
        except DatabaseError as exc:
            raise _RowsRefused from exc
    return ids


def _save_each(writes: list[_Write], summary: IngestSummary, context: ExtractionContext | None) -> list[int]:
    """One savepoint per article: its row and its entities are written together or not at all."""
    ids = []
    for write in writes:
        article = write.article
        adding = article.pk is None
        try:
            with transaction.atomic():
                article.save(force_insert=adding)
                if context is not None:
                    article_extract_entities(
                        article=article, context=context, fresh=adding, extraction=write.extraction
                    )
        except Exception as exc:  # any failure of one article is reported, and the others go on
            logger.exception("Ingest of %s failed", write.label)
            if context is not None:
                context.invalidate()  # what the rolled-back savepoint wrote is gone again
            summary.failed.append(IngestFailure(write.label, failure_reason(exc)))
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
