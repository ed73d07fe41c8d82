"""Which official an extracted person is: a known spelling, or a close one of the same post and country;
otherwise a new proposal. Editors' rejections stand: a rejected spelling or official never comes back.
"""

from archive.entities.curation import alias_script
from archive.entities.models import Official, OfficialAlias, ReviewStatus
from archive.entities.reading.extraction import Person
from archive.entities.reading.person_names import same_person, similarity
from archive.entities.reading.roles import same_post
from archive.entities.registry import ExtractionContext
from archive.text.arabic import name_key, transliterate_latin


def alias_add(
    *,
    official: Official,
    name: str,
    status: str = ReviewStatus.PROPOSED,
    context: ExtractionContext | None = None,
) -> OfficialAlias | None:
    """Record a spelling of an official, unless it is already there (a decision on it stays as made)."""
    key = name_key(name)
    if not key:
        return None
    if context is not None:
        alias = context.alias(official_id=official.pk, key=key)
        if alias is None:
            alias = OfficialAlias.objects.create(
                official=official, key=key, name=name.strip(), script=alias_script(name), status=status
            )
            context.add_alias(alias)
        return alias
    defaults = {"name": name.strip(), "script": alias_script(name), "status": status}
    alias, _created = OfficialAlias.objects.get_or_create(official=official, key=key, defaults=defaults)
    return alias


def _role_fits(official: Official, person: Person) -> bool:
    role = person.role
    if role is None or not official.role_key:
        return True
    if role.country_en and official.country_en and role.country_en != official.country_en:
        return False
    return same_post(role.family, official.role_key)


def _by_alias(person: Person, keys: list[str], context: ExtractionContext) -> Official | None:
    found: list[Official] = []
    for key in keys:
        for alias in context.aliases_with_key(key):
            if alias.status == ReviewStatus.REJECTED:
                continue
            official = context.survivor(context.official(alias.official_id))
            if official not in found and _role_fits(official, person):
                found.append(official)
    # Prefer what editors approved, then the oldest record.
    found.sort(key=lambda o: (o.status != ReviewStatus.APPROVED, o.status == ReviewStatus.REJECTED, o.pk))
    return found[0] if found else None


def _by_similarity(person: Person, keys: list[str], context: ExtractionContext) -> Official | None:
    """An official of the same post and country whose spellings are close to this person's."""
    role = person.role
    if role is None:
        return None
    best, best_score = None, 0.0
    for official in context.similar(keys=keys, country_en=role.country_en, post=role.family):
        if not same_post(role.family, official.role_key):
            continue
        rejected, spellings = context.spellings(official)
        if rejected.intersection(keys):
            continue  # an editor said this spelling is not this person
        for spelling in spellings:
            for key in keys:
                if same_person(spelling, key):
                    score = similarity(spelling, key)
                    if score > best_score:
                        best, best_score = official, score
    return best


def official_resolve(*, person: Person, context: ExtractionContext | None = None) -> Official | None:
    """The official an extracted person is, creating a proposal for a new name; None if rejected.

    `context` is the registry read once per ingest run (a fresh one is read when none is given).
    """
    context = context or ExtractionContext()
    keys = list(dict.fromkeys(name_key(s) for s in person.spellings))
    official = _by_alias(person, keys, context) or _by_similarity(person, keys, context)
    if official is not None and official.status == ReviewStatus.REJECTED:
        return None
    role = person.role
    if official is None:
        if person.known:
            return None
        official = Official(
            name_ar=person.name,
            name_en_suggested=transliterate_latin(person.name),
            role_ar=role.label_ar if role else "",
            role_en=role.label_en if role else "",
            role_key=role.family if role else "",
            country_en=role.country_en if role else "",
            country_ar=role.country_ar if role else "",
        )
        official.full_clean()
        official.save()
        context.place(official)
    elif (
        not official.curated
        and official.status == ReviewStatus.PROPOSED
        and role is not None
        and _fill_proposal(official, person)
    ):
        context.place(official)
    for spelling in person.spellings:
        alias_add(official=official, name=spelling, context=context)
    return official


def _fill_proposal(official: Official, person: Person) -> bool:
    """Complete a proposal with what this article says; a generic post gives way to a specific one."""
    role = person.role
    changed: list[str] = []
    if role.country_en and not official.country_en:
        official.country_en, official.country_ar = role.country_en, role.country_ar
        changed += ["country_en", "country_ar"]
    if not official.role_key or (
        official.role_key in ("minister", "deputy") and role.family != official.role_key
    ):
        official.role_key, official.role_ar, official.role_en = role.family, role.label_ar, role.label_en
        changed += ["role_key", "role_ar", "role_en"]
    if changed:
        # Only these fields: the record in memory may have been read before an editor's change.
        official.save(update_fields=[*changed, "updated_at"])
    return bool(changed)


def known_names() -> dict[str, str]:
    """Approved Arabic spellings of listed officials (so a bare surname in a title is recognised)."""
    aliases = OfficialAlias.objects.filter(
        status=ReviewStatus.APPROVED, script=OfficialAlias.Script.ARABIC, official__merged_into__isnull=True
    ).exclude(official__status=ReviewStatus.REJECTED)
    return dict(aliases.values_list("key", "name"))
