"""Approved spellings of officials' names, for expanding a query to every spelling of the same person."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings

from archive.text.arabic import name_key


@dataclass(frozen=True)
class AliasMatch:
    official_id: int
    spellings: tuple[str, ...]  # every approved spelling (Arabic and Latin) of that official


class NameIndex:
    def __init__(self, spellings_by_official: dict[int, list[str]]):
        self._by_key: dict[str, int] = {}
        self._spellings: dict[int, tuple[str, ...]] = {}
        for official_id, spellings in spellings_by_official.items():
            unique = tuple(dict.fromkeys(s.strip() for s in spellings if s and s.strip()))
            self._spellings[official_id] = unique
            for spelling in unique:
                # A spelling shared by two officials names neither with certainty: it expands to nobody.
                key = name_key(spelling)
                if key in self._by_key and self._by_key[key] != official_id:
                    self._by_key[key] = -1
                else:
                    self._by_key.setdefault(key, official_id)

    def match(self, text: str) -> AliasMatch | None:
        official_id = self._by_key.get(name_key(text))
        if official_id is None or official_id < 0:
            return None
        return AliasMatch(official_id=official_id, spellings=self._spellings[official_id])


# The spellings change only when an editor curates them: cached per process, dropped when this process
# saves an official or a spelling (signals.py), and re-read after a minute for the other processes. Tests
# roll back rows without signals, so there the cache is off (SEARCH_NAMES_CACHE_SECONDS).
_cache: dict[str, tuple[float, NameIndex]] = {}


def approved_names() -> NameIndex:
    ttl = getattr(settings, "SEARCH_NAMES_CACHE_SECONDS", 0 if getattr(settings, "TESTING", False) else 60)
    cached = _cache.get("names")
    if cached is not None and time.monotonic() - cached[0] < ttl:
        return cached[1]
    names = load_approved_names()
    _cache["names"] = (time.monotonic(), names)
    return names


def forget_approved_names() -> None:
    _cache.clear()


def load_approved_names() -> NameIndex:
    """The approved spellings of every listed official, in one query.

    An official merged into another contributes its spellings to the one it was merged into.
    """
    from archive.entities.models import OfficialAlias, ReviewStatus

    rows = (
        OfficialAlias.objects.filter(status=ReviewStatus.APPROVED)
        .exclude(official__status=ReviewStatus.REJECTED)
        .values_list(
            "official_id", "official__merged_into_id", "name", "official__name_ar", "official__name_en"
        )
    )
    spellings: dict[int, list[str]] = defaultdict(list)
    for official_id, merged_into_id, name, name_ar, name_en in rows:
        target = merged_into_id or official_id
        spellings[target] += [name_ar, name_en, name]
    return NameIndex(spellings)
