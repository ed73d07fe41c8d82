"""Both catalogs translate every string, with nothing fuzzy, and keep each message's placeholders."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

LOCALE_DIR = Path(settings.BASE_DIR) / "archive" / "locale"
LANGUAGES = [code for code, _ in settings.LANGUAGES]
ARABIC_WORD_NUMBERS = (0, 1, 2)  # the plural forms of exactly 0, 1 and 2 (the catalog's Plural-Forms)
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")


def catalog(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))


def label(entry: polib.POEntry) -> str:
    return f"line {entry.linenum}: {entry.msgid!r}"


def translations(entry: polib.POEntry) -> dict[int, str]:
    return dict(entry.msgstr_plural) if entry.msgid_plural else {0: entry.msgstr}


def placeholders(text: str) -> list[str]:
    return sorted(m.group(0) if not m.group(1) else f"%({m.group(1)})" for m in PLACEHOLDER.finditer(text))


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_translates_every_message_with_nothing_fuzzy(language):
    po = catalog(language)
    messages = [entry for entry in po if not entry.obsolete]

    assert not po.metadata_is_fuzzy, "a fuzzy header makes msgfmt drop the plural rules"
    assert po.metadata["Language"] == language
    assert len(messages) > 100
    fuzzy = [label(m) for m in messages if m.fuzzy]
    untranslated = [label(m) for m in messages if not all(translations(m).values())]
    assert not fuzzy, f"fuzzy in {language}: {fuzzy}"
    assert not untranslated, f"untranslated in {language}: {untranslated}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_keeps_every_placeholder_in_translations(language):
    nplurals = 6 if language == "ar" else 2

    for message in catalog(language).translated_entries():
        if "python-format" not in message.flags and "%(" not in message.msgid:
            continue
        expected = placeholders(message.msgid)
        if message.msgid_plural:
            assert len(message.msgstr_plural) == nplurals, label(message)
        for index, translated in translations(message).items():
            found = placeholders(translated)
            if message.msgid_plural and language == "ar" and index in ARABIC_WORD_NUMBERS:
                # Zero, one and two are said by the word itself (مقالان): the count may be left out.
                assert set(found) <= set(expected), f"{language} {label(message)}: {translated!r}"
            else:
                assert found == expected, f"{language} {label(message)}: {translated!r}"


def test_it_translates_arabic_into_arabic_script():
    arabic = re.compile(r"[\u0600-\u06FF]")
    # Identifiers, formats and file types may stay Latin; everything else a reader sees is Arabic.
    latin_only = [
        label(m)
        for m in catalog("ar").translated_entries()
        if not any(arabic.search(text) for text in translations(m).values())
    ]

    assert len(latin_only) <= 3, latin_only


def test_it_serves_the_compiled_catalogs():
    with translation.override("ar"):
        arabic = (translation.gettext("Search results"), translation.gettext("Page not found"))
    with translation.override("en"):
        english = translation.gettext("Search results")

    assert arabic == ("نتائج البحث", "الصفحة غير موجودة")
    assert english == "Search results"
