"""The index outbox: every change is recorded with it in one transaction and reaches the index, whenever
a writer runs; a rebuild loses no change made while it ran."""

import threading

import pytest
from django.conf import settings
from django.db import transaction

from archive.articles.changes import article_changes_depth
from archive.articles.models import Article
from archive.articles.services import article_curate, articles_delete
from archive.ingest.services import articles_ingest
from archive.search.indexing import (
    search_index_check,
    search_index_rebuild,
    search_index_sync,
    search_index_worker,
)
from archive.search.service import SearchParams, article_search
from tests.search.conftest import SEEDS


def found(q: str) -> set[int]:
    return {hit.article.pk for hit in article_search(params=SearchParams(q=q)).hits}


def counted(q: str) -> int:
    return article_search(params=SearchParams(q=q)).count


@pytest.fixture
def archive(transactional_db):
    assert not articles_ingest(paths=[SEEDS]).failed
    assert article_changes_depth() == 0  # the ingest wrote what it recorded
    return list(Article.objects.order_by("pk"))


@pytest.mark.skipif(
    settings.SEARCH_ENGINE == "postgres",
    reason="the PostgreSQL engine writes entries in the edit's transaction: nothing waits for a writer",
)
def test_it_writes_an_edit_committed_while_no_writer_ran_once_one_comes_back(archive):
    article = archive[2]
    article.title = "زعفران في دوشنبه"
    article_curate(article=article)
    assert article_changes_depth() > 0
    assert counted("زعفران") == 0  # nobody has written the index yet

    stop = threading.Event()
    worker = threading.Thread(target=search_index_worker, kwargs={"stop": stop, "poll_seconds": 0.05})
    worker.start()
    try:
        while article_changes_depth():
            stop.wait(0.05)
    finally:
        stop.set()
        worker.join()
    assert found("زعفران") == {article.pk}
    assert search_index_check().clean


def test_it_records_nothing_for_an_edit_that_was_rolled_back(archive):
    article = archive[0]
    article.title = "عنوان لن يبقى"
    with pytest.raises(RuntimeError), transaction.atomic():
        article_curate(article=article)
        assert article_changes_depth() > 0
        raise RuntimeError("the editor's request failed")
    assert article_changes_depth() == 0
    assert Article.objects.get(pk=article.pk).title != "عنوان لن يبقى"


def test_it_keeps_every_edit_and_delete_made_while_a_rebuild_runs(archive):
    edited, deleted = archive[1], archive[3]

    def edit_meanwhile(done, total):
        # Called by the build after it read the articles: the live index is locked, search still answers.
        edited.title = "زعفران في موسكو"
        article_curate(article=edited)
        articles_delete(article_ids=[deleted.pk])

    search_index_rebuild(progress=edit_meanwhile)

    assert found("زعفران") == {edited.pk}
    assert deleted.pk not in found("طاجيكستان")
    assert counted("") == len(archive) - 1
    assert article_changes_depth() == 0
    assert search_index_check().clean


def test_it_is_idempotent_when_two_writers_take_the_same_changes(archive):
    article = archive[0]
    article.title = "زعفران"
    article_curate(article=article)
    writers = [threading.Thread(target=search_index_sync) for _ in range(2)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert article_search(params=SearchParams(q="زعفران")).count == 1
    assert counted("") == len(archive)
