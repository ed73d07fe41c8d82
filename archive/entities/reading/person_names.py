"""Comparing spellings of one person's name (keys from `archive.text.arabic.name_key`).

Closeness is measured with RapidFuzz on the normalised letters (`archive.text.arabic.normalize`), spaces
removed, because transliterations of one foreign name differ in vowels and in where words split
(`سراج الدين مهر الدين`, `سيروجد الدين مخردين`).
"""

from functools import lru_cache

from rapidfuzz import fuzz

from archive.entities.reading.lexicon import COMPOUND_SECOND
from archive.text.arabic import name_key, normalize

# Thresholds found on the seed spellings and on pairs of different people who share a post and country
# (Russian deputy foreign ministers Galuzin/Bogdanov/Ryabkov/Rudenko score at most 77/57).
FULL_NAME_MIN = 72.0
SURNAME_MIN = 62.0
# Within one article, or for a surname alone, the bar is higher: no role check backs it up.
SAME_SURNAME_MIN = 86.0
# Words that open a family name of two words (عبد العاطي, أبو الغيط).
_FAMILY_PREFIXES = frozenset(normalize(w) for w in ["عبد", "أبو", "بن", "ولد"])


@lru_cache(maxsize=65536)
def surname_key(name: str) -> str:
    """The family name: the last word, or the last two when the last is the tail of a compound (مهر الدين)."""
    words = name_key(name).split()
    compound = words[-1] in COMPOUND_SECOND or words[-1] in ("زاده", "زاد")
    if len(words) >= 2 and (compound or words[-2] in _FAMILY_PREFIXES):
        return " ".join(words[-2:])
    return words[-1] if words else ""


def _squash(key: str) -> str:
    return key.replace(" ", "")


def similarity(a: str, b: str) -> float:
    return fuzz.ratio(_squash(name_key(a)), _squash(name_key(b)))


def same_person(a: str, b: str) -> bool:
    """Whether two spellings (of people already known to share role and country) name one person.

    A bare surname matches a full name whose surname is close; two full names must be close overall and
    in the surname.
    """
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    sa, sb = surname_key(ka), surname_key(kb)
    if ka == sa or kb == sb:
        # One of them is a surname alone.
        return fuzz.ratio(_squash(sa), _squash(sb)) >= SAME_SURNAME_MIN
    return similarity(ka, kb) >= FULL_NAME_MIN and fuzz.ratio(_squash(sa), _squash(sb)) >= SURNAME_MIN
