"""The bridge between the search code and the one Arabic text module (`archive.text.arabic`).

Everything search needs from the language side (the analyzer of each index field, the terms of a query
word, the words of an article with their offsets for highlighting) goes through these few functions, so
the index, the query and the highlighter always agree on what a word is.
"""

from __future__ import annotations

from functools import lru_cache

from archive.search import analysis
from archive.text import arabic

MODES = ("stemmed", "normalized", "exact")


def analyzer(mode: str):
    """The picklable Whoosh analyzer of one strictness mode."""
    return analysis.analyzer_for(mode)


@lru_cache(maxsize=100_000)
def word_terms(text: str, mode: str) -> tuple[str, ...]:
    """The index terms a query word or phrase becomes in `mode`; empty for a stop word.

    Function words are not indexed in any mode, so they are dropped from queries in every mode too.
    """
    return tuple(arabic.terms(text, mode=mode))


def token_term(word: str, mode: str) -> str:
    """The term of one word of an article as the index saw it ("" for a dropped stop word)."""
    return arabic.word_term(word, mode)


def tokens(text: str) -> list[arabic.Token]:
    """The words of a text with their offsets in that very text (diacritics kept)."""
    return arabic.tokenize(text)


def word_spans(text: str):
    """(start, end, word) of each word of a text, the Arabic module's tokenisation without objects."""
    return ((m.start(), m.end(), m.group()) for m in arabic.WORD_PATTERN.finditer(text or ""))


def normalize(text: str) -> str:
    return arabic.normalize(text)
