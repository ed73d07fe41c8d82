"""The query language: what a typed query becomes, and that nothing typed can make it fail."""

from hypothesis import given
from hypothesis import strategies as st

from archive.search.names import NameIndex
from archive.search.query import attach_aliases, build_query, parse_query


def test_it_reads_words_phrases_or_exclusions_and_title_prefix():
    parsed = parse_query('لافروف "وزير الخارجية" OR شويغو -موسكو title:دوشنبه')
    assert [[c.text for c in group] for group in parsed.groups] == [
        ["لافروف"],
        ["وزير الخارجية", "شويغو"],
        ["دوشنبه"],
    ]
    assert parsed.groups[1][0].phrase and parsed.groups[2][0].title_only
    assert [c.text for c in parsed.excluded] == ["موسكو"]


def test_it_closes_an_unbalanced_quote_at_the_end():
    parsed = parse_query('"وزير الخارجية')
    assert parsed.groups[0][0].text == "وزير الخارجية" and parsed.groups[0][0].phrase


def test_it_reads_a_leading_or_as_a_word_position_and_not_an_operator():
    assert [[c.text for c in g] for g in parse_query("OR موسكو").groups] == [["موسكو"]]


def test_it_matches_a_two_word_name_before_its_single_words():
    names = NameIndex({7: ["مهر الدين", "مخردين"]})
    parsed = attach_aliases(parse_query("لقاء مهر الدين"), names)
    assert [c.alias.official_id if c.alias else None for g in parsed.groups for c in g] == [None, 7]


def test_it_ignores_a_spelling_shared_by_two_officials():
    names = NameIndex({1: ["محمد"], 2: ["محمد"]})
    assert names.match("محمد") is None


@given(st.text(max_size=80))
def test_it_never_raises_on_any_text(text):
    parsed = parse_query(text)
    for mode in ("stemmed", "normalized", "exact"):
        for match in ("all", "any"):
            build_query(parsed, mode=mode, match=match)
