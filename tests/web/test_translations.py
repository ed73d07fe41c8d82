"""Both catalogs translate every string, with nothing fuzzy, and keep each message's placeholders."""

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LOCALE_DIR = Path(settings.BASE_DIR) / "archive" / "locale"
LANGUAGES = [code for code, _ in settings.LANGUAGES]
ARABIC_WORD_NUMBERS = (0, 1, 2)  # the plural forms of exactly 0, 1 and 2 (the catalog's Plural-Forms)
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"line {self.line}: {self.msgid!r}"


def parse_po(path: Path) -> list[Entry]:
    """A small reader for the .po files makemessages writes: entries are separated by blank lines."""
    entries = []
    lines = path.read_text(encoding="utf-8").splitlines()
    block_start = 0
    for number, line in enumerate([*lines, ""], start=1):
        if line.strip():
            continue
        block = [(n, text.strip()) for n, text in enumerate(lines[block_start : number - 1], block_start + 1)]
        block_start = number
        if block and not all(text.startswith("#~") or text.startswith("#") for _, text in block):
            entries.append(_entry(block))
    return entries


def _entry(block: list[tuple[int, str]]) -> Entry:
    entry = Entry(line=block[0][0])
    keyword = None
    for _, text in block:
        if text.startswith("#,"):
            entry.flags |= {flag.strip() for flag in text[2:].split(",")}
        elif text.startswith("#"):
            continue
        elif text.startswith('"'):
            _add(entry, keyword, ast.literal_eval(text))
        else:
            keyword, _, value = text.partition(" ")
            _add(entry, keyword, ast.literal_eval(value))
    return entry


def _add(entry: Entry, keyword: str, text: str) -> None:
    plural = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
    if plural or keyword == "msgstr":
        index = int(plural.group(1)) if plural else 0
        entry.msgstr[index] = entry.msgstr.get(index, "") + text
    else:
        setattr(entry, keyword, (getattr(entry, keyword) or "") + text)


def catalog(language: str) -> tuple[Entry, list[Entry]]:
    entries = parse_po(LOCALE_DIR / language / "LC_MESSAGES" / "django.po")
    header, messages = entries[0], entries[1:]
    assert header.msgid == "", "the catalog starts with its header"
    return header, messages


def placeholders(text: str) -> list[str]:
    return sorted(m.group(0) if not m.group(1) else f"%({m.group(1)})" for m in PLACEHOLDER.finditer(text))


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_translates_every_message_with_nothing_fuzzy(language):
    header, messages = catalog(language)

    assert "fuzzy" not in header.flags, "a fuzzy header makes msgfmt drop the plural rules"
    assert f"Language: {language}\\n" in header.msgstr[0].replace("\n", "\\n")
    assert len(messages) > 100
    fuzzy = [m.label for m in messages if "fuzzy" in m.flags]
    untranslated = [m.label for m in messages if not m.msgstr or not all(m.msgstr.values())]
    assert not fuzzy, f"fuzzy in {language}: {fuzzy}"
    assert not untranslated, f"untranslated in {language}: {untranslated}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_keeps_every_placeholder_in_translations(language):
    _, messages = catalog(language)
    nplurals = 6 if language == "ar" else 2

    for message in messages:
        if "python-format" not in message.flags and "%(" not in message.msgid:
            continue
        expected = placeholders(message.msgid)
        if message.msgid_plural:
            assert len(message.msgstr) == nplurals, message.label
        for index, translated in message.msgstr.items():
            found = placeholders(translated)
            if message.msgid_plural and language == "ar" and index in ARABIC_WORD_NUMBERS:
                # Zero, one and two are said by the word itself (مقالان): the count may be left out.
                assert set(found) <= set(expected), f"{language} {message.label}: {translated!r}"
            else:
                assert found == expected, f"{language} {message.label}: {translated!r}"


def test_it_translates_arabic_into_arabic_script():
    _, messages = catalog("ar")
    arabic = re.compile(r"[\u0600-\u06FF]")
    # Identifiers, formats and file types may stay Latin; everything else a reader sees is Arabic.
    latin_only = [m.label for m in messages if not any(arabic.search(s) for s in m.msgstr.values())]

    assert len(latin_only) <= 3, latin_only


def test_it_serves_the_compiled_catalogs():
    with translation.override("ar"):
        arabic = (translation.gettext("Search results"), translation.gettext("Page not found"))
    with translation.override("en"):
        english = translation.gettext("Search results")

    assert arabic == ("نتائج البحث", "الصفحة غير موجودة")
    assert english == "Search results"
