"""Date filters for the bilingual pages: Gregorian and Hijri dates in the active language.

Usage: ``{% load dates %}`` then ``{{ article.published_on|long_date }}``,
``{{ article.published_on|hijri_date }}`` and, when the analyst prefers Arabic-Indic digits,
``{{ value|digits:"arab" }}``.
"""

import datetime

from django import template
from django.utils import dateformat
from django.utils.translation import get_language
from hijridate import Gregorian

from archive.text.calendar import HIJRI_MONTHS_AR, gregorian_month_display

register = template.Library()

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


def _is_arabic() -> bool:
    return (get_language() or "").split("-")[0] == "ar"


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
    if _is_arabic():
        text = f"{gregorian_month_display(day.month)} {day.year}"
        return f"{day.day} {text}" if with_day else text
    return dateformat.format(day, "j F Y" if with_day else "F Y")


@register.filter
def long_date(value: object) -> str:
    """``13 فبراير/شباط 2025`` on Arabic pages, ``13 February 2025`` on English ones; "" for no date."""
    return _gregorian(value, with_day=True)


@register.filter
def month_year(value: object) -> str:
    """``فبراير/شباط 2025`` or ``February 2025``: for timelines and chart labels grouped by month."""
    return _gregorian(value, with_day=False)


@register.filter
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
    if _is_arabic():
        return f"{hijri.day} {HIJRI_MONTHS_AR[hijri.month - 1]} {hijri.year} هـ"
    return f"{hijri.day} {HIJRI_MONTHS_EN[hijri.month - 1]} {hijri.year} AH"


@register.filter(is_safe=True)
def digits(value: object, style: str = "latn") -> str:
    """Arabic-Indic digits (٠١٢...) on Arabic pages when ``style`` is ``"arab"``; else the text unchanged.

    The analyst's choice is passed in, e.g. ``{{ count|digits:digit_style }}``; English pages keep 0-9.
    """
    if value is None:
        return ""
    text = str(value)
    if style == "arab" and _is_arabic():
        return text.translate(ARABIC_INDIC_DIGITS)
    return text
