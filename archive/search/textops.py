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


def keeps_stopwords(mode: str) -> bool:
    # "exact" means as written: its analyzer indexes every word, function words included.
    return mode == "exact"


@lru_cache(maxsize=100_000)
def word_terms(text: str, mode: str) -> tuple[str, ...]:
    """The index terms a query word or phrase becomes in `mode`; empty for a stop word."""
    return tuple(arabic.terms(text, mode=mode, stopwords=not keeps_stopwords(mode)))


def token_term(word: str, mode: str) -> str:
    """The term of one word of an article as the index saw it ("" for a dropped stop word)."""
    if not keeps_stopwords(mode) and arabic.is_stopword(word):
        return ""
    return arabic.term(word, mode)


def tokens(text: str) -> list[arabic.Token]:
    """The words of a text with their offsets in that very text (diacritics kept)."""
    return arabic.tokenize(text)


def normalize(text: str) -> str:
    return arabic.normalize(text)
