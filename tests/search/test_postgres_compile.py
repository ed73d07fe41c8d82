"""The PostgreSQL engine's translation of query trees and documents: plain text, no database needed."""

import datetime

from archive.search import querytree as qt
from archive.search import schema
from archive.search.postgres_engine.compile import query_condition, query_leaves, tsquery
from archive.search.postgres_engine.documents import entry_row, lexeme
from archive.text.arabic import word_term


def test_it_quotes_a_term_so_that_no_character_of_it_is_an_operator():
    assert lexeme(schema.SOURCE, "O'Neil \\ & | !") == "'sO''Neil \\\\ & | !'"


def test_it_keeps_each_fields_terms_apart_with_their_positions():
    row = entry_row({schema.TEXT: "وزير الخارجية وزير", schema.TITLE: "وزير", schema.OFFICIALS: ["7", "12"]})
    document, minister = row["document"], word_term("وزير", "stemmed")  # the terms Whoosh indexes too
    assert f"'a{minister}':1,3" in document
    assert f"'b{minister}':1" in document
    assert f"'a{word_term('الخارجية', 'stemmed')}':2" in document
    assert "'o7'" in document and "'o12'" in document
    assert row["officials"] == "7\n12"
    assert row["text_length"] == 3


def test_it_says_a_tree_as_one_tsquery_when_it_can():
    node = qt.AndNot(
        qt.Or((qt.Term(schema.TEXT, "لافروف"), qt.Phrase(schema.TEXT, ("وزير", "خارج")))),
        qt.Prefix(schema.TITLE, "موس"),
    )
    assert tsquery(node) == "(('aلافروف' | ('aوزير' <-> 'aخارج')) & !'bموس':*)"
    assert query_condition(node).sql == "document @@ %s::tsquery"


def test_it_puts_dates_and_everything_else_around_the_tsquery_in_sql():
    start = datetime.datetime(2023, 6, 1)
    node = qt.And((qt.Term(schema.TEXT, "لافروف"), qt.DateRange(schema.DATE, start, None)))
    condition = query_condition(node)
    assert condition.sql == "(document @@ %s::tsquery AND (date >= %s))"
    assert condition.params == ("'aلافروف'", datetime.date(2023, 6, 1))
    assert query_condition(qt.Nothing()).sql == "FALSE"
    assert query_condition(qt.AndNot(qt.Every(), qt.Term(schema.TEXT, "x"))).sql == (
        "(TRUE AND NOT document @@ %s::tsquery)"
    )


def test_it_scores_only_what_is_not_excluded_and_only_text_fields():
    node = qt.AndNot(
        qt.And((qt.Term(schema.TEXT, "لافروف", boost=2.0), qt.Term(schema.SOURCE, "تاس"))),
        qt.Term(schema.TEXT, "موسكو"),
    )
    leaves = query_leaves(node)
    assert [(leaf.tsquery, leaf.boost, leaf.kind) for leaf in leaves] == [("'aلافروف'", 2.0, "term")]
