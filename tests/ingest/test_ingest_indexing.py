"""After an ingest the index answers for what the database holds, however it was brought up to date."""

import pytest
from django.conf import settings

from archive.ingest import services
from archive.ingest.services import articles_ingest
from archive.search.service import article_search, search_params_from_query


def _found(query: str) -> set[str]:
    results = article_search(params=search_params_from_query({"q": query}))
    return {hit.article.origin for hit in results.hits}


@pytest.mark.django_db
def test_it_indexes_a_small_import_entry_by_entry(seeds_dir):
    articles_ingest(paths=[seeds_dir])
    assert len(_found("لافروف")) == 4


@pytest.mark.django_db
def test_it_rebuilds_the_index_when_an_import_changes_most_of_the_archive(seeds_dir, monkeypatch):
    monkeypatch.setattr(services, "REBUILD_MIN_CHANGED", 2)
    articles_ingest(paths=[seeds_dir])
    assert len(_found("لافروف")) == 4


@pytest.mark.skipif(
    settings.SEARCH_ENGINE == "postgres",
    reason="the PostgreSQL engine writes entries in the article's transaction: no index to leave alone",
)
@pytest.mark.django_db
def test_it_leaves_the_index_alone_when_asked(seeds_dir):
    articles_ingest(paths=[seeds_dir], index=False)
    assert _found("لافروف") == set()
