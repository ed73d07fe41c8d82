"""Spellings of officials' names, for widening a query to every spelling of the same person.

A spelling widens when an editor approved it, or when the extraction proposed it for an official whose
post and country are known: the resolution attaches a new spelling to an existing official only when the
article's post and country agree with the official's (entities/resolution.py), so such a proposal is a
confident one. A rejected spelling never widens. Besides whole spellings, the family name at the end of
a spelling (`مخردين` of `سيروجد الدين مخردين`) names the official, as analysts type surnames.

The English names of places, countries and sources (the curated table, entities.BilingualName) widen the
same way: `Moscow` in a query also searches `موسكو` and the meetings held there, so English users find the
Arabic articles.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from archive.entities.bilingual import bilingual_rows, bilingual_version
from archive.entities.models import Official, OfficialAlias, ReviewStatus
from archive.text.arabic import name_key

# A one-word family name shorter than this, or starting with the article (الدين, الله), is too common a
# word to stand for one person.
MIN_SURNAME_LETTERS = 5


@dataclass(frozen=True)
class AliasMatch:
    official_id: int
    spellings: tuple[str, ...]  # every spelling searched for that official (Arabic and Latin)
    proposed: frozenset[str] = frozenset()  # those of them no editor has approved yet

    @property
    def searched(self) -> tuple[str, ...]:
        """The spellings a query must search: one whose words hold another spelling's words, together and
        in order (`فلاديمير بوتين` holds `بوتين`), finds no article the shorter one misses, and each extra
        phrase costs the search a pass over its words' postings."""
        by_words: dict[tuple[str, ...], str] = {}
        for spelling in self.spellings:  # one spelling per key: the others search the same terms
            by_words.setdefault(tuple(name_key(spelling).split()), spelling)
        return tuple(
            spelling
            for words, spelling in by_words.items()
            if not any(_holds(words, other) for other in by_words)
        )


@dataclass(frozen=True)
class BilingualMatch:
    """An English name of a place, country or source, with the Arabic names the articles use for it."""

    name_en: str
    names: tuple[tuple[str, str], ...]  # (kind, Arabic name): "place", "country" or "source"

    def arabic(self, kind: str | None = None) -> list[str]:
        return list(dict.fromkeys(ar for k, ar in self.names if kind is None or k == kind))


def _holds(words: tuple[str, ...], part: tuple[str, ...]) -> bool:
    size = len(part)
    return 0 < size < len(words) and any(words[i : i + size] == part for i in range(len(words) - size + 1))


def _surnames(key: str) -> list[str]:
    words = key.split()
    parts = []
    if len(words) >= 3:
        parts.append(" ".join(words[-2:]))
    if len(words) >= 2 and len(words[-1]) >= MIN_SURNAME_LETTERS and not words[-1].startswith("ال"):
        parts.append(words[-1])
    return parts


class NameIndex:
    def __init__(
        self,
        spellings_by_official: dict[int, list[str]],
        proposed: set[str] | None = None,
        bilingual: list[tuple[str, str, str]] | None = None,
    ):
        # English name key -> (kind, Arabic name) of every row with that English name (Kazan: قازان, كازان).
        self._by_english: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for kind, name_ar, name_en in bilingual or ():
            if name_ar and name_en and name_key(name_en):
                self._by_english[name_key(name_en)].append((kind, name_ar.strip(), name_en.strip()))
        self._by_key: dict[str, int] = {}
        self._by_surname: dict[str, int] = {}
        self._spellings: dict[int, tuple[str, ...]] = {}
        proposed_keys = {name_key(s) for s in proposed or ()}
        self._proposed: dict[int, frozenset[str]] = {}
        for official_id, spellings in spellings_by_official.items():
            unique = tuple(dict.fromkeys(s.strip() for s in spellings if s and s.strip()))
            self._spellings[official_id] = unique
            self._proposed[official_id] = frozenset(s for s in unique if name_key(s) in proposed_keys)
            for spelling in unique:
                key = name_key(spelling)
                _claim(self._by_key, key, official_id)
                for surname in _surnames(key):
                    _claim(self._by_surname, surname, official_id)

    def match(self, text: str) -> AliasMatch | None:
        key = name_key(text)
        official_id = self._by_key.get(key)
        if official_id is None:
            official_id = self._by_surname.get(key)
        if official_id is None or official_id < 0:
            return None
        return AliasMatch(
            official_id=official_id,
            spellings=self._spellings[official_id],
            proposed=self._proposed[official_id],
        )

    def match_english(self, text: str, *, kind: str | None = None) -> BilingualMatch | None:
        """The Arabic names of the place, country or source `text` names in English (of `kind`), or None."""
        rows = [row for row in self._by_english.get(name_key(text), ()) if kind is None or row[0] == kind]
        if not rows:
            return None
        return BilingualMatch(name_en=rows[0][2], names=tuple((k, ar) for k, ar, _ in rows))


def _claim(table: dict[str, int], key: str, official_id: int) -> None:
    # A spelling shared by two officials names neither with certainty: it widens to nobody.
    if key in table and table[key] != official_id:
        table[key] = -1
    else:
        table.setdefault(key, official_id)


# The spellings change only when an editor curates them or an ingest proposes some. Cached per process
# and checked against a stamp of the spelling table on every use, so a rejection made in another process
# stops widening at once; SEARCH_NAMES_CACHE_SECONDS bounds the age of a cached copy all the same (the test
# settings turn the cache off: tests roll back rows, and reuse ids, without signals).
_cache: dict[str, tuple[float, tuple, NameIndex]] = {}


def approved_names() -> NameIndex:
    ttl = settings.SEARCH_NAMES_CACHE_SECONDS
    if not ttl:
        return load_approved_names()
    stamp = _names_stamp()
    cached = _cache.get("names")
    if cached is not None and cached[1] == stamp and time.monotonic() - cached[0] < ttl:
        return cached[2]
    names = load_approved_names()
    _cache["names"] = (time.monotonic(), stamp, names)
    return names


def forget_approved_names() -> None:
    _cache.clear()


def _names_stamp() -> tuple:
    """Changes whenever a spelling is added, removed or decided on, an official is edited or merged, or
    an English name of a place, country or source is edited."""
    # One statement of index look-ups (the number and the newest id of the spellings, the few approved and
    # rejected ones, the newest edit of any official): 0.05 ms on the 31.5k-article archive, against
    # 5.7 ms for one aggregate joining every spelling to its official, a third of a search besides.
    aliases, officials = OfficialAlias._meta.db_table, Official._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT count(*) FROM {aliases}), (SELECT max(id) FROM {aliases}),"
            f" (SELECT count(*) FROM {aliases} WHERE status = %s),"
            f" (SELECT count(*) FROM {aliases} WHERE status = %s),"
            f" (SELECT max(updated_at) FROM {officials})",
            [ReviewStatus.APPROVED, ReviewStatus.REJECTED],
        )
        figures = cursor.fetchone()
    return (*figures, *bilingual_version())


def load_approved_names() -> NameIndex:
    """The spellings that widen a search, for every listed official, in one query.

    An official merged into another contributes its spellings to the one it was merged into.
    """
    rows = OfficialAlias.objects.exclude(official__status=ReviewStatus.REJECTED).values_list(
        "official_id",
        "official__merged_into_id",
        "official__status",
        "official__role_key",
        "official__country_en",
        "official__name_ar",
        "official__name_en",
        "name",
        "key",
        "status",
    )
    spellings: dict[int, list[str]] = defaultdict(list)
    rejected: dict[int, set[str]] = defaultdict(set)
    approved: set[str] = set()  # keys an editor approved, as a spelling or as the name of an official
    for (
        official_id,
        merged_into_id,
        official_status,
        post,
        country,
        name_ar,
        name_en,
        name,
        key,
        status,
    ) in rows:
        target = merged_into_id or official_id
        if status == ReviewStatus.REJECTED:
            rejected[target].add(key)
            continue
        if status == ReviewStatus.APPROVED:
            approved.add(key)
        elif not (post and country):
            continue
        if official_status == ReviewStatus.APPROVED:
            approved.update(name_key(n) for n in (name_ar, name_en) if n)
        spellings[target] += [name_ar, name_en, name]
    widening = {
        official_id: [s for s in names if s and name_key(s) not in rejected[official_id]]
        for official_id, names in spellings.items()
    }
    proposed = {s for names in widening.values() for s in names if name_key(s) not in approved}
    return NameIndex(widening, proposed=proposed, bilingual=bilingual_rows())
