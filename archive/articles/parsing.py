"""Reading article files: decoding, and the seed text layout in both its variants.

Variant with header (the site's language switcher is copied along)::

    Ru En
    <title>
    ١٣ فبراير            <- Arabic-Indic digits; the year may be missing (it is then in the body)
    <lead>
    <paragraphs, with short unpunctuated section headings between them>
    <publisher group>
    الصورة: <photo credit>
    المصدر: <source>

Variant without header: no title and no date line; the first line is the lead and the date is only in the
body ("... اليوم الإثنين 5 سبتمبر/أيلول 2022 ..."). Lines that hold only (no-break) spaces are blank.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from archive.articles.models import Article
from archive.text.arabic import normalize
from archive.text.calendar import MONTH_NUMBERS, WEEKDAY_NUMBERS, safe_date

# Headings are short and carry no sentence punctuation; real paragraphs end with one of these.
HEADING_MAX_CHARS = 80
HEADING_MAX_WORDS = 12
_FINAL_PUNCTUATION = frozenset(".!?؟…:;؛,،")
_CLOSING = "\"'»”’)]}"

_HEADER = re.compile(r"^[A-Z][a-z](?:[\s|/·-]+[A-Z][a-z])+$")
_FOOTER = re.compile(r"^(?P<label>الصورة|المصدر)\s*[:：]\s*(?P<value>.*)$")
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")

_MONTH = "|".join(sorted(map(re.escape, MONTH_NUMBERS), key=len, reverse=True))
_WEEKDAY = "|".join(sorted(map(re.escape, WEEKDAY_NUMBERS), key=len, reverse=True))
# "13 فبراير/شباط 2025": the day, a month name, optionally its other name after a slash, optionally the year.
_DATE = rf"(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH})(?!\w)(?:\s*/\s*(?:{_MONTH})(?!\w))?"
_DATE_LINE = re.compile(
    rf"^(?:(?:{_WEEKDAY})\s*,?\s*)?{_DATE}(?:\s*,?\s*(?P<year>\d{{4}}))?(?:\s+\d{{1,2}}:\d{{2}})?$"
)
_TODAY = re.compile(rf"(?<!\w)اليوم\s+(?:(?:{_WEEKDAY})\s+)?{_DATE}\s+(?P<year>\d{{4}})(?!\d)")
_DATED = re.compile(rf"(?<!\d){_DATE}\s+(?P<year>\d{{4}})(?!\d)")


class IngestError(Exception):
    """An input that cannot become an article; the message names the input and the reason."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


@dataclass(frozen=True)
class ParsedArticle:
    title: str
    lead: str
    blocks: list[dict[str, str]]
    body: str
    published_on: date | None
    source: str = ""
    photo_credit: str = ""
    publisher: str = ""
    url: str = ""
    language: str = "ar"

    @property
    def sections(self) -> list[str]:
        return [b["text"] for b in self.blocks if b["kind"] == Article.BlockKind.HEADING]


def clean_line(line: str) -> str:
    """One line without layout: no-break and repeated spaces become one space, ends trimmed, NFC form."""
    return unicodedata.normalize("NFC", _SPACES.sub(" ", line).strip())


def is_heading_like(text: str) -> bool:
    """Short and without final punctuation (closing quotes and brackets ignored)."""
    if len(text) > HEADING_MAX_CHARS or len(text.split()) > HEADING_MAX_WORDS:
        return False
    stripped = text.rstrip(_CLOSING + " ")
    return bool(stripped) and stripped[-1] not in _FINAL_PUNCTUATION


def build_blocks(texts: list[str]) -> list[dict[str, str]]:
    """Cleaned non-blank lines in order to blocks: the first is always a paragraph (the lead)."""
    blocks = []
    for i, text in enumerate(texts):
        heading = i > 0 and is_heading_like(text)
        kind = Article.BlockKind.HEADING if heading else Article.BlockKind.PARAGRAPH
        blocks.append({"kind": kind.value, "text": text})
    return blocks


def lead_of(blocks: list[dict[str, str]]) -> str:
    return next((b["text"] for b in blocks if b["kind"] == Article.BlockKind.PARAGRAPH), "")


def body_of(blocks: list[dict[str, str]]) -> str:
    return "\n\n".join(b["text"] for b in blocks)


def decode_article_bytes(data: bytes, *, source: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1256; CRLF becomes LF."""
    if data.startswith(b"\xef\xbb\xbf"):
        text = _decode(data[3:], "utf-8", source)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decode(data, "utf-16", source)
    elif b"\x00" in data:
        raise IngestError(source, _("binary content (NUL bytes), not a text file"))
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            if _mostly_utf8(data):
                # Damaged or cut UTF-8, not another encoding: read as Windows-1256 it would be stored as
                # mojibake without a word of warning.
                line = data.count(b"\n", 0, exc.start) + 1
                raise IngestError(
                    source,
                    _("invalid UTF-8 at line %(line)d (byte %(offset)d): the file is damaged or cut off")
                    % {"line": line, "offset": exc.start},
                ) from exc
            # Not UTF-8: the legacy Arabic code page is the common alternative for Arabic text.
            text = _decode(data, "cp1256", source)
    if not text.strip():
        raise IngestError(source, _("empty file"))
    if _CONTROL.search(text) or not _looks_like_text(text):
        raise IngestError(source, _("binary content, not UTF-8, UTF-16 or Windows-1256 text"))
    return text.replace("\r\n", "\n").replace("\r", "\n")


# A well-formed UTF-8 sequence of two to four bytes. Windows-1256 Arabic text makes such sequences only by
# chance (a letter followed by one of the few code-page characters in 0x80-0xBF), and rarely.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")


def _mostly_utf8(data: bytes) -> bool:
    """Most bytes above ASCII belong to well-formed UTF-8 sequences."""
    high = len(_HIGH_BYTE.findall(data))
    in_sequences = sum(len(match) for match in _UTF8_SEQUENCE.findall(data))
    return high > 0 and in_sequences >= 0.9 * high


def _decode(data: bytes, encoding: str, source: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise IngestError(
            source, _("undecodable bytes (not valid %(encoding)s)") % {"encoding": encoding}
        ) from exc


def _looks_like_text(text: str) -> bool:
    visible = [c for c in text if not c.isspace()]
    words = sum(1 for c in visible if c.isalnum())
    return words >= len(visible) / 2


def parse_article_text(text: str, *, source: str) -> ParsedArticle:
    """Parse decoded text in the seed layout; raises IngestError when there is no article text in it."""
    lines = [cleaned for raw in text.split("\n") if (cleaned := clean_line(raw))]
    if not lines:
        raise IngestError(source, _("empty file"))

    title, date_parts = "", None
    if _HEADER.match(lines[0]):
        lines = lines[1:]
        if not lines:
            raise IngestError(source, _("only a header, no article text"))
        date_parts = _parse_date_line(lines[0])
        if date_parts is None:
            title, lines = lines[0], lines[1:]
            date_parts = _parse_date_line(lines[0]) if lines else None
        if date_parts is not None:
            lines = lines[1:]

    source_name, photo_credit, publisher = "", "", ""
    while lines and (footer := _FOOTER.match(lines[-1])):
        if footer["label"] == "المصدر":
            source_name = source_name or footer["value"]
        else:
            photo_credit = photo_credit or footer["value"]
        lines = lines[:-1]
    # A heading cannot end an article: a short unpunctuated last line is the publisher group.
    if len(lines) > 1 and is_heading_like(lines[-1]):
        publisher, lines = lines[-1], lines[:-1]
    if not lines:
        raise IngestError(source, _("no article text (only header, title, date or footer lines)"))

    blocks = build_blocks(lines)
    body = body_of(blocks)
    return ParsedArticle(
        title=title,
        lead=lead_of(blocks),
        blocks=blocks,
        body=body,
        published_on=_publication_date(date_parts, body),
        source=source_name,
        photo_credit=photo_credit,
        publisher=publisher,
    )


def parse_article_bytes(data: bytes, *, source: str) -> tuple[ParsedArticle, str]:
    """Decode and parse one file's bytes; returns the article and the decoded text (kept as the original)."""
    text = decode_article_bytes(data, source=source)
    return parse_article_text(text, source=source), text


def _parse_date_line(line: str) -> tuple[int, int, int | None] | None:
    match = _DATE_LINE.match(normalize(line).strip())
    if not match:
        return None
    year = int(match["year"]) if match["year"] else None
    return int(match["day"]), MONTH_NUMBERS[match["month"]], year


def _publication_date(date_parts: tuple[int, int, int | None] | None, body: str) -> date | None:
    """The date line's date, its year taken from the body when missing; without a date line, the body's
    "اليوم <weekday> <date>" (today). Never guessed: None when the text does not say."""
    text = normalize(body)
    if date_parts is None:
        match = _TODAY.search(text)
        if not match:
            return None
        return safe_date(int(match["year"]), MONTH_NUMBERS[match["month"]], int(match["day"]))
    day, month, year = date_parts
    if year is None:
        for match in _DATED.finditer(text):
            if int(match["day"]) == day and MONTH_NUMBERS[match["month"]] == month:
                year = int(match["year"])
                break
        else:
            return None
    return safe_date(year, month, day)
