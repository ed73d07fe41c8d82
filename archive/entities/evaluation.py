"""What is stored per article (officials, meetings), and how it compares with a hand annotation.

Annotation files (one JSON object per article, or a list of them) look like:
``{"origin": "000_....txt", "officials": [{"key": "lavrov", "name_en": "Sergey Lavrov", "role": "...",
"spellings": ["سيرغي لافروف"],
"roles": ["وزير الخارجية الروسي"]}],
"meetings": [{"date": "2022-09-05", "place_en": "Moscow", "kind": "visit",
"participants": ["lavrov", "muhriddin"]}]}``.

``roles`` lists the posts an official's roles may read as (the article's wording or the same post said
otherwise); the role stored for the official in that article counts as right when it is one of them.
"""

import json
from pathlib import Path

from django.utils.translation import gettext as _

from archive.articles.models import Article
from archive.entities.models import Meeting, Official, ReviewStatus, Statement
from archive.entities.reading.person_names import same_person
from archive.text.arabic import WORD_PATTERN, name_key, normalize


def _official_row(official: Official, role: str = "") -> dict:
    return {
        "id": official.pk,
        "name_ar": official.name_ar,
        "name_en": official.name_en,
        "aliases": sorted(a.name for a in official.aliases.all()),
        "role": role or official.role_ar,
        "role_en": official.role_en,
        "country": official.country_en,
        "status": official.status,
    }


def _meeting_row(meeting: Meeting) -> dict:
    return {
        "id": meeting.pk,
        "date": meeting.date.isoformat() if meeting.date else None,
        "place": meeting.place_en or meeting.place_ar or None,
        "place_ar": meeting.place_ar,
        "kind": meeting.kind,
        "status": meeting.status,
        "participants": [
            {"id": p.pk, "name_ar": p.name_ar, "name_en": p.name_en} for p in meeting.participants.all()
        ],
        "topics": sorted(
            t.topic.key for t in meeting.meeting_topics.all() if t.status != ReviewStatus.REJECTED
        ),
    }


def _statement_row(statement: Statement) -> dict:
    speaker = statement.official or statement.institution
    names = [speaker.name_ar, speaker.name_en] if speaker else []
    if statement.official is not None:
        names += [a.name for a in statement.official.aliases.all()]
    return {
        "id": statement.pk,
        "speaker": list(dict.fromkeys(n for n in names if n)),
        "official": statement.official_id,
        "institution": statement.institution.name_ar if statement.institution else None,
        "text": statement.text,
        "start": statement.start,
        "end": statement.end,
        "verb": statement.verb,
        "direct": statement.direct,
        "date": statement.date.isoformat() if statement.date else None,
        "meeting": statement.meeting_id,
        "status": statement.status,
    }


def extraction_report(*, articles=None) -> dict:
    """Per article: the officials it mentions and the meetings it reports, as stored (proposals included)."""
    articles = Article.objects.all() if articles is None else articles
    rows = []
    for article in articles.order_by("origin").prefetch_related(
        "mentions__official__aliases",
        "meetings__participants",
        "meetings__meeting_topics__topic",
        "statements__official__aliases",
        "statements__institution",
    ):
        officials = []
        for mention in article.mentions.all():
            row = _official_row(mention.official, mention.role_ar)
            row["count"] = mention.count
            # The role this article gives (what "Roles over time" lists), without the official's fallback.
            row["article_role"] = mention.role_ar
            officials.append(row)
        rows.append(
            {
                "id": article.pk,
                "origin": article.origin,
                "officials": officials,
                "meetings": [_meeting_row(m) for m in article.meetings.all()],
                "statements": [
                    _statement_row(st)
                    for st in sorted(article.statements.all(), key=lambda st: st.start)
                    if st.status != ReviewStatus.REJECTED
                ],
            }
        )
    return {"articles": rows}


def load_annotations(path: Path) -> list[dict]:
    """One file or a folder of *.json files; each holds one article's annotation or a list of them."""
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    out: list[dict] = []
    for file in files:
        data = json.loads(file.read_text(encoding="utf-8"))
        out.extend(data if isinstance(data, list) else [data])
    return out


def _matches(expected: dict, official: dict) -> bool:
    spellings = [official["name_ar"], *official["aliases"]]
    if expected.get("name_en") and official.get("name_en") == expected["name_en"]:
        return True
    keys = {name_key(s) for s in spellings}
    return any(
        name_key(s) in keys or any(same_person(s, o) for o in spellings) for s in expected["spellings"]
    )


def _role_misses(origin: str, expected: dict, found: dict, totals: dict) -> list[str]:
    """Count the role stored for a found official against the annotated posts; a wrong one is listed."""
    role = found.get("article_role", "")
    if "roles" not in expected or not role:
        return []
    totals["roles_stored"] += 1
    if normalize(role) in {normalize(r) for r in expected["roles"]}:
        totals["roles_right"] += 1
        return []
    return [
        _("%(origin)s: role “%(role)s” for %(name)s")
        % {"origin": origin, "role": role, "name": expected["spellings"][0]}
    ]


def _ratio(hits: int, total: int) -> float:
    return round(hits / total, 3) if total else 1.0


def compare(*, report: dict, annotations: list[dict]) -> dict:
    """Precision and recall of officials and meetings against the annotation, with the misses listed."""
    by_origin = {Path(a["origin"]).name: a for a in report["articles"]}
    totals = {"officials_expected": 0, "officials_found": 0, "officials_stored": 0}
    totals |= {"meetings_expected": 0, "meetings_found": 0, "meetings_stored": 0, "places_right": 0}
    totals |= {"roles_stored": 0, "roles_right": 0}
    totals |= {"statements_expected": 0, "statements_found": 0, "statements_stored": 0}
    totals |= {"topics_expected": 0, "topics_found": 0, "topics_stored": 0}
    misses: list[str] = []
    # Statements and topics missed or extra, apart: they are scored against their own targets.
    statement_misses: list[str] = []
    topic_misses: list[str] = []
    for annotation in annotations:
        stored = by_origin.get(Path(annotation["origin"]).name)
        if stored is None:
            misses.append(_("%(origin)s: not in the archive") % {"origin": annotation["origin"]})
            continue
        ids: dict[str, int] = {}
        for expected in annotation["officials"]:
            totals["officials_expected"] += 1
            found = next((o for o in stored["officials"] if _matches(expected, o)), None)
            if found:
                totals["officials_found"] += 1
                ids[expected["key"]] = found["id"]
                misses.extend(_role_misses(annotation["origin"], expected, found, totals))
            else:
                misses.append(
                    _("%(origin)s: official %(name)s")
                    % {"origin": annotation["origin"], "name": expected["spellings"][0]}
                )
        totals["officials_stored"] += len(stored["officials"])
        for expected in annotation["meetings"]:
            totals["meetings_expected"] += 1
            want = {ids.get(k, -1) for k in expected["participants"]}
            found = next(
                (
                    m
                    for m in stored["meetings"]
                    if m["date"] == expected["date"] and {p["id"] for p in m["participants"]} == want
                ),
                None,
            )
            want_topics = set(expected.get("topics", []))
            totals["topics_expected"] += len(want_topics)
            if found:
                totals["meetings_found"] += 1
                totals["places_right"] += (found["place"] or None) == expected.get("place_en")
                totals["topics_found"] += len(want_topics & set(found["topics"]))
                topic_misses.extend(
                    _("%(origin)s: topic %(topic)s of the meeting of %(date)s")
                    % {"origin": annotation["origin"], "topic": topic, "date": expected["date"]}
                    for topic in sorted(want_topics - set(found["topics"]))
                )
            else:
                misses.append(
                    _("%(origin)s: meeting %(date)s %(participants)s")
                    % {
                        "origin": annotation["origin"],
                        "date": expected["date"],
                        "participants": ", ".join(expected["participants"]),
                    }
                )
        totals["meetings_stored"] += len(stored["meetings"])
        totals["topics_stored"] += sum(len(m["topics"]) for m in stored["meetings"])
        _compare_statements(annotation, stored, ids, totals, statement_misses)
    return {
        **totals,
        "officials_precision": _ratio(totals["officials_found"], totals["officials_stored"]),
        "officials_recall": _ratio(totals["officials_found"], totals["officials_expected"]),
        "meetings_precision": _ratio(totals["meetings_found"], totals["meetings_stored"]),
        "meetings_recall": _ratio(totals["meetings_found"], totals["meetings_expected"]),
        "roles_precision": _ratio(totals["roles_right"], totals["roles_stored"]),
        "statements_precision": _ratio(totals["statements_found"], totals["statements_stored"]),
        "statements_recall": _ratio(totals["statements_found"], totals["statements_expected"]),
        "topics_precision": _ratio(totals["topics_found"], totals["topics_stored"]),
        "topics_recall": _ratio(totals["topics_found"], totals["topics_expected"]),
        "misses": misses,
        "statement_misses": statement_misses,
        "topic_misses": topic_misses,
    }


def span_key(text: str) -> str:
    """How two spans of quoted text are compared: the words, normalised, without punctuation or quotes."""
    return " ".join(WORD_PATTERN.findall(normalize(text)))


def _same_speaker(expected: dict, stored: dict, ids: dict[str, int]) -> bool:
    if expected.get("speaker"):
        return stored["official"] is not None and ids.get(expected["speaker"]) == stored["official"]
    institution = expected.get("institution")
    return bool(institution) and name_key(institution) == name_key(stored["institution"] or "")


def _compare_statements(
    annotation: dict, stored: dict, ids: dict[str, int], totals: dict, misses: list
) -> None:
    """A statement is found when its speaker and its span (word for word) are both right."""
    rows = list(stored.get("statements", []))
    totals["statements_stored"] += len(rows)
    for expected in annotation.get("statements", []):
        totals["statements_expected"] += 1
        key = span_key(expected["text"])
        match = next(
            (r for r in rows if span_key(r["text"]) == key and _same_speaker(expected, r, ids)), None
        )
        if match is not None:
            rows.remove(match)
            totals["statements_found"] += 1
        else:
            misses.append(
                _("%(origin)s: statement of %(speaker)s «%(text)s»")
                % {
                    "origin": annotation["origin"],
                    "speaker": expected.get("speaker") or expected.get("institution"),
                    "text": expected["text"][:60],
                }
            )
    for row in rows:
        misses.append(
            _("%(origin)s: statement not in the annotation «%(text)s»")
            % {"origin": annotation["origin"], "text": row["text"][:60]}
        )


__all__ = ["compare", "extraction_report", "load_annotations"]
