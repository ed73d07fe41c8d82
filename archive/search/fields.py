"""Index-side analysis that only search needs: one field serving both the normalised and the exact mode.

Indexing a third copy of every article for the exact mode nearly doubled build time and index size, so
the normalised field also carries, for each word whose written form differs from its normalised form
(hamza seats, ة, ى), that written form. Normalised terms never contain those letters, so the two kinds of
term cannot be confused: an exact query for `إمام` looks up `إمام` (only words written so), an exact
query written without them (`امام`) matches every spelling that folds to it, since the index cannot tell
a bare alef the writer chose from one normalisation made. Words come from the Arabic module's tokenizer
and terms from its `word_term`, so this is the same analysis as every other field.
"""

from whoosh.analysis import Composable, CompositeAnalyzer, Filter

from archive.search.analysis import ArabicTokenizer
from archive.text.arabic import word_term


class SpellingsFilter(Filter):
    """Each word's normalised term, then its exact (as written) term when that differs."""

    def __eq__(self, other):
        return other.__class__ is self.__class__

    def __call__(self, tokens):
        for token in tokens:
            normalized = word_term(token.text, "normalized")
            if not normalized:
                continue
            exact = word_term(token.text, "exact")
            for text in (normalized, exact) if exact and exact != normalized else (normalized,):
                # A ligature such as ﷺ decomposes to several words: each is a term of its own.
                for part in text.split(" ") if " " in text else (text,):
                    token.text = part
                    token.stopped = False
                    yield token


def spellings_analyzer() -> Composable:
    return CompositeAnalyzer(ArabicTokenizer(), SpellingsFilter())
