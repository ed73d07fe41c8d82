"""Sentences and words as the extraction reads them (tokens from `archive.text.arabic.tokenize`)."""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from archive.entities.reading.lexicon import HEADS
from archive.entities.reading.places import CITIES, COUNTRY_NAMES
from archive.text.arabic import CLITIC_LETTERS, WORD_PATTERN, normalize, strip_clitic

_SENTENCE_END = re.compile(r"(?<=[.!؟?])\s+")
# What extraction reads of one paragraph. Its work grows faster than the text (every person found is
# looked for in every sentence): a 1 MB line would take minutes. News paragraphs are far shorter (the
# longest of the 31.5k ANT articles has 6.5k characters); past the bound, the rest of the paragraph is
# stored and searchable but not read for officials and meetings.
MAX_PARAGRAPH_CHARS = 10_000
_MAX_PLACE_WORDS = max(len(k) for k in [*COUNTRY_NAMES, *CITIES])


@dataclass
class Word:
    text: str
    norm: str
    # What stands between the previous word and this one: punctuation there ends a name or a role phrase.
    gap: str

    @property
    def punct_before(self) -> bool:
        return bool(self.gap.strip(" \u00a0\t"))


@dataclass
class Sentence:
    text: str
    paragraph: int
    words: list[Word] = field(default_factory=list)

    @property
    def norm(self) -> str:
        return " ".join(w.norm for w in self.words)


def words_of(text: str) -> list[Word]:
    """The words of `tokenize`, read straight from its pattern (no Token objects: this runs on every
    sentence of every article an ingest reads)."""
    words = []
    previous_end = 0
    for match in WORD_PATTERN.finditer(text or ""):
        token, start = match.group(0), match.start()
        words.append(Word(token, normalize(token), text[previous_end:start]))
        previous_end = match.end()
    return words


def bounded_paragraph(paragraph: str) -> str:
    """The part of a paragraph extraction reads: at most MAX_PARAGRAPH_CHARS, cut after a whole word."""
    if len(paragraph) <= MAX_PARAGRAPH_CHARS:
        return paragraph
    head = paragraph[: MAX_PARAGRAPH_CHARS + 1]
    cut = max(head.rfind(" "), head.rfind("\u00a0"), head.rfind("\n"))
    return head[:cut] if cut > 0 else head[:MAX_PARAGRAPH_CHARS]


def split_sentences(paragraphs: list[str]) -> list[Sentence]:
    sentences = []
    for index, paragraph in enumerate(paragraphs):
        for piece in _SENTENCE_END.split(bounded_paragraph(paragraph).replace("\u00a0", " ").strip()):
            if piece.strip():
                sentences.append(Sentence(piece.strip(), index, words_of(piece.strip())))
    return sentences


def head_at(words: list[Word], i: int) -> str:
    """The role family when a role phrase starts at word `i` (an attached و/ب/ل/ف/ك allowed), else ""."""
    norm = words[i].norm
    family = HEADS.get(norm, "")
    if not family:
        family = HEADS.get(strip_clitic(norm), "")
    nxt = words[i + 1].norm if i + 1 < len(words) else ""
    if family == "crown_prince" and nxt != "العهد":
        return ""
    if family == "secretary_general" and nxt != "العام":
        return ""
    return family


_FIRST_WORDS = frozenset(k[0] for k in [*COUNTRY_NAMES, *CITIES])


def _match_at(words: list[Word], i: int, table: dict[tuple[str, ...], str]) -> tuple[object, int]:
    first = words[i].norm
    if first not in _FIRST_WORDS and first[1:] not in _FIRST_WORDS:
        return None, 0  # the common case, decided without building any key
    for size in range(min(_MAX_PLACE_WORDS, len(words) - i), 0, -1):
        norms = [w.norm for w in words[i : i + size]]
        if size > 1 and any(w.punct_before for w in words[i + 1 : i + size]):
            continue
        key = tuple(norms)
        if key in table:
            return table[key], size
        bare = strip_clitic(norms[0])
        if bare != norms[0] and (bare, *norms[1:]) in table:
            return table[(bare, *norms[1:])], size
    return None, 0


def country_at(words: list[Word], i: int) -> tuple[str, int]:
    """(English country name, number of words) when a country name starts at word `i`."""
    value, size = _match_at(words, i, COUNTRY_NAMES)
    return (value or "", size)


def city_at(words: list[Word], i: int) -> tuple[tuple[str, str] | None, int]:
    """((Arabic, English) city, number of words) when a city name starts at word `i`."""
    value, size = _match_at(words, i, CITIES)
    return value, size


@lru_cache(maxsize=16)
def _candidate_pattern(first_words: tuple[str, ...]) -> re.Pattern:
    words = sorted({*HEADS, *first_words}, key=len, reverse=True)
    return re.compile(rf"(?<!\w)[{CLITIC_LETTERS}]?(?:{'|'.join(map(re.escape, words))})(?!\w)")


def may_name_officials(
    *, title: str, paragraphs: list[str], known_names: dict[str, str] | None = None
) -> bool:
    """False only when `extract` cannot find anyone: no word is the head of a role phrase (with or without
    an attached و/ب/ل/ف/ك) nor the first word of a known name. One search of the normalised text, much
    cheaper than reading it sentence by sentence; normalising a word never joins it to its neighbours, so a
    word `extract` would read is always found here."""
    firsts = tuple(sorted({key.split()[0] for key in known_names or {} if key.split()}))
    text = normalize("\n".join([title, *paragraphs]))
    return _candidate_pattern(firsts).search(text) is not None
