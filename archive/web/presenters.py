"""Labels of the bilingual pages: names, places, dates and digits in the page's language.

Views, forms, feeds, exports and the pictures call these functions; the template filters
(``{% load diwan %}``, ``{% load dates %}``, ``{% load statements %}``) wrap the same functions, so a label
reads the same wherever it is shown. Whether the page is English is decided in one place,
``archive.entities.bilingual.is_english``.
"""

import datetime

from django.utils import dateformat
from hijridate import Gregorian

from archive.entities.bilingual import is_english, name_in_language
from archive.text.calendar import HIJRI_MONTHS_AR, gregorian_month_display

# The analyst's digits preference on Arabic pages (set by the preferences view).
DIGITS_COOKIE = "diwan_digits"
DIGIT_STYLES = ("latn", "arab")

HIJRI_MONTHS_EN = (
    "Muharram",
    "Safar",
    "Rabi' al-Awwal",
    "Rabi' al-Thani",
    "Jumada al-Ula",
    "Jumada al-Akhirah",
    "Rajab",
    "Sha'ban",
    "Ramadan",
    "Shawwal",
    "Dhu al-Qa'dah",
    "Dhu al-Hijjah",
)

ARABIC_INDIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


# --- names -----------------------------------------------------------------------------------------------


def in_language(obj: object, field: str, language: str | None = None) -> str:
    """`field_en` on English pages when curated, else `field_ar` (and `field_en` when only that is known)."""
    english = getattr(obj, f"{field}_en", "")
    if is_english(language) and english:
        return english
    return getattr(obj, f"{field}_ar", "") or english


def official_name(official: object, language: str | None = None) -> str:
    """The curated English name on English pages, the Arabic one otherwise (and while none is curated)."""
    return "" if official is None else in_language(official, "name", language)


def official_role(official: object) -> str:
    """The role in the active language, falling back to the Arabic one."""
    return in_language(official, "role")


def place(meeting: object) -> str:
    """Where a meeting took place, in the active language when known; "" when no source says."""
    if meeting is None:
        return ""
    return name_in_language(kind="place", name_ar=meeting.place_ar, name_en=meeting.place_en)


def country(official: object) -> str:
    """An official's country in the active language (the curated table's English name when none is set)."""
    if official is None:
        return ""
    return name_in_language(kind="country", name_ar=official.country_ar, name_en=official.country_en)


def source_name(source: str) -> str:
    """A news source (as the article gives it, e.g. تاس) in the active language when the table has it."""
    return name_in_language(kind="source", name_ar=source or "")


def named(value: str, kind: str) -> str:
    """A place, country or source name (Arabic, as stored) in the active language."""
    return name_in_language(kind=kind, name_ar=value or "")


def speaker(statement: object, language: str | None = None) -> str:
    """Who made a statement: the official, else the institution, in the page's language."""
    if statement.official is not None:
        return official_name(statement.official, language)
    institution = statement.institution
    if institution is None:
        return ""
    return in_language(institution, "name", language)


def topic_name(topic: object) -> str:
    return in_language(topic, "name")


# --- dates and digits ------------------------------------------------------------------------------------


def _as_date(value: object) -> datetime.date | None:
    # A datetime is a date too; keep only its calendar day.
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return None


def _gregorian(value: object, *, with_day: bool) -> str:
    day = _as_date(value)
    if day is None:
        return ""
    if not is_english():
        text = f"{gregorian_month_display(day.month)} {day.year}"
        return f"{day.day} {text}" if with_day else text
    return dateformat.format(day, "j F Y" if with_day else "F Y")


def long_date(value: object) -> str:
    """``13 فبراير/شباط 2025`` on Arabic pages, ``13 February 2025`` on English ones; "" for no date."""
    return _gregorian(value, with_day=True)


def month_year(value: object) -> str:
    """``فبراير/شباط 2025`` or ``February 2025``: for timelines and chart labels grouped by month."""
    return _gregorian(value, with_day=False)


def hijri_date(value: object) -> str:
    """The Umm al-Qura date: ``14 شعبان 1446 هـ`` or ``14 Sha'ban 1446 AH``.

    "" for no date and for dates outside the Umm al-Qura tables (1924-2077), which a page shows without it.
    """
    day = _as_date(value)
    if day is None:
        return ""
    try:
        hijri = Gregorian(day.year, day.month, day.day).to_hijri()
    except (OverflowError, ValueError):
        return ""
    if not is_english():
        return f"{hijri.day} {HIJRI_MONTHS_AR[hijri.month - 1]} {hijri.year} هـ"
    return f"{hijri.day} {HIJRI_MONTHS_EN[hijri.month - 1]} {hijri.year} AH"


def digit_style(request: object) -> str:
    """The analyst's digits preference ("arab" or "latn") from its cookie (no request: "latn")."""
    cookies = getattr(request, "COOKIES", None) or {}
    style = cookies.get(DIGITS_COOKIE, "")
    return style if style in DIGIT_STYLES else "latn"


def digits(value: object, style: str = "latn") -> str:
    """Arabic-Indic digits (٠١٢...) on Arabic pages when ``style`` is ``"arab"``; else the text unchanged.

    The analyst's choice is passed in, e.g. ``{{ count|digits:digit_style }}``; English pages keep 0-9.
    """
    if value is None:
        return ""
    text = str(value)
    if style == "arab" and not is_english():
        return text.translate(ARABIC_INDIC_DIGITS)
    return text


# --- records ---------------------------------------------------------------------------------------------


def meeting_label(meeting: object) -> str:
    """A meeting named by its kind, date and place: ``Talks · 5 September 2022 · Moscow``."""
    parts = [str(meeting.get_kind_display()), long_date(meeting.date), place(meeting)]
    return " · ".join(part for part in parts if part)
