"""Haystack is the registry of the engine, not a way to search: its query API says so instead of
answering with its own English query parser."""

import pytest
from haystack.query import SearchQuerySet

from archive.search import schema
from archive.search.engine import SearchEngine, search_engine
from archive.search.search_indexes import ArticleIndex


def test_the_configured_connection_is_the_projects_engine():
    assert isinstance(search_engine(), SearchEngine)


def test_a_searchqueryset_points_to_the_search_service(seeded):
    with pytest.raises(NotImplementedError, match=r"archive\.search\.service"):
        SearchQuerySet().auto_query("هجره").count()


def test_the_index_declares_exactly_the_fields_of_the_schema():
    assert sorted(ArticleIndex.fields) == sorted(schema.DOCUMENT_FIELDS)
    for name, spec in schema.TEXT_FIELDS.items():
        field = ArticleIndex.fields[name]
        assert (field.mode, field.positions, field.boost) == (spec.mode, spec.positions, spec.boost)
