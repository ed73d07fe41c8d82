"""Preparing an input for the ingest: parse, hash, validate and read it for officials and meetings. Pure
computation, no database: it runs in worker processes, outside any transaction, a batch ahead of the
writes (`archive.ingest.services`)."""

import hashlib
import multiprocessing
import re
import signal
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from archive.articles.jsonl import IncomingArticle
from archive.articles.models import Article
from archive.articles.parsing import ParsedArticle
from archive.entities.reading.extraction import Extraction
from archive.entities.services import article_text_extract, paragraphs_of
from archive.ingest.sources import IngestFailure, RawInput, failure_reason, parse_raw
from archive.text.arabic import fold_digits

# Inputs prepared per task of a worker process: enough to make the hand-over cheap, few enough that
# both workers get a share of each batch.
TASK_SIZE = 50
_INDIC_DIGIT = re.compile("[\u0660-\u0669\u06f0-\u06f9]")


@dataclass
class PreparedArticle:
    """An input parsed, hashed and read for officials: all that ingest computes before it writes."""

    item: IncomingArticle
    digest: str
    # None when not read (no extraction in this run, or the stored article had the same hash).
    extraction: Extraction | None = None
    # Which list of known names the extraction used (see `Preparer`).
    names_version: int = 0
    # Why the article it makes does not validate (the fields named), "" when it does.
    invalid: str = ""
    # The original text's stored form against the body (`Article.original_delta`), as the article was
    # filled in for validation: computed once, where the input was prepared (a worker, mostly).
    original_delta: str | None = None


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


def incoming_extract(*, item: IncomingArticle, known_names: dict[str, str]) -> Extraction:
    """The officials and meetings of an input, as `article_extraction` reads the article it becomes."""
    parsed = item.parsed
    return article_text_extract(
        title=parsed.title,
        paragraphs=paragraphs_of(blocks=parsed.blocks, body=parsed.body),
        published_on=parsed.published_on,
        known_names=known_names,
    )


def article_prepare(
    *, raw: RawInput, stored: dict[str, str], known_names: dict[str, str] | None
) -> PreparedArticle | IngestFailure:
    """Parse, hash and read one input: pure computation, no database, never inside a transaction.

    `stored` maps origins to the hashes stored when the run began (an input with its stored hash is not
    read for officials); `known_names` is the registry's approved names, None when nothing is extracted.
    """
    item = parse_raw(raw)
    if isinstance(item, IngestFailure):
        return item
    digest = article_content_hash(parsed=item.parsed)
    prepared = PreparedArticle(item=item, digest=digest)
    article = Article(origin=item.origin)
    if item.visible is not None:
        article.is_visible = item.visible
    article_fill(article, prepared)
    prepared.original_delta = article.original_delta
    try:
        # The fields' own rules only: uniqueness is the database's, when the batch is written.
        article.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        prepared.invalid = failure_reason(exc)
        return prepared
    if known_names is not None and stored.get(item.origin) != digest:
        prepared.extraction = incoming_extract(item=item, known_names=known_names)
    return prepared


# What the worker processes of one run work with, set when each starts (`_worker_start`).
_worker: dict = {}


def _worker_start(stored: dict[str, str], known_names: dict[str, str] | None, version: int) -> None:
    # Ctrl-C reaches the whole process group: the parent stops the workers, they do not stop themselves.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker.update(stored=stored, known_names=known_names, version=version)


def _worker_prepare(raws: list[RawInput]) -> list[PreparedArticle | IngestFailure]:
    stored, known_names = _worker["stored"], _worker["known_names"]
    results = [article_prepare(raw=raw, stored=stored, known_names=known_names) for raw in raws]
    for result in results:
        if isinstance(result, PreparedArticle):
            result.names_version = _worker["version"]
    return results


class Preparer:
    """Runs `article_prepare` over batches of inputs: in `jobs` worker processes, or in this process.

    The workers only compute (they never open the database); this process writes what they return, one
    batch while they prepare the next. They start as forks of this process, with the stored hashes and
    the known names of that moment; when the known names change (an editor approved a spelling during
    the run), they are started again, and what they had read with the old names is read again here.
    """

    def __init__(self, *, jobs: int, stored: dict[str, str], known_names: dict[str, str] | None):
        self.jobs = jobs
        self.stored = stored
        self.known_names = known_names
        self.version = 0
        self.pool = None

    def _start(self) -> None:
        context = multiprocessing.get_context("fork")
        args = (self.stored, self.known_names, self.version)
        self.pool = context.Pool(self.jobs, initializer=_worker_start, initargs=args)

    def submit(self, raws: list[RawInput | IngestFailure]):
        """Start preparing a batch; `result` gives it back in order."""
        if self.jobs <= 1 or not raws:
            return ("done", self._here(raws))
        if self.pool is None:
            self._start()
        tasks = [raws[start : start + TASK_SIZE] for start in range(0, len(raws), TASK_SIZE)]
        todo = [[raw for raw in task if isinstance(raw, RawInput)] for task in tasks]
        return ("pending", tasks, self.pool.map_async(_worker_prepare, todo))

    def result(self, handle) -> list[PreparedArticle | IngestFailure]:
        if handle[0] == "done":
            return handle[1]
        _state, tasks, pending = handle
        results = []
        for task, prepared in zip(tasks, pending.get(), strict=True):
            done = iter(prepared)
            results.extend(raw if isinstance(raw, IngestFailure) else next(done) for raw in task)
        return results

    def _here(self, raws: list[RawInput | IngestFailure]) -> list[PreparedArticle | IngestFailure]:
        results = []
        for raw in raws:
            if isinstance(raw, IngestFailure):
                results.append(raw)
                continue
            result = article_prepare(raw=raw, stored=self.stored, known_names=self.known_names)
            if isinstance(result, PreparedArticle):
                result.names_version = self.version
            results.append(result)
        return results

    def use_names(self, known_names: dict[str, str] | None) -> None:
        """Between batches (nothing pending): read with these names from now on."""
        if known_names == self.known_names:
            return
        self.known_names = known_names
        self.version += 1
        self.close()

    def current(self, prepared: PreparedArticle) -> Extraction | None:
        """The extraction of a prepared input as the current names read it (computed here if needed)."""
        if self.known_names is None:
            return None
        if prepared.extraction is None or prepared.names_version != self.version:
            prepared.extraction = incoming_extract(item=prepared.item, known_names=self.known_names)
            prepared.names_version = self.version
        return prepared.extraction

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None


def article_fill(article: Article, prepared: PreparedArticle) -> None:
    """Fill a new or stored article with what the input says (the stored form of its original text is
    computed once, in `article_prepare`, and reused when the article is written)."""
    item, parsed = prepared.item, prepared.item.parsed
    article.title = parsed.title
    article.original_delta = ""  # stored again below, against the new body
    article.blocks = parsed.blocks  # the body and its headings
    article.published_on = parsed.published_on
    article.source = parsed.source
    article.photo_credit = parsed.photo_credit
    article.publisher = parsed.publisher
    article.url = parsed.url
    article.language = parsed.language
    article.content_hash = prepared.digest
    if prepared.original_delta is None:
        article.original_text = item.original_text
    else:  # the same body, so the same stored form
        article.original_delta = prepared.original_delta
