"""What a meeting discussed: agenda sentences and the topics of the curated vocabulary they name.

An agenda sentence announces or reports what is on the table (`سيناقش`، `لمناقشة`، `بحث الوزيران`، `تناولت`،
`جدول الأعمال`، `سيولى اهتمام خاص لـ`، `ركزت المحادثات على`). The words after that cue are matched against
each topic's trigger words by stem (`archive.text.arabic.stem`), so `التجاري`، `التجارة` and `والتجارية` are
one word; a trigger of several words (`رابطة الدول المستقلة`) takes its words, so `الأمن` inside
`معاهدة الأمن الجماعي` names the organisation, not security. Words right after a ministry or a minister
(`وزير الدفاع`) are titles, not topics.

Pure functions, linear in the text: each sentence is read once, each word looked up in a dictionary.
"""

import re
from dataclasses import dataclass

from archive.entities.reading.sentences import Sentence
from archive.text.arabic import normalize, stem, strip_clitic


def _n(words: str) -> frozenset[str]:
    return frozenset(normalize(w) for w in words.split())


# One-word cues, with or without a joined و/ف/ل.
_CUES = _n(
    "سيناقش سيناقشان يناقش يناقشان ناقش ناقشا ناقشت مناقشة لمناقشة المناقشات مناقشات سيبحث سيبحثان "
    "يبحث يبحثان بحث بحثا بحثت لبحث سيتناول تناول تناولا تناولت يتناول تطرق تطرقا تطرقت يتطرق يتطرقا "
    "سيتطرق سيتطرقان التطرق تركز ركزت ركز تمحورت أجندة"
)
# Two-word cues: "جدول الأعمال"، "اهتمام خاص"، "اهتماما خاصا".
_PAIRS = {
    (normalize("جدول"), normalize("الأعمال")),
    (normalize("جدول"), normalize("أعمال")),
    (normalize("اهتمام"), normalize("خاص")),
    (normalize("اهتماما"), normalize("خاصا")),
    (normalize("اهتماماً"), normalize("خاصاً")),
}
# "خلال الاتصال"، "خلال المحادثات": what is said there is what the meeting discussed.
_DURING = normalize("خلال")
_MEETING_NOUNS = _n("الاتصال اللقاء المحادثات المباحثات الاجتماع القمة")
# "... لن تبقى دون اهتمام": the topics come before the cue.
_WITHOUT = (normalize("دون"), normalize("اهتمام"))
_COVERAGE = _n("وسائل الصحف الصحيفة التقارير الإعلام")
_TITLES = _n("وزير وزيرا وزراء وزارة وزارتي الوزير نائب رئيس")
_MAX_TRIGGER_WORDS = 6


@dataclass(frozen=True)
class TopicFound:
    key: str
    sentence: int  # index into the sentences read
    text: str  # the sentence, as provenance


def _stem_of(word: str) -> str:
    return stem(normalize(word)) if word else ""


def _text_stem(norm: str, firsts: set[str]) -> str:
    """A word of the text by stem; a joined ب/ل/ك/ف the stemmer keeps ("لقضايا") is tried without."""
    first = stem(norm)
    if first in firsts:
        return first
    return stem(strip_clitic(norm, min_rest=3))


def compile_vocabulary(topics: dict[str, list[str]]) -> dict[tuple[str, ...], str]:
    """Topic key -> trigger words, to stem sequence -> key (longest triggers first when matching)."""
    table: dict[tuple[str, ...], str] = {}
    for key, triggers in topics.items():
        for trigger in triggers:
            stems = tuple(_stem_of(w) for w in re.findall(r"\w+", trigger))
            if stems:
                table.setdefault(stems, key)
    return table


def _cue_at(norms: list[str]) -> int | None:
    """Index of the first word after the agenda cue, None when the sentence has none."""
    for i, norm in enumerate(norms):
        if norm in _CUES or strip_clitic(norm, min_rest=3) in _CUES:
            if i + 1 < len(norms) and norms[i + 1] in _COVERAGE:
                continue  # "تناولت وسائل الإعلام ...": what the press covered, not what was discussed
            return i + 1
        if i + 1 < len(norms):
            pair = (strip_clitic(norm, min_rest=3), norms[i + 1])
            if pair in _PAIRS or (pair[0] == _DURING and pair[1] in _MEETING_NOUNS):
                return i + 2
            if pair == _WITHOUT:
                return 0
    return None


def topics_in(*, sentence: Sentence, table: dict[tuple[str, ...], str]) -> list[str]:
    """The topic keys an agenda sentence names (in order of appearance); [] when it is not one."""
    norms = [w.norm for w in sentence.words]
    start = _cue_at(norms)
    if start is None:
        return []
    firsts = {k[0] for k in table}
    stems = [_text_stem(w.norm, firsts) for w in sentence.words]
    longest = min(_MAX_TRIGGER_WORDS, max((len(k) for k in table), default=0))
    found: list[str] = []
    i = start
    while i < len(stems):
        for size in range(min(longest, len(stems) - i), 0, -1):
            key = table.get(tuple(stems[i : i + size]))
            if key is None:
                continue
            before = norms[i - 1] if i else ""
            title = before in _TITLES or strip_clitic(before, min_rest=3) in _TITLES
            if not (title and size == 1) and key not in found:
                found.append(key)
            i += size - 1
            break
        i += 1
    return found


def find_topics(*, sentences: list[Sentence], table: dict[tuple[str, ...], str]) -> list[TopicFound]:
    out = []
    for index, sentence in enumerate(sentences):
        for key in topics_in(sentence=sentence, table=table):
            out.append(TopicFound(key=key, sentence=index, text=sentence.text))
    return out


__all__ = ["TopicFound", "compile_vocabulary", "find_topics", "topics_in"]
