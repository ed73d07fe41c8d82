"""Searches read from the replica when one is configured; everything else stays on the primary."""

import pytest
from django.test import override_settings

from archive.articles.models import Article
from archive.search.models import SearchEntry
from archive.search.router import SearchReplicaRouter

PRIMARY = {"ENGINE": "django.db.backends.postgresql", "NAME": "diwan"}
# The router reads the configured databases; these tests configure some without connecting to them.
pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")


def test_it_reads_search_entries_from_the_replica_when_there_is_one():
    router = SearchReplicaRouter()
    with override_settings(DATABASES={"default": PRIMARY, "replica": {**PRIMARY, "HOST": "replica"}}):
        assert router.db_for_read(SearchEntry) == "replica"
        assert router.db_for_read(Article) is None  # pages and the admin read the primary
        assert router.db_for_write(SearchEntry) == "default"
        assert router.allow_migrate("replica", "search") is False
        assert router.allow_migrate("default", "search") is True


def test_it_reads_everything_from_the_primary_without_a_replica():
    with override_settings(DATABASES={"default": PRIMARY}):
        assert SearchReplicaRouter().db_for_read(SearchEntry) is None
