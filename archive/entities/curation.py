"""Editors' decisions on officials, spellings and meetings: approve, reject, merge.

Each decision marks the record as curated (so ingest leaves it alone) and is written to Django's admin log,
whoever calls it (admin action, command or test).
"""

import unicodedata
from collections.abc import Iterable

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.db.models import Model

from archive.entities.models import Meeting, MeetingTopic, Official, OfficialAlias, ReviewStatus, Statement
from archive.text.arabic import name_key


def _log(user, objects: Iterable[Model], message: str) -> None:
    objects = list(objects)
    if user is not None and getattr(user, "pk", None) and objects:
        LogEntry.objects.log_actions(user.pk, objects, CHANGE, change_message=message)


def alias_script(name: str) -> str:
    """Latin when every letter of the spelling is a Latin one, accented or not (Sirojiddín), else Arabic."""
    letters = [ch for ch in name if ch.isalpha()]
    if letters and all(unicodedata.name(ch, "").startswith("LATIN ") for ch in letters):
        return OfficialAlias.Script.LATIN
    return OfficialAlias.Script.ARABIC


def alias_save(*, alias: OfficialAlias, user=None) -> OfficialAlias:
    """Save a spelling an editor typed: its matching key and script are derived from the name, never typed.

    The admin passes no user (it writes its own log entry); other callers pass one to be in the log.
    """
    alias.name = alias.name.strip()
    alias.key = name_key(alias.name)
    alias.script = alias_script(alias.name)
    alias.full_clean()
    alias.save()
    _log(user, [alias], "Saved spelling")
    return alias


def official_survivor(*, official: Official) -> Official:
    """The official a merged one now lives on as (itself when it was not merged)."""
    seen = {official.pk}
    while official.merged_into_id is not None:
        official = official.merged_into
        if official.pk in seen:  # a cycle can only come from hand-edited data; stop rather than loop
            break
        seen.add(official.pk)
    return official


def _decide(objects: Iterable[Model], status: str, user, message: str) -> int:
    """Set the review status; saved one by one so that the search index hears of it (post_save)."""
    objects = list(objects)
    with transaction.atomic():
        for obj in objects:
            obj.status = status
            fields = ["status"]
            if hasattr(obj, "curated"):
                obj.curated = True
                fields.append("curated")
            if hasattr(obj, "updated_at"):
                fields.append("updated_at")
            obj.save(update_fields=fields)
        _log(user, objects, message)
    return len(objects)


def official_approve(*, officials: Iterable[Official], user) -> int:
    return _decide(officials, ReviewStatus.APPROVED, user, "Approved")


def official_reject(*, officials: Iterable[Official], user) -> int:
    return _decide(officials, ReviewStatus.REJECTED, user, "Rejected")


def alias_approve(*, aliases: Iterable[OfficialAlias], user) -> int:
    return _decide(aliases, ReviewStatus.APPROVED, user, "Approved spelling")


def alias_reject(*, aliases: Iterable[OfficialAlias], user) -> int:
    return _decide(aliases, ReviewStatus.REJECTED, user, "Rejected spelling")


def meeting_approve(*, meetings: Iterable[Meeting], user) -> int:
    return _decide(meetings, ReviewStatus.APPROVED, user, "Approved")


def meeting_reject(*, meetings: Iterable[Meeting], user) -> int:
    return _decide(meetings, ReviewStatus.REJECTED, user, "Rejected")


def statement_approve(*, statements: Iterable[Statement], user) -> int:
    return _decide(statements, ReviewStatus.APPROVED, user, "Approved")


def statement_reject(*, statements: Iterable[Statement], user) -> int:
    return _decide(statements, ReviewStatus.REJECTED, user, "Rejected")


def meeting_topic_approve(*, meeting_topics: Iterable[MeetingTopic], user) -> int:
    return _decide(meeting_topics, ReviewStatus.APPROVED, user, "Approved")


def meeting_topic_reject(*, meeting_topics: Iterable[MeetingTopic], user) -> int:
    return _decide(meeting_topics, ReviewStatus.REJECTED, user, "Rejected")


@transaction.atomic
def official_merge(*, survivor: Official, others: Iterable[Official], user) -> Official:
    """Fold `others` into `survivor`: spellings, mentions and meetings move; the others point at it.

    Nothing is deleted but duplicates: a spelling both have is kept once (the survivor's, approved if
    either was), and two mentions in one article become one with the counts added up.
    """
    others = [o for o in others if o.pk != survivor.pk]
    for other in others:
        # The other's own name becomes a spelling of the survivor: the editor said they are one person.
        key = name_key(other.name_ar)
        if (
            key
            and not survivor.aliases.filter(key=key).exists()
            and not other.aliases.filter(key=key).exists()
        ):
            OfficialAlias.objects.create(
                official=other, name=other.name_ar, key=key, status=ReviewStatus.APPROVED
            )
        for alias in list(other.aliases.all()):
            mine = survivor.aliases.filter(key=alias.key).first()
            if mine is None:
                alias.official = survivor
                alias.save(update_fields=["official"])
            else:
                if alias.status == ReviewStatus.APPROVED and mine.status != ReviewStatus.APPROVED:
                    mine.status = ReviewStatus.APPROVED
                    mine.save(update_fields=["status"])
                alias.delete()
        for mention in list(other.mentions.all()):
            mine = survivor.mentions.filter(article_id=mention.article_id).first()
            if mine is None:
                mention.official = survivor
                mention.save(update_fields=["official"])
            else:
                mine.count += mention.count
                mine.save(update_fields=["count"])
                mention.delete()
        for meeting in list(other.meetings.all()):
            meeting.participants.remove(other)
            meeting.participants.add(survivor)
            by_official = (meeting.provenance or {}).get("participants", {})
            if str(other.pk) in by_official:
                by_official.setdefault(str(survivor.pk), []).extend(by_official.pop(str(other.pk)))
            meeting.save(update_fields=["provenance", "updated_at"])
        Statement.objects.filter(official=other).update(official=survivor)
        _fill_blanks(survivor, other)
        Official.objects.filter(merged_into=other).update(merged_into=survivor)
        other.merged_into = survivor
        other.curated = True
        other.save(update_fields=["merged_into", "curated", "updated_at"])
        _log(user, [other], f"Merged into {survivor} (#{survivor.pk})")
    survivor.curated = True
    survivor.save()
    names = ", ".join(f"{o} (#{o.pk})" for o in others)
    _log(user, [survivor], f"Merged {names} into this official")
    return survivor


def _fill_blanks(survivor: Official, other: Official) -> None:
    for field in (
        "name_en",
        "role_ar",
        "role_en",
        "country_ar",
        "country_en",
        "role_key",
        "name_en_suggested",
    ):
        if not getattr(survivor, field) and getattr(other, field):
            setattr(survivor, field, getattr(other, field))


def official_mark_edited(*, official: Official) -> None:
    """An editor saved the record by hand: from now on ingest leaves it alone."""
    official.curated = True


def meeting_mark_edited(*, meeting: Meeting) -> None:
    meeting.curated = True


__all__ = [
    "alias_approve",
    "alias_reject",
    "alias_save",
    "alias_script",
    "meeting_approve",
    "meeting_mark_edited",
    "meeting_reject",
    "meeting_topic_approve",
    "meeting_topic_reject",
    "official_approve",
    "official_mark_edited",
    "official_merge",
    "official_reject",
    "official_survivor",
    "statement_approve",
    "statement_reject",
]
