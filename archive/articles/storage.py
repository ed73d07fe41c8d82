"""How an article's text is stored once: the body, which blocks of it are headings, and the original as
a delta against the body.

The body holds the paragraphs and section headings, separated by blank lines (a block never holds a line
break, since parsing cleans each line). The structure is then only the positions of the heading blocks.
The original text (the file or JSON line as received, kept so that the article can always be parsed
again) repeats the body almost entirely: it is stored as the parts the body does not hold (header, title,
date line, footer, JSON keys) and references to runs of body blocks, as they appear in the original:
as written (text files), JSON-escaped (JSON Lines written with or without `ensure_ascii`). Whatever
the original holds, it comes back exactly; a block that differs from its line in the original (repeated
spaces, say) is simply kept as written.

The delta names the checksum of the body it was made against: reading it against another body raises
`OriginalMismatch` instead of giving a wrong text. Setting `Article.blocks` or `Article.original_text`
keeps the two in step; code that writes the body column directly (`QuerySet.update`) must store the
original again.
"""

import json
import re
import zlib
from json.encoder import encode_basestring, encode_basestring_ascii
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

FORMAT_VERSION = 1
BLOCK_SEPARATOR = "\n\n"
# How a referenced block is written in the original.
_AS_WRITTEN, _JSON, _JSON_ASCII = 0, 1, 2
# What JSON escapes even with ensure_ascii=False: quotes, backslashes, control characters.
_NEEDS_JSON_ESCAPE = re.compile(r'["\\\x00-\x1f]')


class TextJSONEncoder(DjangoJSONEncoder):
    """JSON for JSONField columns with Arabic text: characters as they are, not `\\uXXXX` escapes (which
    take six bytes for the two of an Arabic letter in UTF-8)."""

    def __init__(self, *args, **kwargs):
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


class OriginalMismatch(ValueError):
    """The stored original was made against another body: the body changed without the original."""


def body_split(body: str) -> list[str]:
    return body.split(BLOCK_SEPARATOR) if body else []


def blocks_from_body(body: str, headings: list[int]) -> list[dict[str, str]]:
    """The body as a list of {kind, text}: the blocks at the `headings` positions are headings."""
    heading_positions = set(headings or ())
    return [
        {"kind": "heading" if i in heading_positions else "paragraph", "text": text}
        for i, text in enumerate(body_split(body))
    ]


def body_from_blocks(blocks: list[dict[str, str]]) -> tuple[str, list[int]]:
    """The body text and the heading positions of a list of {kind, text} blocks."""
    texts = [block["text"] for block in blocks]
    for text in texts:
        if not text or "\n" in text:
            raise ValueError(f"a block must be one non-empty line, not {text!r}")
    headings = [i for i, block in enumerate(blocks) if block["kind"] == "heading"]
    return BLOCK_SEPARATOR.join(texts), headings


def _checksum(body: str) -> int:
    return zlib.crc32(body.encode("utf-8"))


def _find(original: str, text: str, cursor: int) -> tuple[int, int, str, list] | None:
    """Where block `text` next appears in `original`: (offset, form, as written there, spaces), or None.
    `spaces` lists the gaps between words written otherwise than one space ([gap number, as written])."""
    found = None
    at = original.find(text, cursor)
    if at >= 0:
        found = (at, _AS_WRITTEN, text, [])
    if _NEEDS_JSON_ESCAPE.search(text):
        escaped = _written(text, _JSON)
        at = original.find(escaped, cursor)
        if at >= 0 and (found is None or at < found[0]):
            found = (at, _JSON, escaped, [])
    if found is None and not text.isascii():
        escaped = _written(text, _JSON_ASCII)
        at = original.find(escaped, cursor)
        if at >= 0:
            found = (at, _JSON_ASCII, escaped, [])
    if found is None and " " in text:
        # Parsing made every run of spaces (no-break spaces too) one space: the line as written.
        for form in (_AS_WRITTEN, _JSON):
            spaced = _find_spaced(original, [_written(word, form) for word in text.split(" ")], cursor)
            if spaced:
                at, written, gaps = spaced
                spaces = [[i, gap] for i, gap in enumerate(gaps) if gap != " "]
                return (at, form, written, spaces)
    return found


def _find_spaced(original: str, words: list[str], cursor: int) -> tuple[int, str, list[str]] | None:
    """The next place where `words` follow each other, separated by spaces of any kind (never a line
    break): (offset, the text there, the gaps between the words)."""
    at = original.find(words[0], cursor)
    end = len(original)
    while at >= 0:
        pos, gaps = at + len(words[0]), []
        for word in words[1:]:
            start = pos
            while pos < end and original[pos] != "\n" and original[pos].isspace():
                pos += 1
            if pos == start or not original.startswith(word, pos):
                break
            gaps.append(original[start:pos])
            pos += len(word)
        else:
            return at, original[at:pos], gaps
        at = original.find(words[0], at + 1)
    return None


def _written(text: str, form: int) -> str:
    """Block `text` as the original writes it: as is, or inside a JSON string (as `json.dumps` does)."""
    if form == _AS_WRITTEN:
        return text
    quoted = encode_basestring_ascii(text) if form == _JSON_ASCII else encode_basestring(text)
    return quoted[1:-1]


def _respaced(text: str, spaces: list) -> str:
    if not spaces:
        return text
    words = text.split(" ")
    gaps = [" "] * (len(words) - 1)
    for number, gap in spaces:
        gaps[number] = gap
    return "".join(word + gap for word, gap in zip(words, [*gaps, ""], strict=True))


def original_encode(*, original: str, body: str) -> str:
    """The stored form of `original` against `body` ("" for no original)."""
    if not original:
        return ""
    parts: list[Any] = []
    cursor = 0
    for number, text in enumerate(body_split(body)):
        found = _find(original, text, cursor)
        if found is None:
            continue
        at, form, written, spaces = found
        literal = original[cursor:at]
        last = parts[-1] if parts else None
        continues_json = isinstance(last, list) and last[2] == _JSON
        if form == _AS_WRITTEN and continues_json and not _NEEDS_JSON_ESCAPE.search(text):
            form = _JSON  # the same text either way: the run goes on
        # A run of consecutive blocks, written the same way and separated by the same text.
        if (
            not spaces
            and isinstance(last, list)
            and len(last) == 4
            and last[1] == number - 1
            and last[2] == form
            and (last[0] == last[1] or last[3] == literal)
        ):
            last[1], last[3] = number, literal
        else:
            if literal:
                parts.append(literal)
            parts.append([number, number, form, "", spaces] if spaces else [number, number, form, ""])
        cursor = at + len(written)
    if cursor < len(original):
        parts.append(original[cursor:])
    stored = {"v": FORMAT_VERSION, "crc": _checksum(body), "parts": parts}
    return json.dumps(stored, ensure_ascii=False, separators=(",", ":"))


def original_decode(*, stored: str, body: str) -> str:
    """The original text back from its stored form and the body it was stored against."""
    if not stored:
        return ""
    data = json.loads(stored)
    if data.get("v") != FORMAT_VERSION:
        raise ValueError(f"unknown stored original format {data.get('v')!r}")
    if data["crc"] != _checksum(body):
        raise OriginalMismatch("the body changed since the original text was stored against it")
    texts = body_split(body)
    out: list[str] = []
    for part in data["parts"]:
        if isinstance(part, str):
            out.append(part)
            continue
        first, last, form, separator, *spaces = part
        if spaces:  # one block, its words spaced as in the original
            out.append(_respaced(_written(texts[first], form), spaces[0]))
            continue
        out.append(separator.join(_written(texts[i], form) for i in range(first, last + 1)))
    return "".join(out)
