"""“Did you mean”: for a word the index has never seen, the closest word it has.

Normalisation already folds hamza forms, ة/ه and ى/ي, so those are never suggested: a word counts as
misspelled only when neither its normalised nor its stemmed form is in the index. Candidates come from
the normalised field (edit distance 1, or 2 for long words), ranked by distance and then by how many
articles use them; the suggestion shows the candidate as articles most often write it.

Engine-neutral: an engine hands in its `Vocabulary` (document frequencies and the terms near a word).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Protocol

from archive.search.schema import TEXT, TEXT_NORM, TEXT_WRITTEN
from archive.search.syntax import parse_query
from archive.text import arabic

NORMALIZED_FIELD = TEXT_NORM
WRITTEN_FIELD = TEXT_WRITTEN  # written forms that differ from the normalised ones (see schema.py)
STEMMED_FIELD = TEXT
MAX_WORDS = 3  # each unknown word costs an edit-distance search of the vocabulary
# Longer "words" are pasted runs of letters, not misspellings: their edit-distance search is the most
# costly part of a search and finds nothing.
MAX_WORD_LETTERS = 15
# The edit-distance searches walk the term table in Python (tens of milliseconds for a long word in a
# large archive): a suggestion starts no new one after this much CPU time (the thread's, so that a
# busy machine does not cut suggestions short), and so costs about one ordinary search at most.
SUGGEST_CPU_SECONDS = 0.01
_REPEATED = re.compile(r"(.)\1{2,}")  # a letter held down: مفاوضاتتت


class Vocabulary(Protocol):
    """What suggestions read of an engine's index."""

    def doc_frequency(self, fieldname: str, text: str) -> int:
        """How many documents hold the term `text` in `fieldname`."""

    def terms_within(self, fieldname: str, text: str, maxdist: int, prefix: int) -> list[str]:
        """The terms of `fieldname` within `maxdist` edits of `text` sharing its first `prefix` letters, in
        term order (ties in frequency go the same way in every engine)."""


def suggest_query(*, vocabulary: Vocabulary, query: str, deadline: float = float("inf")) -> str | None:
    """The query with misspelled words replaced, or None when every word is known.

    At most MAX_WORDS words are looked at, and no new edit-distance search starts once the clock passes
    `deadline` (the search's budget) or after SUGGEST_CPU_SECONDS of work.
    """
    out_of_time = _clock(deadline=deadline, cpu_seconds=SUGGEST_CPU_SECONDS)
    reader = vocabulary
    parsed = parse_query(query)
    replacements: dict[str, str] = {}
    words = [
        token.text for group in parsed.groups for clause in group for token in arabic.tokenize(clause.text)
    ]
    for word in list(dict.fromkeys(words))[:MAX_WORDS]:
        if out_of_time():
            break
        better = _suggest_word(reader, word, out_of_time=out_of_time)
        if better:
            replacements[word] = better
    if not replacements:
        return None
    suggestion = query
    for word, better in replacements.items():
        suggestion = suggestion.replace(word, better)
    return suggestion if arabic.normalize(suggestion) != arabic.normalize(query) else None


def _clock(*, deadline: float, cpu_seconds: float) -> Callable[[], bool]:
    cpu_deadline = time.thread_time() + cpu_seconds
    return lambda: time.monotonic() > deadline or time.thread_time() > cpu_deadline


def _suggest_word(reader: Vocabulary, word: str, *, out_of_time: Callable[[], bool]) -> str | None:
    normalized = arabic.word_term(word, "normalized")
    stemmed = arabic.word_term(word, "stemmed")
    if not normalized or not 3 <= len(normalized) <= MAX_WORD_LETTERS or normalized.isdigit():
        return None
    if _known(reader, NORMALIZED_FIELD, normalized) or _known(reader, STEMMED_FIELD, stemmed):
        return None
    repaired = _repaired(reader, normalized)
    if repaired:
        return _written_form(reader, repaired)
    candidates = []
    # Distance 1 first; distance 2 only for long words and sharing two letters. The start of a word, and
    # the article ال before it, is rarely where the typo is, and each letter held fixed there narrows the
    # walk of the term table: ال alone would leave a third of the vocabulary to visit.
    fixed = 2 if normalized.startswith("ال") else 0
    passes = ((1, fixed + 1), (2, fixed + 2)) if len(normalized) >= 6 else ((1, fixed + 1),)
    for distance, prefix in passes:
        if out_of_time():
            break
        found = [c for c in _terms_within(reader, normalized, distance, prefix=prefix) if c != normalized]
        if found:
            candidates = found
            break
    if not candidates:
        return None
    best = max(candidates, key=lambda c: reader.doc_frequency(NORMALIZED_FIELD, c))
    return _written_form(reader, best)


def _terms_within(reader: Vocabulary, word: str, distance: int, *, prefix: int) -> list[str]:
    return reader.terms_within(NORMALIZED_FIELD, word, distance, prefix=prefix)


def _repaired(reader: Vocabulary, normalized: str) -> str | None:
    """A letter typed three times or more, read once or twice; with the article when the archive has it.

    Edit distance misses these: `مفاوضاتتت` is four edits from `المفاوضات`, which the archive has.
    """
    if not _REPEATED.search(normalized):
        return None
    forms = {_REPEATED.sub(r"\1", normalized), _REPEATED.sub(r"\1\1", normalized)}
    forms |= {"ال" + form for form in forms if not form.startswith("ال")}
    counts = {form: reader.doc_frequency(NORMALIZED_FIELD, form) for form in forms}
    best = max(sorted(counts), key=counts.get)
    return best if counts[best] else None


def _known(reader: Vocabulary, fieldname: str, term: str) -> bool:
    return bool(term) and reader.doc_frequency(fieldname, term) > 0


# Where normalisation folded a letter, the letters it may have been written as.
_UNFOLD: dict[str, str] = {}
for _written, _folded in arabic.LETTER_FOLDS.items():
    _UNFOLD[_folded] = _UNFOLD.get(_folded, "") + _written
MAX_WRITTEN_FORMS = 64


def _written_forms(normalized: str) -> list[str]:
    """Spellings that normalise to `normalized`: hamza seats on alef, ة and ى at a word's end, ئ and ؤ."""
    forms = [""]
    for index, letter in enumerate(normalized):
        options = letter
        if (letter in "اوي" and 0 < index < len(normalized) - 1) or letter == "ا":
            options += _UNFOLD[letter]
        if letter in "هي" and index == len(normalized) - 1:
            options += _UNFOLD[letter]
        forms = [form + option for form in forms for option in options]
        if len(forms) > MAX_WRITTEN_FORMS:
            return [normalized]
    return forms


def _written_form(reader: Vocabulary, normalized: str) -> str:
    """How the articles usually write a normalised word (ة rather than ه, hamzas kept)."""
    written = [form for form in _written_forms(normalized) if form != normalized]
    counts = {form: reader.doc_frequency(WRITTEN_FIELD, form) for form in written}
    best = max(counts, key=counts.get, default=None)
    if not best or not counts[best]:
        return normalized
    # The normalised term counts every spelling; a written form wins when at least half use it.
    total = reader.doc_frequency(NORMALIZED_FIELD, normalized)
    return best if 2 * counts[best] >= total else normalized
