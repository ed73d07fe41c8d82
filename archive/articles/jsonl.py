"""JSON Lines: the bulk import schema and the export (backup and hand-over) format.

Import schema, one object per line: ``external_id``, ``title``, ``body`` (paragraphs separated by line
breaks), optional ``date`` (ISO 8601), ``source``, ``url``, ``language``. The export adds ``origin``,
``headline``, ``photo_credit``, ``publisher``, ``sections``, ``visible`` and ``original_text``; the import
accepts them too, so that importing an export into an empty archive gives the same articles.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _

from archive.articles.models import Article
from archive.articles.parsing import (
    IngestError,
    ParsedArticle,
    body_of,
    build_blocks,
    clean_line,
    lead_of,
)

_TEXT_FIELDS = ("title", "source", "url", "language", "photo_credit", "publisher", "origin", "original_text")


@dataclass(frozen=True)
class IncomingArticle:
    """One article on its way into the archive, before it is compared with what is stored."""

    origin: str
    parsed: ParsedArticle
    original_text: str
    label: str
    visible: bool | None = None


def parse_jsonl_record(line: str, *, label: str) -> IncomingArticle:
    """One JSON Lines record to an article; an IngestError names `label` (file:line), field and reason."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise IngestError(label, _("not valid JSON (%(error)s)") % {"error": exc.msg}) from exc
    if not isinstance(record, dict):
        raise IngestError(label, _("not a JSON object"))

    for name in (*_TEXT_FIELDS, "external_id", "body"):
        value = record.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, str | int)):
            raise IngestError(label, _field_error(name, _("must be a string")))
    external_id = str(record.get("external_id") or "").strip()
    origin = str(record.get("origin") or "").strip() or external_id
    if not origin:
        raise IngestError(label, _field_error("external_id", _("missing or empty")))
    lines = [text for raw in str(record.get("body") or "").split("\n") if (text := clean_line(raw))]
    if not lines:
        raise IngestError(label, _field_error("body", _("missing or empty")))

    blocks = build_blocks(lines)
    if record.get("sections") is not None:
        blocks = _blocks_from_sections(record["sections"], label=label)
        if [b["text"] for b in blocks] != lines:
            raise IngestError(label, _field_error("sections", _("do not match the body")))
    visible = record.get("visible")
    if visible is not None and not isinstance(visible, bool):
        raise IngestError(label, _field_error("visible", _("must be true or false")))

    parsed = ParsedArticle(
        title=clean_line(str(record.get("title") or "")),
        lead=lead_of(blocks),
        blocks=blocks,
        body=body_of(blocks),
        published_on=_parse_date(record.get("date"), label=label),
        source=clean_line(str(record.get("source") or "")),
        photo_credit=clean_line(str(record.get("photo_credit") or "")),
        publisher=clean_line(str(record.get("publisher") or "")),
        url=str(record.get("url") or "").strip(),
        language=str(record.get("language") or "").strip() or "ar",
    )
    original = record.get("original_text")
    return IncomingArticle(
        origin=origin,
        parsed=parsed,
        original_text=str(original) if original else line.rstrip("\r\n"),
        label=label,
        visible=visible,
    )


def article_to_record(article: Article) -> dict[str, Any]:
    """The export form of an article: the import schema plus provenance and structure."""
    return {
        "external_id": article.origin,
        "title": article.title,
        "body": article.body,
        "date": article.published_on.isoformat() if article.published_on else None,
        "source": article.source,
        "url": article.url,
        "language": article.language,
        "origin": article.origin,
        "headline": article.headline,
        "photo_credit": article.photo_credit,
        "publisher": article.publisher,
        "sections": sections_from_blocks(article.blocks),
        "visible": article.is_visible,
        "original_text": article.original_text,
    }


def sections_from_blocks(blocks: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Blocks grouped under their headings; the part before the first heading has heading None."""
    sections: list[dict[str, Any]] = []
    for block in blocks:
        if block["kind"] == Article.BlockKind.HEADING or not sections:
            heading = block["text"] if block["kind"] == Article.BlockKind.HEADING else None
            sections.append({"heading": heading, "paragraphs": []})
            if heading is not None:
                continue
        sections[-1]["paragraphs"].append(block["text"])
    return sections


def _blocks_from_sections(sections: Any, *, label: str) -> list[dict[str, str]]:
    error = IngestError(label, _field_error("sections", _("must be a list of {heading, paragraphs} objects")))
    if not isinstance(sections, list):
        raise error
    blocks = []
    for section in sections:
        if not isinstance(section, dict) or not isinstance(section.get("paragraphs", []), list):
            raise error
        heading = section.get("heading")
        if heading is not None:
            if not isinstance(heading, str):
                raise error
            blocks.append({"kind": Article.BlockKind.HEADING.value, "text": clean_line(heading)})
        for paragraph in section.get("paragraphs", []):
            if not isinstance(paragraph, str):
                raise error
            blocks.append({"kind": Article.BlockKind.PARAGRAPH.value, "text": clean_line(paragraph)})
    return blocks


def _parse_date(value: Any, *, label: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            try:
                return datetime.fromisoformat(value.strip()).date()
            except ValueError:
                pass
    raise IngestError(label, _field_error("date", _("not an ISO 8601 date: %(value)r") % {"value": value}))


def _field_error(name: str, reason: str) -> str:
    return _("field '%(field)s': %(reason)s") % {"field": name, "reason": reason}
