"""Index-side analysis that only search needs: the written forms behind the exact mode.

Indexing a third full copy of every article for the exact mode nearly doubled build time and index size,
so the exact mode reads two small fields instead: the normalised field (`text_norm`) for words whose
written form is their normalised form, and a field of written forms (`text_written`) holding, for each
word whose written form differs from its normalised form (hamza seats, ة, ى), only that written form.
An exact query for `إمام` looks up `إمام` there (only words written so); an exact query written without
them (`امام`) looks up the normalised term, matching every spelling that folds to it, since the index
cannot tell a bare alef the writer chose from one normalisation made.

The written forms used to share the normalised field. Kept apart, they no longer lengthen that field, so
its BM25 length normalisation is that of the normalised text alone: the stemmed mode searches it too (at
a low weight), which measurably ranks better (see `benchmarks/RESULTS-search.md`).
Words come from the Arabic module's tokenizer and terms from its `word_term`, so this is the same
analysis as every other field.
"""

import threading

from whoosh.analysis import Composable, CompositeAnalyzer, Filter
from whoosh.fields import TEXT
from whoosh.formats import Positions
from whoosh.system import pack_uint

from archive.search.analysis import ArabicTokenizer
from archive.text.arabic import WORD_PATTERN, word_cache, word_term


class WrittenFormsFilter(Filter):
    """The exact (as written) term of each word whose written form differs from its normalised one."""

    def __eq__(self, other):
        return other.__class__ is self.__class__

    def __call__(self, tokens):
        for token in tokens:
            exact = word_term(token.text, "exact")
            if not exact:
                continue
            # A ligature such as ﷺ decomposes to several words: each is a term of its own.
            for part in exact.split(" ") if " " in exact else (exact,):
                if is_written_form(part):
                    token.text = part
                    token.stopped = False
                    yield token


def written_forms_analyzer() -> Composable:
    return CompositeAnalyzer(ArabicTokenizer(), WrittenFormsFilter())


def is_written_form(term: str) -> bool:
    """Whether an exact-mode term lives in the written-forms field (its normalised form differs)."""
    return word_term(term, "normalized", stopwords=False) != term


# --- indexing without Token objects ----------------------------------------------------------------------
#
# The body is indexed three ways (stemmed with positions, normalised, written forms). Whoosh would run the
# analyzer once per field, moving a Token object through a filter chain for every word. The field type
# below yields the very same postings from one tokenisation per text (shared by the three fields) and the
# word caches of the Arabic module. Queries and highlighting still use the analyzers, so both sides agree.

_last = threading.local()


def _words(value: str) -> list[str]:
    """The words of a text, remembered for the next field indexing the same text."""
    if getattr(_last, "value", None) is value or getattr(_last, "value", None) == value:
        return _last.words
    words = WORD_PATTERN.findall(value)
    _last.value, _last.words = value, words
    return words


_WRITTEN: dict[str, tuple[str, ...]] = {}
_WRITTEN_CACHE_SIZE = 300_000


def _written_parts(word: str) -> tuple[str, ...]:
    """The written-form terms of one word (most words have none), cached like the Arabic module's."""
    parts = _WRITTEN.get(word)
    if parts is None:
        exact = word_term(word, "exact")
        parts = tuple(part for part in exact.split(" ") if is_written_form(part)) if exact else ()
        if len(_WRITTEN) >= _WRITTEN_CACHE_SIZE:
            _WRITTEN.clear()
        _WRITTEN[word] = parts
    return parts


def index_terms(value: str, mode: str) -> list[str]:
    """The terms the field analyzer of `mode` (or "written") gives for `value`, in order."""
    words = _words(value)
    out: list[str] = []
    if mode == "written":
        get = _WRITTEN.get
        for word in words:
            parts = get(word)
            if parts is None:
                parts = _written_parts(word)
            if parts:
                out.extend(parts)
        return out
    get = word_cache(mode).get
    for word in words:
        term = get(word)
        if term is None:
            term = word_term(word, mode)
        if not term:
            continue
        if " " in term:  # a ligature such as ﷺ stands for several words, each a term (and a position)
            out.extend(term.split())
        else:
            out.append(term)
    return out


class ArabicText(TEXT):
    """A TEXT field whose postings come from `index_terms` (same terms and positions as its analyzer)."""

    def __init__(self, *, mode: str, **kwargs):
        super().__init__(**kwargs)
        self.term_mode = mode

    def index(self, value, **kwargs):
        if not isinstance(value, str):
            raise ValueError(f"{value!r} is not unicode")
        terms = index_terms(value, self.term_mode)
        boost = self.format.field_boost
        if isinstance(self.format, Positions):
            positions: dict[str, list[int]] = {}
            for pos, term in enumerate(terms):
                positions.setdefault(term, []).append(pos)
            encode = self.format.encode
            return [
                (term.encode("utf-8"), len(poses), len(poses) * boost, encode(poses))
                for term, poses in positions.items()
            ]
        counts: dict[str, int] = {}
        for term in terms:
            counts[term] = counts.get(term, 0) + 1
        return [(term.encode("utf-8"), n, n * boost, pack_uint(n)) for term, n in counts.items()]
