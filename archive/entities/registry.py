"""The officials registry as extraction looks it up, read once per ingest run and kept in memory.

Resolving a person used to cost several queries per name (spellings by key, every official of a post and
country with their spellings, the approved names once per article), and the pool of officials grows with
the archive. An `ExtractionContext` loads officials and spellings once and records extraction's own writes
as it makes them, so each lookup is a dictionary access. Whoever else may have written in the meantime (a
rolled-back article, an editor) is accounted for by `invalidate()`: the next lookup reads the database again.
"""

from collections import defaultdict

from django.db.models import Count, Max, Q
from rapidfuzz import fuzz, process

from archive.entities.curation import alias_script
from archive.entities.models import Official, OfficialAlias, ReviewStatus
from archive.entities.reading.person_names import SURNAME_MIN, surname_key
from archive.text.arabic import name_key


class ExtractionContext:
    """Officials and their spellings by id, key, country and post, for one run of extraction."""

    def __init__(self) -> None:
        self._loaded = False
        self._decisions: tuple | None = None

    def invalidate(self) -> None:
        """Forget what was read: the next lookup loads the registry from the database again."""
        self._loaded = False

    def check_decisions(self) -> None:
        """Read the registry again if an editor decided something since it was read (cheap: two
        aggregate queries; ingest calls it once per batch, so a run never works on stale decisions
        for long)."""
        if self._loaded and _decisions() != self._decisions:
            self.invalidate()

    def _ensure(self) -> None:
        if self._loaded:
            return
        self._decisions = _decisions()
        self.officials: dict[int, Official] = {o.pk: o for o in Official.objects.order_by()}
        self._aliases: dict[tuple[int, str], OfficialAlias] = {}
        self._by_key: dict[str, list[OfficialAlias]] = defaultdict(list)
        self._by_official: dict[int, list[OfficialAlias]] = defaultdict(list)
        self._by_country: dict[str, set[int]] = defaultdict(set)
        self._by_post: dict[str, set[int]] = defaultdict(set)
        self._placed: dict[int, tuple[str, str]] = {}
        self._known: dict[str, str] | None = None
        # Each official's rejected keys and usable Arabic spellings (dropped when a spelling is added),
        # and per country and per post the family names of all spellings with the official they belong
        # to: built on first use, then only appended to (an extra entry costs a comparison, no more).
        self._spellings: dict[int, tuple[set[str], list[str]]] = {}
        self._surnames: dict[tuple[str, str], tuple[list[str], list[int]]] = {}
        self._loaded = True
        for official in self.officials.values():
            self.place(official)
        for alias in OfficialAlias.objects.order_by():
            self._add_alias(alias)

    # Keeping the indexes in step with extraction's own writes.

    def place(self, official: Official) -> None:
        """Record a new official, or a change of its country or post."""
        self._ensure()
        self.officials[official.pk] = official
        old = self._placed.get(official.pk) or (None, None)
        self._spellings.pop(official.pk, None)
        if old[0] is not None:
            self._by_country[old[0]].discard(official.pk)
            self._by_post[old[1]].discard(official.pk)
        self._by_country[official.country_en].add(official.pk)
        self._by_post[official.role_key].add(official.pk)
        self._placed[official.pk] = (official.country_en, official.role_key)
        names = [official.name_ar] + [a.name for a in self._by_official.get(official.pk, [])]
        if official.country_en != old[0]:
            self._add_surnames(("country", official.country_en), official.pk, names)
        if official.role_key != old[1]:
            self._add_surnames(("post", official.role_key), official.pk, names)

    def _add_surnames(self, bucket: tuple[str, str], official_id: int, names: list[str]) -> None:
        lists = self._surnames.get(bucket)
        if lists is None:
            return  # not built yet: it will be, with these names
        for name in names:
            if alias_script(name) == OfficialAlias.Script.ARABIC:
                lists[0].append(_surname(name))
                lists[1].append(official_id)

    def _add_alias(self, alias: OfficialAlias) -> None:
        self._aliases[(alias.official_id, alias.key)] = alias
        self._by_key[alias.key].append(alias)
        self._by_official[alias.official_id].append(alias)
        self._spellings.pop(alias.official_id, None)
        if alias.official_id in self._placed:
            country, post = self._placed[alias.official_id]
            self._add_surnames(("country", country), alias.official_id, [alias.name])
            self._add_surnames(("post", post), alias.official_id, [alias.name])
        if alias.status == ReviewStatus.APPROVED:
            self._known = None

    def alias(self, *, official_id: int, key: str) -> OfficialAlias | None:
        self._ensure()
        return self._aliases.get((official_id, key))

    def add_alias(self, alias: OfficialAlias) -> None:
        self._ensure()
        self._add_alias(alias)

    def forget(self, official_ids: set[int]) -> None:
        """Officials deleted (with their spellings)."""
        if not self._loaded:
            return
        for pk in official_ids:
            if self.officials.pop(pk, None) is None:
                continue
            placed = self._placed.pop(pk, None)
            if placed is not None:
                self._by_country[placed[0]].discard(pk)
                self._by_post[placed[1]].discard(pk)
            for alias in self._by_official.pop(pk, []):
                self._aliases.pop((pk, alias.key), None)
                self._by_key[alias.key] = [a for a in self._by_key[alias.key] if a.official_id != pk]
                if alias.status == ReviewStatus.APPROVED:
                    self._known = None
            self._spellings.pop(pk, None)

    # Lookups.

    def official(self, official_id: int) -> Official | None:
        self._ensure()
        return self.officials.get(official_id)

    def survivor(self, official: Official) -> Official:
        """Like `curation.official_survivor`, through the loaded officials."""
        self._ensure()
        seen = {official.pk}
        while official.merged_into_id is not None and official.merged_into_id in self.officials:
            official = self.officials[official.merged_into_id]
            if official.pk in seen:
                break
            seen.add(official.pk)
        return official

    def aliases_with_key(self, key: str) -> list[OfficialAlias]:
        self._ensure()
        return self._by_key.get(key, [])

    def aliases_of(self, official_id: int) -> list[OfficialAlias]:
        """An official's spellings in the admin's order (by spelling)."""
        self._ensure()
        return sorted(self._by_official.get(official_id, []), key=lambda a: a.name)

    def spellings(self, official: Official) -> tuple[set[str], list[str]]:
        """The keys an editor rejected for this official, and the Arabic spellings a new name is
        compared with: its name, then its other spellings that are not rejected (by spelling)."""
        self._ensure()
        cached = self._spellings.get(official.pk)
        if cached is None:
            aliases = self.aliases_of(official.pk)
            rejected = {a.key for a in aliases if a.status == ReviewStatus.REJECTED}
            arabic = OfficialAlias.Script.ARABIC
            usable = [official.name_ar] + [
                a.name for a in aliases if a.status != ReviewStatus.REJECTED and a.script == arabic
            ]
            cached = self._spellings[official.pk] = (rejected, usable)
        return cached

    def similar(self, *, keys: list[str], country_en: str, post: str) -> list[Official]:
        """The listed officials with a post, of this country when it is known (else of this post), that
        have a spelling whose family name is close to one of `keys`' (in the registry's order: Arabic
        name, then age). `names.same_person` never accepts a pair whose family names score below
        SURNAME_MIN, so this is every official it could accept, found with one RapidFuzz call per key."""
        self._ensure()
        bucket = ("country", country_en) if country_en else ("post", post)
        if bucket not in self._surnames:
            ids = self._by_country.get(country_en, set()) if country_en else self._by_post.get(post, set())
            self._surnames[bucket] = ([], [])
            for pk in ids:
                names = [self.officials[pk].name_ar] + [a.name for a in self._by_official.get(pk, [])]
                self._add_surnames(bucket, pk, names)
        surnames, owners = self._surnames[bucket]
        found: set[int] = set()
        for key in keys:
            # One below the bar: a rounding difference must never drop a candidate.
            close = process.extract(
                _surname(key), surnames, scorer=fuzz.ratio, score_cutoff=SURNAME_MIN - 1, limit=None
            )
            found.update(owners[index] for _choice, _score, index in close)
        officials = [self.officials[pk] for pk in found if pk in self.officials]
        officials = [
            o
            for o in officials
            if o.role_key
            and o.status != ReviewStatus.REJECTED
            and o.merged_into_id is None
            and (o.country_en == country_en if country_en else o.role_key == post)
        ]
        return sorted(officials, key=lambda o: (o.name_ar, o.pk))

    def known_names(self) -> dict[str, str]:
        """Approved Arabic spellings of listed officials (see `services.known_names`)."""
        self._ensure()
        if self._known is None:
            rows = []
            for alias in self._aliases.values():
                official = self.officials.get(alias.official_id)
                if (
                    official is None
                    or alias.status != ReviewStatus.APPROVED
                    or alias.script != OfficialAlias.Script.ARABIC
                    or official.merged_into_id is not None
                    or official.status == ReviewStatus.REJECTED
                ):
                    continue
                rows.append(((official.name_ar, official.pk, alias.name), alias.key, alias.name))
            self._known = {}
            for _order, key, name in sorted(rows):
                self._known[key] = name
        return self._known


def _surname(name: str) -> str:
    """The family name as `names.same_person` compares it: normalised, spaces removed."""
    return surname_key(name_key(name)).replace(" ", "")


def _decisions() -> tuple:
    """What changes when editors decide (approve, reject, edit, merge), and extraction never changes."""
    officials = Official.objects.filter(curated=True).aggregate(n=Count("pk"), last=Max("updated_at"))
    aliases = OfficialAlias.objects.aggregate(
        approved=Count("pk", filter=Q(status=ReviewStatus.APPROVED)),
        rejected=Count("pk", filter=Q(status=ReviewStatus.REJECTED)),
    )
    return (officials["n"], officials["last"], aliases["approved"], aliases["rejected"])


__all__ = ["ExtractionContext"]
