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

from whoosh.analysis import Composable, CompositeAnalyzer, Filter

from archive.search.analysis import ArabicTokenizer
from archive.text.arabic import word_term


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
