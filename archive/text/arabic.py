"""The one Arabic text module: normalisation, tokenisation, stemming, stop words and digit folding.

Indexing, query parsing, highlighting, official-name matching and the admin's search column all call
these functions, so that a word is treated the same way everywhere.

The analysis chain (`terms()`) has three strictness modes:
- ``exact``: the word as written, minus diacritics, tatweel and invisible marks (optional in writing), with
  digits folded and Latin lower-cased; hamza forms, ة and ى are kept.
- ``normalized``: plus the spelling folds writers use interchangeably (أ إ آ ٱ → ا,
  ى → ي, ة → ه, ؤ → و, ئ → ي).
- ``stemmed``: plus light removal of attached prefixes (و ال وال بال لل ...) and suffixes (ها ات ون ين ...),
  then the Snowball Arabic stemmer.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import Stemmer
from pyarabic import araby

from archive.text.stopwords import STOPWORDS_RAW

Mode = Literal["exact", "normalized", "stemmed"]
MODES: tuple[str, ...] = ("exact", "normalized", "stemmed")

# Arabic-Indic (U+0660..) and Persian (U+06F0..) digits fold to ASCII so that ٢٠٢٥ and 2025 are one token.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Arabic punctuation becomes a separator; the decimal/thousands marks become their Latin equivalents.
_PUNCT = {"،": " ", "؛": " ", "؟": " ", "۔": " ", "٪": "%", "٫": ".", "٬": ",", "\u00a0": " ", "_": " "}
_DIGIT_MAP = dict(zip("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2, strict=True))
_EXACT_TABLE = str.maketrans({**_PUNCT, **_DIGIT_MAP})
_LETTERS = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ى": "ي",
    "ة": "ه",
    "ؤ": "و",
    "ئ": "ي",
    "ی": "ي",
    "ک": "ك",
}
# Written letter -> the letter `normalize` folds it to (public for code that must undo the fold).
LETTER_FOLDS: dict[str, str] = dict(_LETTERS)
_NORMAL_TABLE = str.maketrans({**_PUNCT, **_LETTERS, **_DIGIT_MAP})

# Harakat, shadda, sukun, superscript alef, Quranic annotation marks and the maddah/hamza combining marks
# (a decomposed أ is ا + U+0654), Latin combining accents, tatweel, and the invisible joiners and bidi marks.
_MARK_CHARS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0300-\u036f"
# The explicit direction controls: marks (LRM, RLM, ALM), embeddings and overrides, isolates.
_BIDI_CONTROL_CHARS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_INVISIBLE_CHARS = f"\u0640\u200b-\u200d{_BIDI_CONTROL_CHARS}\ufeff"
_STRIP = re.compile(f"[{_MARK_CHARS}{_INVISIBLE_CHARS}]+")
_BIDI_CONTROLS = re.compile(f"[{_BIDI_CONTROL_CHARS}]+")
# Arabic presentation forms (ligatures such as ﻻ and ﷲ) are decomposed to plain letters.
_PRESENTATION = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]")

# A word: letters/digits, with diacritics, tatweel and joiners allowed inside, so that Whoosh-style `\w`
# splitting at a haraka (Unicode Mn) can never cut a vocalised word in pieces. One character class is four
# times faster than an alternation; the underscore it lets in is a separator again in `normalize`.
WORD_PATTERN = re.compile(f"[\\w{_MARK_CHARS}{_INVISIBLE_CHARS}]+")
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")


@dataclass(frozen=True, slots=True)
class Token:
    """A word as written; `start`/`end` are offsets into the original text (for highlights)."""

    text: str
    start: int
    end: int


def fold_digits(text: str) -> str:
    """Arabic-Indic and Persian digits to ASCII; nothing else changes."""
    return text.translate(_DIGITS)


def without_bidi_controls(text: str) -> str:
    """The text without direction controls, for plain-text places that cannot isolate it.

    Pages isolate each piece of data (``<bdi>``, ``dir="auto"``) so an override inside it cannot reorder what
    follows; a ``<title>``, a CSV cell or an Atom title has no such boundary, and a leading U+202E would also
    hide a spreadsheet formula from the formula guard. The letters themselves are kept as written.
    """
    return _BIDI_CONTROLS.sub("", text)


def _decompose_presentation(match: re.Match) -> str:
    return unicodedata.normalize("NFKC", match.group(0))


def _clean(text: str) -> str:
    """The steps both `exact` and `normalized` share: ligatures, case, diacritics and invisible marks."""
    if _PRESENTATION.search(text):
        text = araby.normalize_ligature(text)
        text = _PRESENTATION.sub(_decompose_presentation, text)
    return _STRIP.sub("", text.lower())


# Words and names recur endlessly and are worth caching; whole article texts never recur and would only
# push the words out of the cache, so they are normalised directly.
_CACHED_LENGTH = 64


def normalize(text: str) -> str:
    """Fold the spellings Arabic writers use interchangeably to one form.

    Removes diacritics and tatweel, folds alef/hamza/yeh/teh-marbuta variants, digits to ASCII, Arabic
    punctuation to spaces, lower-cases Latin. Idempotent: normalize(normalize(x)) == normalize(x).
    """
    if len(text) <= _CACHED_LENGTH:
        return _normalize_short(text)
    return _clean(text).translate(_NORMAL_TABLE)


@lru_cache(maxsize=200_000)
def _normalize_short(text: str) -> str:
    return _clean(text).translate(_NORMAL_TABLE)


def normalize_exact(text: str) -> str:
    """No diacritics, tatweel or invisible marks, digits folded, Latin lower-cased; letters as written."""
    if len(text) <= _CACHED_LENGTH:
        return _normalize_exact_short(text)
    return _clean(text).translate(_EXACT_TABLE)


@lru_cache(maxsize=200_000)
def _normalize_exact_short(text: str) -> str:
    return _clean(text).translate(_EXACT_TABLE)


# Stop words are compared in normalised form, so "إلى", "الى" and "إِلَى" are all one entry.
STOPWORDS: frozenset[str] = frozenset(normalize(w) for w in STOPWORDS_RAW)


def is_stopword(word: str) -> bool:
    """True for Arabic function words, with or without diacritics or an attached و/ف (وفي, فهو)."""
    norm = normalize(word)
    if norm in STOPWORDS:
        return True
    return len(norm) > 2 and norm[0] in "وف" and norm[1:] in STOPWORDS


# Light stemming on the normalised form (so ة is already ه), then the Snowball Arabic stemmer (PyStemmer,
# compiled) on what is left: measured on the retrieval sets, the pair beats either alone (benchmarks/).
# Prefixes longest first; each suffix is tried once in this order, as in Larkey's light10, but a suffix is
# only removed when 3 letters remain (light10 keeps 2, which turns القران into قر and لبنان into لبن).
_ARTICLES = ("وال", "بال", "كال", "فال", "لل", "ال")
_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")
# Words no stemmer may touch: the article strip would turn الله into the pronoun له.
_PROTECTED = {
    "الله": "الله",
    "لله": "الله",
    "والله": "الله",
    "بالله": "الله",
    "فالله": "الله",
    "تالله": "الله",
}
_SNOWBALL = Stemmer.Stemmer("arabic")


def light_stem(word: str) -> str:
    """Larkey-style light stem of one normalised Arabic word (prefix و and ال forms, common suffixes)."""
    if len(word) < 3 or not _ARABIC_LETTER.match(word):
        return word
    if word[0] == "و" and len(word) >= 4:
        word = word[1:]
    for prefix in _ARTICLES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            word = word[len(prefix) :]
            break
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
    return word


@lru_cache(maxsize=500_000)
def stem(word: str) -> str:
    """Stem of one word (normalised first); Latin words and numbers come back normalised, not stemmed."""
    # The stand-alone hamza is spelled, dropped or seated at will (مسؤول/مسئول/مسءول, أشياء/اشيا, جاء/جا):
    # the stemmed mode ignores it (measured: +0.03 MRR on the Qur'an set, nothing lost elsewhere).
    word = normalize(word).replace("ء", "")
    if word in _PROTECTED:
        return _PROTECTED[word]
    if len(word) < 3 or not _ARABIC_LETTER.match(word):
        return word
    return _SNOWBALL.stemWord(light_stem(word))


def tokenize(text: str) -> list[Token]:
    """Words of `text` with their offsets; never splits at a diacritic, keeps Latin words and numbers."""
    return [Token(m.group(0), m.start(), m.end()) for m in WORD_PATTERN.finditer(text or "")]


@lru_cache(maxsize=500_000)
def term(word: str, mode: Mode = "stemmed") -> str:
    """The index/query term for one token in `mode` ("" when nothing is left, e.g. a lone diacritic)."""
    if mode == "stemmed":
        norm = normalize(word)
        if " " in norm:  # snake_case, or a ligature such as ﷺ that stands for several words
            return " ".join(stem(part) for part in norm.split())
        return stem(norm)
    if mode == "normalized":
        return normalize(word)
    if mode == "exact":
        return normalize_exact(word)
    raise ValueError(f"unknown analysis mode: {mode!r}")


# Indexing analyses every word of every article three times (one field per mode): a plain dict per
# (mode, stopwords) pair is the cheapest cache there is. Cleared when full, so memory stays bounded.
_WORD_CACHES: dict[tuple[str, bool], dict[str, str]] = {(m, s): {} for m in MODES for s in (True, False)}
_WORD_CACHE_SIZE = 300_000


def word_term(word: str, mode: Mode = "stemmed", stopwords: bool = True) -> str:
    """The term of one token in `mode`; "" when it is dropped (a stop word, or nothing left)."""
    cache = _WORD_CACHES[(mode, stopwords)]
    result = cache.get(word)
    if result is None:
        result = "" if stopwords and is_stopword(word) else term(word, mode)
        if len(cache) >= _WORD_CACHE_SIZE:
            cache.clear()
        cache[word] = result
    return result


def word_cache(mode: Mode = "stemmed", stopwords: bool = True) -> dict[str, str]:
    """The word -> term cache `word_term` fills, for loops that look words up themselves (indexing).

    Read-only for callers: a miss goes through `word_term`, which keeps the cache bounded.
    """
    return _WORD_CACHES[(mode, stopwords)]


def terms(text: str, *, mode: Mode = "stemmed", stopwords: bool = True) -> list[str]:
    """The analysis chain used for both indexing and querying: tokenize, drop stop words, map to terms."""
    cache = _WORD_CACHES[(mode, stopwords)]
    out = []
    for word in WORD_PATTERN.findall(text or ""):
        t = cache.get(word)
        if t is None:
            t = word_term(word, mode, stopwords)
        if not t:
            continue
        if " " in t:  # a presentation-form ligature such as ﷺ decomposes to several words
            out.extend(t.split())
        else:
            out.append(t)
    return out


# One-letter proclitics written joined to the next word: و (and), ب (by), ل (for), ف (so), ك (like).
CLITIC_LETTERS = "وبلفك"
# Endings of a relative adjective (nisba) on the normalised form: روسي، روسيه، روسيون، روسيين، روسيتين.
NISBA_ENDINGS = ("يه", "يين", "يون", "يتين", "ي")


def strip_clitic(word: str, *, min_rest: int = 3) -> str:
    """A normalised word without one attached و/ب/ل/ف/ك when `min_rest` letters remain (وموسكو → موسكو).

    The default keeps short words whole: ولد or بن must not lose a letter that is part of them.
    """
    if word[:1] in CLITIC_LETTERS and len(word) - 1 >= min_rest:
        return word[1:]
    return word


def strip_article(word: str, *, min_rest: int = 3) -> str:
    """A normalised word without its definite article, with any clitic fused to it (الجانب, والجانب,
    للجانب → جانب), when `min_rest` letters remain; otherwise the word unchanged."""
    for prefix in _ARTICLES:
        if word.startswith(prefix) and len(word) - len(prefix) >= min_rest:
            return word[len(prefix) :]
    return word


def nisba_bases(word: str) -> list[str]:
    """What a normalised relative adjective without its article may be formed on, most likely first
    (روسيه → روس; طاجيكستاني → طاجيكستان): the caller keeps the first it knows."""
    return [word[: -len(ending)] for ending in NISBA_ENDINGS if word.endswith(ending)]


# Names recur across articles and are compared with every official of a post: their keys are cached.
@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """How two spellings of a name are compared: normalised, case-folded, single-spaced."""
    return " ".join(normalize(name).casefold().split())


_LATIN_LETTERS = {
    "ا": "a",
    "أ": "a",
    "إ": "i",
    "آ": "a",
    "ب": "b",
    "ت": "t",
    "ث": "th",
    "ج": "j",
    "ح": "h",
    "خ": "kh",
    "د": "d",
    "ذ": "dh",
    "ر": "r",
    "ز": "z",
    "س": "s",
    "ش": "sh",
    "ص": "s",
    "ض": "d",
    "ط": "t",
    "ظ": "z",
    "ع": "",
    "غ": "g",
    "ف": "f",
    "ق": "q",
    "ك": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ه": "h",  # a final ه is almost always a folded ة: see _word_to_latin
    "ة": "a",
    "ء": "",
    "ئ": "",
    "ؤ": "",
    "ى": "a",
}


def _word_to_latin(word: str) -> str:
    out = []
    for i, ch in enumerate(word):
        if ch in "وي":
            # Inside or at the end of a word و/ي are vowels (o/i); at the start, consonants (v/y).
            vowel = i > 0
            if ch == "و":
                out.append("o" if vowel else "v")
            else:
                out.append("i" if vowel else "y")
        elif ch == "ه" and i == len(word) - 1 and i > 1:
            out.append("a")
        else:
            out.append(_LATIN_LETTERS.get(ch, ch))
    return "".join(out).capitalize()


def transliterate_latin(text: str) -> str:
    """A rough Latin spelling of Arabic words, each capitalised (مارات خوسنولين → Marat Khosnolin)."""
    return " ".join(_word_to_latin(w) for w in normalize(text).split() if w)


def clear_caches() -> None:
    """Empty every word cache (for measurements; the caches are bounded and never stale)."""
    for cache in _WORD_CACHES.values():
        cache.clear()
    for cached in (_normalize_short, _normalize_exact_short, stem, term):
        cached.cache_clear()


# Written character -> the character `normalize` folds it to (letters, digits, Arabic punctuation).
_FOLDED_FROM: dict[str, set[str]] = {}
for _written, _folded in {**_LETTERS, **_DIGIT_MAP, **_PUNCT}.items():
    _FOLDED_FROM.setdefault(_folded, set()).add(_written)


def _bracket(chars: set[str]) -> str:
    return "[" + "".join("\\" + c if c in "\\]^-[" else c for c in sorted(chars)) + "]"


def spelling_pattern(text: str) -> str:
    """A regular expression that finds `text` in unnormalised text under every spelling `normalize` folds
    together (هجره finds الهجرة and الهِجرة); for case-insensitive matching. The syntax is common to
    Python's `re` and PostgreSQL's, so a database can match it on the stored text itself.

    Ligatures in presentation forms (ﻻ) are not matched: `normalize` decomposes them, this does not.
    """
    optional = f"[{_MARK_CHARS}{_INVISIBLE_CHARS}]*"
    parts = []
    for char in normalize(text).strip():
        variants = {char, *_FOLDED_FROM.get(char, ())}
        parts.append(_bracket(variants) if len(variants) > 1 else re.escape(char))
    return optional.join(parts)
