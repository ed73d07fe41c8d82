"""Names of places, countries and sources in the page's language, from the curated table (BilingualName).

The articles name places and sources in Arabic; English pages show the English name when the table has
one, and the Arabic name otherwise. `name_in_language` is the one place that decision is made: the template
filters of the web pages and the facet labels of the search service both call it.
"""

from __future__ import annotations

import time

from django.db.models import Count, Max
from django.utils.translation import get_language

from archive.entities.models import BilingualName
from archive.text.arabic import name_key

# The table changes only when an editor edits it; a cached copy is checked against a stamp of the table
# (row count and last change) at most this often, so an edit shows within seconds in every process.
CHECK_SECONDS = 5.0

_cache: dict[str, tuple[float, tuple, dict]] = {}


def is_english(language: str | None = None) -> bool:
    """Whether `language` (by default the active one) is English: pages are Arabic otherwise."""
    return (language or get_language() or "").split("-")[0] == "en"


def bilingual_stamp() -> tuple:
    """Changes whenever a row of the table is added, edited or removed."""
    figures = BilingualName.objects.aggregate(count=Count("id"), last=Max("updated_at"), top=Max("id"))
    return tuple(figures.values())


def bilingual_rows() -> list[tuple[str, str, str]]:
    """Every (kind, Arabic name, English name) of the table, read at most every CHECK_SECONDS."""
    return list(_table()["rows"])


def bilingual_version() -> tuple:
    """The stamp of the table as last read (no query within CHECK_SECONDS): changes when it does."""
    _table()
    return _cache["table"][1]


def _table() -> dict:
    cached = _cache.get("table")
    now = time.monotonic()
    if cached is not None and now - cached[0] < CHECK_SECONDS:
        return cached[2]
    if cached is not None:
        stamp = bilingual_stamp()
        if cached[1] == stamp:
            _cache["table"] = (now, stamp, cached[2])
            return cached[2]
    # One query: the stamp (as bilingual_stamp computes it) comes from the rows themselves.
    full = list(BilingualName.objects.values_list("kind", "name_ar", "name_en", "id", "updated_at"))
    stamp = (len(full), max((r[4] for r in full), default=None), max((r[3] for r in full), default=None))
    rows = [r[:3] for r in full]
    english: dict[tuple[str, str], str] = {}
    for kind, ar, en in rows:
        if ar and en:
            english[(kind, name_key(ar))] = en
            # A meeting's place may be a country, a facet's source a place: any kind is a fallback.
            english.setdefault(("", name_key(ar)), en)
    table = {"rows": rows, "english": english}
    _cache["table"] = (now, stamp, table)
    return table


def bilingual_forget() -> None:
    """Drop the cached table (after an edit in this process, and between tests)."""
    _cache.clear()


def name_in_language(*, kind: str, name_ar: str, name_en: str = "", language: str | None = None) -> str:
    """The name to show for a place, country or source: English on English pages when known, else Arabic.

    `name_en` is an English name the record itself carries (a meeting's curated place), preferred to the
    table's; without an Arabic name the English one is shown on every page.
    """
    if not is_english(language):
        return name_ar or name_en
    if name_en:
        return name_en
    if not name_ar:
        return ""
    english = _table()["english"]
    key = name_key(name_ar)
    return english.get((kind, key)) or english.get(("", key)) or name_ar


def arabic_names(*, kind: str, name_en: str) -> list[str]:
    """The Arabic names the table gives an English name of this kind (`Moscow`: موسكو), for filters."""
    key = name_key(name_en)
    if not key:
        return []
    return [ar for k, ar, en in _table()["rows"] if k == kind and en and name_key(en) == key]
