"""The terms each analysis mode gives for a stored text, in order: what every engine indexes.

The body is indexed three ways (stemmed with positions, normalised, written forms). Running an analyzer
per field would tokenise the same text three times; `index_terms` keeps one tokenisation per text (shared
by the three fields) and uses the word caches of the one Arabic text module (`archive.text.arabic`), so
the Whoosh engine's postings and the PostgreSQL engine's `tsvector`s hold the very same terms.
"""

from __future__ import annotations

import threading

from archive.search.schema import is_written_form
from archive.text.arabic import WORD_PATTERN, word_cache, word_term

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
    """The terms the analyzer of `mode` gives for `value`, in order."""
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
        found = get(word)
        if found is None:
            found = word_term(word, mode)
        if not found:
            continue
        if " " in found:  # a ligature such as ﷺ stands for several words, each a term (and a position)
            out.extend(found.split())
        else:
            out.append(found)
    return out
