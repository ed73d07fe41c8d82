"""Highlights cut from the article text as written, with matches found through the index's analyzer.

A query `هجره` marks `الهجرة` and `والهِجْرَة` because each word of the text is mapped to its term the way
the index saw it. The text is escaped first and `<mark>` added afterwards, so nothing from an article can
inject markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from archive.text.arabic import WORD_PATTERN, normalize, word_cache, word_term

SNIPPET_CHARS = 260
LEAD_CHARS = 60
MAX_SCAN_CHARS = 20_000  # context kept before the first match of a snippet


@dataclass(frozen=True)
class Match:
    start: int
    end: int


class Matcher:
    """Finds the words of a text that match a query's units (single terms or term sequences)."""

    def __init__(self, units: list[tuple[str, ...]], mode: str):
        self.mode = mode
        self.single = {unit[0] for unit in units if len(unit) == 1}
        self.sequences = sorted({unit for unit in units if len(unit) > 1}, key=len, reverse=True)

    def __bool__(self) -> bool:
        return bool(self.single or self.sequences)

    def _key(self, word: str):
        term = word_term(word, self.mode)
        if self.mode != "exact" or not term:
            return term
        # As the index does: a query word written without hamza/ة/ى matches every spelling of it.
        return _ExactTerm(term, word_term(word, "normalized"))

    def find(self, text: str) -> list[Match]:
        # The hot path of a results page: each word is looked up once (see _starts); only from the words
        # that can start a match are the next words read (for a phrase). The parity test compares this
        # with mapping every word in turn.
        text = text or ""
        key = self._key if self.mode == "exact" else partial(word_term, mode=self.mode)
        longest = max((len(sequence) for sequence in self.sequences), default=1)
        matches: list[Match] = []
        free = 0  # the end of the last match found: a word before it is inside that match
        for start, end, term in self._starts(text):
            if start < free:
                continue
            terms, ends = [term], [end]
            if longest > 1:
                for following in WORD_PATTERN.finditer(text, end):
                    # Stop words are not in the index, so a phrase skips them here too.
                    if term := key(following.group()):
                        terms.append(term)
                        ends.append(following.end())
                        if len(terms) == longest:
                            break
            length = self._match_length(terms, 0)
            if length:
                matches.append(Match(start, ends[length - 1]))
                free = ends[length - 1]
        return matches

    def _starts(self, text: str) -> list[tuple[int, int, object]]:
        """(start, end, term) of the words of `text` that can start a match, in the order of the text.

        Each distinct word is mapped once: its term comes straight from the Arabic module's cache (in the
        exact mode, where a term is a pair of spellings, through `_key`). Only the words that can start a
        match are then looked for, with `str.find` and the word pattern at both ends, instead of reading
        every word of the text in a Python loop (on results pages of the ANT corpus most words of an
        article match nothing).
        """
        starts = self.single | {sequence[0] for sequence in self.sequences}
        exact = self.mode == "exact"
        cached = word_cache(self.mode).get
        wanted: dict[str, object] = {}
        for word in set(WORD_PATTERN.findall(text)):
            if exact:
                term = self._key(word)
                if term and self._may_start(term, starts):
                    wanted[word] = term
                continue
            term = cached(word)
            if term is None:  # not met yet ("" is a stop word, cached too)
                term = word_term(word, self.mode)
            if term in starts:
                wanted[word] = term
        found = []
        for word, term in wanted.items():
            position = text.find(word)
            while position >= 0:
                end = position + len(word)
                # A whole word, not the inside of a longer one.
                whole = WORD_PATTERN.match(text, position).end() == end
                if whole and (position == 0 or not WORD_PATTERN.match(text, position - 1)):
                    found.append((position, end, term))
                position = text.find(word, end)
        found.sort(key=lambda item: item[0])
        return found

    def _may_start(self, term: _ExactTerm, starts: set[str]) -> bool:
        # Some start equal to the term (`_ExactTerm.__eq__`), or its normalised form a single-word unit.
        exact, normalized = term.exact, term.normalized
        if exact in starts or normalized in self.single:
            return True
        return normalized in starts and normalized == normalize(normalized)

    def _match_length(self, terms: list, index: int) -> int:
        for sequence in self.sequences:
            if len(terms) - index >= len(sequence) and all(
                terms[index + offset] == unit for offset, unit in enumerate(sequence)
            ):
                return len(sequence)
        term = terms[index]
        if isinstance(term, _ExactTerm):
            return 1 if term.exact in self.single or term.normalized in self.single else 0
        return 1 if term in self.single else 0


class _ExactTerm:
    """A word's written form, equal to a query term written so, or written without hamza/ة/ى."""

    __slots__ = ("exact", "normalized")

    def __init__(self, exact: str, normalized: str):
        self.exact, self.normalized = exact, normalized

    def __eq__(self, unit) -> bool:
        return unit == self.exact or (unit == self.normalized and unit == normalize(unit))

    __hash__ = None


def mark_text(text: str, matches: list[Match], start: int = 0, end: int | None = None) -> str:
    """Escape text[start:end] and wrap the matches inside it in <mark>."""
    end = len(text) if end is None else end
    out = []
    cursor = start
    for match in matches:
        if match.end <= start or match.start >= end:
            continue
        a, b = max(match.start, cursor), min(match.end, end)
        out.append(escape(text[cursor:a]))
        out.append(f"<mark>{escape(text[a:b])}</mark>")
        cursor = b
    out.append(escape(text[cursor:end]))
    return "".join(out)


def best_window(text: str, matches: list[Match], size: int = SNIPPET_CHARS) -> tuple[int, int]:
    """The stretch of text of about `size` characters holding the most matches, cut at spaces."""
    if not matches:
        return 0, _cut_at_space(text, min(len(text), size), forward=True)
    best_start, best_count = matches[0].start, 0
    for candidate in matches:
        count = sum(1 for m in matches if candidate.start <= m.start and m.end <= candidate.start + size)
        if count > best_count:
            best_start, best_count = candidate.start, count
    start = max(0, best_start - LEAD_CHARS)
    start = _cut_at_space(text, start, forward=False) if start else 0
    end = _cut_at_space(text, min(len(text), start + size), forward=True)
    return start, end


def _cut_at_space(text: str, position: int, *, forward: bool) -> int:
    if position <= 0 or position >= len(text):
        return max(0, min(position, len(text)))
    limit = 30  # do not walk far: a text without spaces is cut mid-word
    step = 1 if forward else -1
    probe = position
    while 0 < probe < len(text) and abs(probe - position) < limit:
        if text[probe].isspace():
            return probe if forward else probe + 1
        probe += step
    return position


def snippet(text: str, matcher: Matcher) -> tuple[SafeString, list[str]]:
    """A snippet around the best matches, and the distinct forms the article used for the query's words."""
    flat = " ".join(text.split())
    # Matches beyond the first MAX_SCAN_CHARS cannot make a better snippet than those before them often
    # enough to pay for reading a very long article to the end on every results page.
    matches = matcher.find(flat[:MAX_SCAN_CHARS]) if matcher else []
    start, end = best_window(flat, matches)
    body = mark_text(flat, matches, start, end)
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(flat) else ""
    variants = list(dict.fromkeys(flat[m.start : m.end] for m in matches))
    # Isolated for direction, so an Arabic snippet never reorders the Latin around it (or the reverse).
    html = f'<bdi dir="auto">{prefix}{body}{suffix}</bdi>'
    return mark_safe(html), variants


def highlight_all(text: str, matcher: Matcher) -> SafeString:
    """The whole text escaped, with every match marked (for the article page)."""
    matches = matcher.find(text) if matcher else []
    return mark_safe(mark_text(text, matches))
