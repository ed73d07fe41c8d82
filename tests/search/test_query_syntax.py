"""What analysts type (AND, NOT, a prefix, field names) on the seeds, and notes on what was not understood."""

import pytest
from django.utils import translation

from archive.search.service import SearchParams, article_search

LAVROV = {"000", "001", "003", "004"}  # the seed articles naming Lavrov (by their file numbers)
MIGRATION = {"000", "001"}


def found(q: str, **params) -> set[str]:
    results = article_search(params=SearchParams(q=q, **params))
    return {hit.article.origin.rsplit("/", 1)[-1][:3] for hit in results.hits}


def notes(q: str) -> list[str]:
    with translation.override("en"):
        return [note.message for note in article_search(params=SearchParams(q=q)).understood_as.notes]


@pytest.mark.parametrize("q", ["لافروف NOT الهجرة", "لافروف -الهجرة"])
def test_it_leaves_out_what_not_excludes(seeded, q):
    assert found(q) == LAVROV - MIGRATION
    assert notes(q) == []


@pytest.mark.parametrize("q", ["لافروف دون الهجرة", "لافروف ليس الهجرة"])
def test_it_reads_arabic_words_for_without_as_words_of_the_query(seeded, q):
    # "دون" and "ليس" are stop words of a sentence, not exclusions: the articles on migration stay.
    assert found(q) == MIGRATION
    assert notes(q) == []


def test_it_requires_both_sides_of_and_even_when_any_word_may_match(seeded):
    assert found("شويغو ميشوستين", match="any") == {"000", "002"}
    assert found("شويغو AND ميشوستين", match="any") == set()
    assert found("طاجيكستان AND لافروف", match="any") == LAVROV


def test_it_keeps_and_together_when_no_article_has_every_word(seeded):
    results = article_search(params=SearchParams(q="شويغو AND ميشوستين"))
    assert results.count == 0 and not results.relaxed  # AND is not relaxed into OR
    assert article_search(params=SearchParams(q="شويغو ميشوستين")).relaxed


@pytest.mark.parametrize("q", ["لافر*", "لافرو*"])
def test_it_finds_words_starting_with_a_prefix(seeded, q):
    assert found(q) == LAVROV
    assert found(q, mode="exact") == LAVROV


@pytest.mark.parametrize("q", ["source:تاس", "مصدر:تاس", 'source:"تاس"'])
def test_it_filters_by_source_as_the_source_facet_does(seeded, q):
    assert found(q) == {"000", "001", "002", "003", "004"}
    assert found(q.replace("تاس", "رويترز")) == set()


@pytest.mark.parametrize("q", ["date:2023", "year:2023", "سنة:٢٠٢٣", "date:2023-06", "تاريخ:2023-06-06"])
def test_it_filters_by_date_or_year(seeded, q):
    assert found(q) == {"003"}


def test_it_combines_words_and_filters(seeded):
    assert found("year:2022") == {"000", "004"}
    assert found("لافروف date:2022") == {"000", "004"}
    assert found("لافروف -year:2022") == {"001", "003"}
    assert found("طاجيكستان -source:تاس") == set()


def test_it_filters_by_the_place_of_a_meeting(seeded):
    assert found("place:دوشنبه") == found("مكان:دوشنبه") != set()
    assert found("place:موسكو") != found("place:دوشنبه")


def test_it_filters_by_an_official_named_or_numbered(seeded):
    from archive.entities.models import Official

    lavrov = Official.objects.get(name_ar="سيرغي لافروف")
    assert found("official:لافروف") == found(f"official:{lavrov.pk}") == found("مسؤول:لافروف") == LAVROV
    assert found("official:Lavrov") == LAVROV
    assert found("official:نيمو") == set()
    assert notes("official:نيمو") == ["No official is named “نيمو”."]


def test_it_searches_the_title_with_the_arabic_field_name(seeded):
    assert found("عنوان:الهجرة") == found("title:الهجرة") == {"001"}


@pytest.mark.parametrize(
    ("q", "note"),
    [
        ("foo:لافروف", "“foo:” is not a field"),
        ("(لافروف)", "Brackets do not group words"),
        ("AND لافروف", "“AND” has nothing to join"),
        ("لافروف OR", "“OR” has nothing to join"),
        ("لافروف NOT", "“NOT” has nothing to join"),
        ("ل*", "a prefix needs at least 2 letters"),
        ("لا*روف", "“*” works only at the end of a word"),
        ("date:20x", "“20x” is not a date"),
        ("year:2023-06", "“2023-06” is not a year"),
        ("title:", "“title:” needs a value"),
        ('لافروف "وزير', "A quotation mark was not closed"),
    ],
)
def test_it_says_which_part_of_a_query_was_not_understood(seeded, q, note):
    assert any(note in message for message in notes(q)), notes(q)


def test_it_still_searches_what_it_understood_around_a_note(seeded):
    assert found("(لافروف)") == found("AND لافروف") == LAVROV


def test_it_suggests_the_word_the_archive_has_for_a_held_down_letter(seeded):
    results = article_search(params=SearchParams(q="مفاوضاتتت"))
    assert results.count == 0
    assert results.suggestion == "المفاوضات"


def test_it_shows_the_notes_on_the_page_translated(client, seeded):
    page = client.get("/ar/search/", {"q": "لافر* foo:بار"}).content.decode()
    assert "لم يُفهم جزء من الاستعلام" in page
    english = client.get("/en/search/", {"q": "لافر* foo:بار"}).content.decode()
    assert "Part of the query was not understood:" in english
    assert "“foo:” is not a field" in english


def test_it_lists_the_notes_in_the_api(client, seeded):
    data = client.get("/api/search", {"q": "لافروف NOT"}).json()
    assert data["count"] == 4
    assert [n["part"] for n in data["understood_as"]["not_understood"]] == ["NOT"]
