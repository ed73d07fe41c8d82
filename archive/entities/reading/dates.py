"""Dates as Arabic news writes them, resolved against the article's own date.

`اليوم الخميس 13 فبراير/شباط 2025`, `في 24 أغسطس/آب الماضي`, `يوميّ 17 و18 مارس/آذار 2025`,
`الثلاثاء الماضي`, `أمس`. A date that cannot be pinned to a day is not invented: it comes back as None,
and a month without a day (`أبريل الماضي`, "last April") comes back as that month of the right year.
"""

import datetime as dt
import re
from dataclasses import dataclass

from archive.text.arabic import normalize
from archive.text.calendar import MONTH_NUMBERS, WEEKDAY_NUMBERS, safe_date

# Longest first, so that مايو wins over ماي and "كانون الثاني" is read whole.
_MONTH_ALT = "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True))
_MONTH = rf"(?P<month>{_MONTH_ALT})(?:\s*/\s*(?:{_MONTH_ALT}))?"
# Day, optional second day ("17 و18"), month (with its Levantine name after a slash), optional year or
# "الماضي"/"المقبل"/"الجاري".
_FULL = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})(?:\s*و\s*\d{{1,2}})?\s+{_MONTH}"
    rf"(?:\s+(?:عام\s+)?(?P<year>\d{{4}})|\s+(?P<rel>الماضي|المقبل|القادم|الجاري))?"
)
_MONTH_ONLY = re.compile(rf"(?<![\w])(?:في\s+|و\s*في\s+)?{_MONTH}\s+(?P<rel>الماضي|المقبل|الجاري)")
_WEEKDAY = re.compile(r"(?P<wd>\S+)\s+(?P<rel>الماضي|المقبل|القادم)")
_WORDS = {normalize("أمس"): -1, normalize("البارحة"): -1, normalize("غدا"): 1, normalize("غداً"): 1}


@dataclass(frozen=True)
class FoundDate:
    date: dt.date | None
    text: str
    # True when the text names a month but not a day: kept in provenance, not as a date.
    month_only: bool = False
    # That month as (year, month), resolved against the article's date ("أبريل الماضي" in June 2023:
    # (2023, 4)); None when no reference date says which year.
    month: tuple[int, int] | None = None


def _year_for(month: int, rel: str | None, reference: dt.date | None) -> int | None:
    if reference is None:
        return None
    if rel == "الماضي":
        return reference.year if month < reference.month else reference.year - 1
    if rel in ("المقبل", "القادم"):
        return reference.year if month > reference.month else reference.year + 1
    return reference.year


def first_full_date(text: str) -> dt.date | None:
    """The first date with day, month and year written out (used when an article has no date)."""
    for match in _FULL.finditer(normalize(text)):
        if match.group("year"):
            month = MONTH_NUMBERS[match.group("month")]
            date = safe_date(int(match.group("year")), month, int(match.group("day")))
            if date:
                return date
    return None


_NOT_A_DAY = frozenset(normalize(w) for w in ["صلاة", "خطبة", "صلاه", "خطبه"])


def _words(text: str) -> frozenset[str]:
    return frozenset(normalize(w) for w in text.split())


_FUTURE = _words(
    "سيلتقي ستلتقي سيجري ستجري سيزور ستزور سيعقد ستعقد سيبحث سيستقبل ستستقبل سيصل يعتزم تعتزم "
    "يعتزمان المقرر المتوقع المرتقب المزمع"
)


def _bare_weekday(words: list[str], reference: dt.date | None) -> FoundDate | None:
    """ "التقى ... الخميس": the last such day up to the article's date; a future verb looks ahead."""
    if reference is None:
        return None
    for n, word in enumerate(words):
        weekday = WEEKDAY_NUMBERS.get(word)
        if weekday is None or (n and words[n - 1] in _NOT_A_DAY):
            continue
        if _FUTURE.intersection(words):
            delta = (weekday - reference.weekday()) % 7
            return FoundDate(date=reference + dt.timedelta(days=delta), text=word)
        delta = (reference.weekday() - weekday) % 7
        return FoundDate(date=reference - dt.timedelta(days=delta), text=word)
    return None


def find_date(text: str, *, reference: dt.date | None) -> FoundDate | None:
    """The first date the text gives, resolved against `reference` (the article's date)."""
    norm = normalize(text)
    match = _FULL.search(norm)
    if match:
        month, day = MONTH_NUMBERS[match.group("month")], int(match.group("day"))
        if match.group("year"):
            year = int(match.group("year"))
        else:
            year = _year_for(month, match.group("rel"), reference)
        date = safe_date(year, month, day) if year else None
        return FoundDate(date=date, text=match.group(0))
    for match in _WEEKDAY.finditer(norm):
        weekday = WEEKDAY_NUMBERS.get(match.group("wd"))
        if weekday is None or reference is None:
            continue
        if match.group("rel") == "الماضي":
            delta = (reference.weekday() - weekday) % 7 or 7
            return FoundDate(date=reference - dt.timedelta(days=delta), text=match.group(0))
        delta = (weekday - reference.weekday()) % 7 or 7
        return FoundDate(date=reference + dt.timedelta(days=delta), text=match.group(0))
    words = norm.split()
    for word in words:
        if word in _WORDS and reference is not None:
            return FoundDate(date=reference + dt.timedelta(days=_WORDS[word]), text=word)
    bare = _bare_weekday(words, reference)
    if bare is not None:
        return bare
    month_only = _MONTH_ONLY.search(norm)
    if month_only:
        number = MONTH_NUMBERS[month_only.group("month")]
        year = _year_for(number, month_only.group("rel"), reference)
        return FoundDate(
            date=None,
            text=month_only.group(0).strip(),
            month_only=True,
            month=(year, number) if year else None,
        )
    if normalize("اليوم") in words and reference is not None:
        return FoundDate(date=reference, text=normalize("اليوم"))
    return None
