"""The highlighter's fast path finds exactly the matches of the plain one it replaced: every word of the
text mapped to its term, every position tried in turn."""

import random
from functools import partial

import pytest
from django.conf import settings

from archive.search.highlight import Match, Matcher
from archive.text.arabic import WORD_PATTERN, word_term

SEEDS = sorted((settings.BASE_DIR / "seeds").glob("*.txt"))


def plain_find(matcher: Matcher, text: str) -> list[Match]:
    key = matcher._key if matcher.mode == "exact" else partial(word_term, mode=matcher.mode)
    spans, terms = [], []
    for found in WORD_PATTERN.finditer(text):
        term = key(found.group())
        if term:
            spans.append(found.span())
            terms.append(term)
    matches, index = [], 0
    while index < len(terms):
        length = matcher._match_length(terms, index)
        if length:
            matches.append(Match(spans[index][0], spans[index + length - 1][1]))
            index += length
        else:
            index += 1
    return matches


def _units(text: str, mode: str, rng: random.Random) -> list[tuple[str, ...]]:
    words = WORD_PATTERN.findall(text)
    units = []
    for _ in range(rng.randint(1, 4)):
        start = rng.randrange(len(words))
        size = rng.choice([1, 1, 2, 3])
        terms = tuple(t for t in (word_term(w, mode) for w in words[start : start + size]) if t)
        if terms:
            units.append(terms)
    return units


@pytest.mark.parametrize("mode", ["stemmed", "normalized", "exact"])
def test_it_finds_what_the_plain_highlighter_found(mode):
    rng = random.Random(7)
    texts = [path.read_text(encoding="utf-8") for path in SEEDS]
    compared = 0
    for text in texts:
        for _ in range(40):
            units = _units(text, mode, rng)
            matcher = Matcher(units, mode)
            assert matcher.find(text) == plain_find(matcher, text), units
            compared += bool(plain_find(matcher, text))
    assert compared > 100  # most random queries did mark something
