"""Reading a person's name out of the words of a sentence: where it starts, where it ends.

A name is a run of words that are not role, country or city words nor function words; an ال-word ends it
unless it belongs to a compound given name (سراج الدين) or is the family name (بشار الأسد).
"""

import re

from archive.entities.reading.lexicon import COMPOUND_FIRST, COMPOUND_SECOND, NAME_BREAKERS
from archive.entities.reading.places import country_of_adjective
from archive.entities.reading.sentences import Word, city_at, country_at, head_at
from archive.text.arabic import is_stopword, normalize

MAX_NAME_WORDS = 5
NAME_SEPARATORS = re.compile(r"^[\s\-–—،,]*$")
# Words that are also given names, though the shared stop-word list holds them (أمام/إمام, على/علي, لولا).
NAME_WORDS = frozenset({"امام", "علي", "لولا"})
HONORIFICS = frozenset(
    normalize(w) for w in ["الأمير", "الشيخ", "السيد", "السيدة", "الدكتور", "الدكتورة", "المشير", "الفريق"]
)
_BEFORE_ALI = frozenset({"امام", "محمد", "احمد", "حسن", "حسين", "زين", "مصطفي", "عبد"})
_NOT_NAME_STARTS = ("لت", "لل", "بال", "وال", "فال", "كال")


def not_a_name_word(words: list[Word], k: int, norm: str) -> bool:
    if norm in NAME_BREAKERS or (is_stopword(norm) and norm not in NAME_WORDS):
        return True
    return bool(
        head_at(words, k) or country_at(words, k)[0] or city_at(words, k)[0] or country_of_adjective(norm)
    )


def read_name(words: list[Word], j: int, *, strip_prefix: bool = False) -> tuple[list[str], int, bool]:
    """Words of a name starting at `j`: (names as written, index after the name, ended cleanly)."""
    name: list[str] = []
    norms: list[str] = []
    k = j
    while k < len(words):
        w = words[k]
        text, norm = w.text, w.norm
        if k == j and strip_prefix and norm[:1] == "و":
            text, norm = text[1:], norm[1:]
        if k > j and w.punct_before:
            return name, k, True
        if not norm or not norm[0].isalpha() or norm.isascii() or not_a_name_word(words, k, norm):
            return name, k, True
        if norm.endswith(("ها", "هم", "هما", "ته")) and len(norm) > 4:
            return name, k, True  # "سفيرها", "خارجيته": a noun with a pronoun, not a name
        if not name and norm.startswith(_NOT_NAME_STARTS):
            return name, k, True  # "لتوضيح", "بالتعاون": a preposition and a common word, not a name
        if name and norm[0] == "و" and len(norm) > 2 and len(name) >= 2:
            return name, k, True  # "بوتين وإمام علي": the conjunction starts another name
        if norm == "علي" and not (len(name) == 1 and norms[0] in _BEFORE_ALI):
            return name, k, True  # "على" (on), except in names such as إمام علي, محمد علي
        if norm.startswith("ال"):
            if not name:
                return name, k, True
            nxt = words[k + 1] if k + 1 < len(words) else None
            ends_here = nxt is None or nxt.punct_before or not_a_name_word(words, k + 1, nxt.norm)
            compound = norms[-1] in COMPOUND_FIRST or norm in COMPOUND_SECOND
            # "بشار الأسد", "عبد الفتاح السيسي": a family name with the article, where the name ends.
            family_name = ends_here and (len(name) == 1 or norms[-1] in COMPOUND_SECOND)
            if not (compound or family_name):
                # "سيرغي لافروف أسبوع العمل": an idafa, so the word before it was not part of the name.
                if len(name) > 2:
                    name.pop()
                return name, k, False
        name.append(text)
        norms.append(norm)
        k += 1
        if len(name) >= MAX_NAME_WORDS + (1 if any(n in COMPOUND_SECOND for n in norms) else 0):
            return name, k, False
    return name, k, True


def name_before(words: list[Word], i: int) -> int | None:
    """Where a name ends right before a comma and the role phrase at `i` starts (None if there is none)."""
    if i < 2 or not any(c in words[i].gap for c in "،,"):
        return None
    start = i
    while start > 0 and i - start < MAX_NAME_WORDS and (start == i or not words[start].punct_before):
        norm = words[start - 1].norm
        if not norm or not norm[0].isalpha() or norm.isascii() or not_a_name_word(words, start - 1, norm):
            break
        start -= 1
    if i - start < 2:
        return None
    if start > 0 and not words[start].punct_before:
        previous = words[start - 1].norm
        if previous.startswith("ال") or head_at(words, start - 1):
            return None  # the name already follows a role phrase of its own
    name, end, _strong = read_name(words, start)
    return start if end == i and len(name) == i - start else None
