"""The Arabic text module: normalisation, tokenisation, stemming and the analysis chain."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive.text.arabic import (
    fold_digits,
    is_stopword,
    normalize,
    normalize_exact,
    stem,
    terms,
    tokenize,
)

# Mostly the Arabic block (letters, harakat, tatweel, digits, punctuation), mixed with anything.
ARABIC_CHARS = st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
ARABIC_TEXT = st.text(st.one_of(ARABIC_CHARS, st.sampled_from(" \u00a0.,-"), st.characters()), max_size=60)
HARAKAT = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670"
LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآىةؤئ"
WORDS = st.text(st.sampled_from(LETTERS), min_size=1, max_size=10)


@given(ARABIC_TEXT)
def test_it_normalizes_idempotently(text):
    once = normalize(text)
    assert normalize(once) == once
    assert normalize_exact(normalize_exact(text)) == normalize_exact(text)


@given(st.text())
def test_it_never_raises_on_any_input(text):
    for mode in ("stemmed", "normalized", "exact"):
        assert isinstance(terms(text, mode=mode), list)
    assert all(text[t.start : t.end] == t.text for t in tokenize(text))
    fold_digits(text)


@given(WORDS, st.lists(st.sampled_from(HARAKAT + "\u0640"), max_size=6), st.randoms())
def test_it_gives_the_same_terms_with_and_without_diacritics(word, marks, rnd):
    vocalised = list(word)
    for mark in marks:
        vocalised.insert(rnd.randint(1, len(vocalised)), mark)
    vocalised = "".join(vocalised)
    for mode in ("stemmed", "normalized", "exact"):
        assert terms(vocalised, mode=mode) == terms(word, mode=mode)
    assert len(tokenize(vocalised)) == 1


@given(st.text(st.sampled_from("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹0123456789"), min_size=1))
def test_it_folds_digits_to_ascii(digits):
    folded = fold_digits(digits)
    assert folded.isascii() and folded.isdigit()
    assert terms(digits) == [folded]


def test_it_folds_the_interchangeable_spellings():
    assert normalize("أإآٱ ى ة ؤ ئ") == "اااا ي ه و ي"
    assert normalize("الْعَرَبِيَّةُ") == "العربيه"
    assert normalize("مـــصـر") == "مصر"
    assert normalize("Lavrov، ٢٠٢٥؟") == "lavrov  2025 "
    assert normalize("ﻻ") == "لا"


def test_it_keeps_letters_as_written_in_exact_mode():
    assert terms("الهِجْرَة إلى", mode="exact", stopwords=False) == ["الهجرة", "إلى"]


@pytest.mark.parametrize("word", ["هجره", "الهِجْرَة", "الهجرة", "والهجرة", "بالهجرة"])
def test_it_stems_migration_spellings_to_one_term(word):
    assert terms(word) == terms("الهجرة") == [stem("الهجرة")]


def test_it_normalizes_the_minister_spellings_predictably():
    assert terms("مهر الدين", mode="normalized") == ["مهر", "الدين"]
    assert terms("مهر الديين", mode="normalized") == ["مهر", "الديين"]
    # The stem of each spelling is stable, so alias expansion (not stemming) must join the two.
    assert terms("مهر الديين") == terms("مُهْر الدِّيين")


def test_it_drops_stop_words_with_or_without_prefix_and_hamza():
    assert is_stopword("إلى") and is_stopword("الى") and is_stopword("إِلَى")
    assert is_stopword("وفي") and is_stopword("والتي")
    assert not is_stopword("موسكو")
    assert terms("ما هي عاصمة روسيا؟") == [stem("عاصمة"), stem("روسيا")]
    assert terms("ما هي", stopwords=False) == ["ما", "هي"]


def test_it_tokenizes_with_offsets_into_the_original_text():
    text = "قال وزيرُ الخارجيةِ، Lavrov: ٢٠٢٥ (COVID-19)"
    tokens = tokenize(text)
    assert [t.text for t in tokens] == ["قال", "وزيرُ", "الخارجيةِ", "Lavrov", "٢٠٢٥", "COVID", "19"]
    for t in tokens:
        assert text[t.start : t.end] == t.text
    assert tokens[2].start == text.index("الخارجية")


def test_it_never_splits_a_word_at_a_diacritic():
    assert [t.text for t in tokenize("الهِجْرَةُ النَّبَوِيَّةُ")] == ["الهِجْرَةُ", "النَّبَوِيَّةُ"]


def test_it_stems_hamza_spellings_alike_and_leaves_latin_and_numbers():
    assert terms("أشياء") == terms("اشيا") and terms("مساءلة") == terms("مسالة")
    assert terms("Lavrov 2025 COVID") == ["lavrov", "2025", "covid"]
    # Length guards: a short word keeps its letters, and الله is never read as the pronoun له.
    assert terms("القرآن") != terms("قر")
    assert terms("الله") == terms("لله") == ["الله"]
