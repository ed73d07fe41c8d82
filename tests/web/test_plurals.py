"""Counts on the search page agree with the number in Arabic (six plural forms) and in English."""

import pytest
from django.utils import translation

SINGULAR, PLURAL = "%(shown)s article found", "%(shown)s articles found"


@pytest.mark.parametrize(
    ("count", "arabic", "english"),
    [
        (0, "لا مقالات مطابقة", "0 articles found"),
        (1, "مقال واحد مطابق", "1 article found"),
        (2, "مقالان مطابقان", "2 articles found"),
        (3, "3 مقالات مطابقة", "3 articles found"),
        (10, "10 مقالات مطابقة", "10 articles found"),
        (11, "11 مقالاً مطابقاً", "11 articles found"),
        (99, "99 مقالاً مطابقاً", "99 articles found"),
        (100, "100 مقال مطابق", "100 articles found"),
        (102, "102 مقال مطابق", "102 articles found"),
        (1011, "1011 مقالاً مطابقاً", "1011 articles found"),
    ],
)
def test_it_words_the_result_count_in_each_plural_form(count, arabic, english):
    for language, expected in (("ar", arabic), ("en", english)):
        with translation.override(language):
            assert translation.ngettext(SINGULAR, PLURAL, count) % {"shown": count} == expected


@pytest.mark.django_db
def test_it_shows_the_count_on_the_page_in_the_words_of_its_number(client, sample_archive):
    one = client.get("/ar/search/", {"q": "دوشنبه رحمون"}).content.decode()
    two = client.get("/ar/search/", {"q": "لافروف"}).content.decode()
    none = client.get("/ar/search/", {"q": "زززززز"}).content.decode()

    assert "مقال واحد مطابق" in one
    assert "مقالان مطابقان" in two
    assert "لا مقالات مطابقة" in none
