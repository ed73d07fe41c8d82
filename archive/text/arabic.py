"""The one Arabic text module: normalisation, tokenisation, stemming and digit folding.

Indexing, query parsing, highlighting, official-name matching and the admin's search column all call
these functions, so that a word is treated the same way everywhere.
"""

import re
from functools import lru_cache

from pyarabic import araby

# Arabic-Indic (U+0660..) and Persian (U+06F0..) digits fold to ASCII so that ٢٠٢٥ and 2025 are one token.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ي",
        "،": ",",
        "؛": ";",
        "؟": "?",
        "\u00a0": " ",
    }
)
# Harakat, shadda, sukun, superscript alef and the other Quranic marks (all Unicode Mn in the Arabic block).
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")


def fold_digits(text: str) -> str:
    return text.translate(_DIGITS)


@lru_cache(maxsize=200_000)
def normalize(text: str) -> str:
    """Fold the spellings Arabic writers use interchangeably to one form.

    Idempotent: normalize(normalize(x)) == normalize(x).
    """
    text = araby.strip_tatweel(text)
    text = _MARKS.sub("", text)
    return text.translate(_LETTERS).translate(_DIGITS)
