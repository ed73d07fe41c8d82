"""Month and weekday names as Arabic newspapers write them, for reading dates and for showing them.

One table serves the ingest's date lines, the extraction of meeting dates and the pages' date filters.
"""

import datetime as dt

from archive.text.arabic import normalize

# Per month: the Egyptian/Gulf name, the Levantine (Syriac) name, then other spellings and the Maghrebi
# (French) names. Pages show the first two as "فبراير/شباط", the way the seeds write them.
GREGORIAN_MONTHS: dict[int, tuple[str, ...]] = {
    1: ("يناير", "كانون الثاني", "جانفي"),
    2: ("فبراير", "شباط", "فيفري"),
    3: ("مارس", "آذار"),
    4: ("أبريل", "نيسان", "إبريل", "أفريل"),
    5: ("مايو", "أيار", "ماي"),
    6: ("يونيو", "حزيران", "يونيه", "جوان"),
    7: ("يوليو", "تموز", "يوليه", "جويلية"),
    8: ("أغسطس", "آب", "أوت"),
    9: ("سبتمبر", "أيلول"),
    10: ("أكتوبر", "تشرين الأول"),
    11: ("نوفمبر", "تشرين الثاني"),
    12: ("ديسمبر", "كانون الأول"),
}

# Normalised month name (one or two words) -> month number; normalisation makes hamza spellings one entry.
MONTH_NUMBERS: dict[str, int] = {
    normalize(name): number for number, names in GREGORIAN_MONTHS.items() for name in names
}

# Normalised weekday name -> Python's date.weekday() number.
WEEKDAY_NUMBERS: dict[str, int] = {
    normalize(name): number
    for name, number in [
        ("الإثنين", 0),
        ("الاثنين", 0),
        ("الثلاثاء", 1),
        ("الأربعاء", 2),
        ("الخميس", 3),
        ("الجمعة", 4),
        ("السبت", 5),
        ("الأحد", 6),
    ]
}

HIJRI_MONTHS_AR: tuple[str, ...] = (
    "محرم",
    "صفر",
    "ربيع الأول",
    "ربيع الآخر",
    "جمادى الأولى",
    "جمادى الآخرة",
    "رجب",
    "شعبان",
    "رمضان",
    "شوال",
    "ذو القعدة",
    "ذو الحجة",
)


def gregorian_month_display(month: int) -> str:
    """The month as Arabic pages show it: "فبراير/شباط"."""
    names = GREGORIAN_MONTHS[month]
    return f"{names[0]}/{names[1]}"


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    """The date, or None when the text names one that does not exist (30 فبراير)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
