"""The query language: what a typed query becomes, and that nothing typed can make it fail."""

from hypothesis import given
from hypothesis import strategies as st

from archive.search.names import NameIndex
from archive.search.query import attach_aliases, build_query, parse_query
from archive.search.syntax import query_cost


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


OPERATOR_SOUP = st.lists(
    st.sampled_from(
        ['"', "(", ")", "-", "*", " OR ", " AND ", " NOT ", " ليس ", "title:", "source:", "date:", "year:"]
    )
    | st.text(max_size=6),
    max_size=12,
).map("".join)


@given(st.text(max_size=80) | OPERATOR_SOUP)
def test_it_never_raises_on_any_text(text):
    parsed = parse_query(text)
    names = NameIndex({7: ["سراج الدين مهر الدين", "مخردين"]})
    for mode in ("stemmed", "normalized", "exact"):
        for match in ("all", "any"):
            build_query(parsed, mode=mode, match=match)
            build_query(attach_aliases(parsed, names), mode=mode, match=match, names=names)
    assert query_cost(text).chars == len(text)


def test_it_reads_and_not_prefixes_and_fields():
    parsed = parse_query("لافروف AND شويغو NOT موسكو لافر* source:تاس -year:2023")
    assert [[c.text for c in group] for group in parsed.groups] == [["لافروف"], ["شويغو"], ["لافر"]]
    assert parsed.joined == {1} and parsed.groups[2][0].prefix
    assert [(c.text, c.field) for c in parsed.excluded] == [("موسكو", ""), ("2023", "year")]
    assert [(c.text, c.field) for c in parsed.filters] == [("تاس", "source")]
    assert parsed.notes == []
