"""The PostgreSQL engine's own promises: entries written in the article's transaction, the rebuild and
clear without a gap, the vocabulary behind "did you mean". What both engines answer alike is the shared
suite's (run with SEARCH_ENGINE=postgres in CI)."""

import threading

import pytest
from django.db import connection, transaction

from archive.articles.models import Article, ArticleChange
from archive.articles.services import articles_delete, articles_set_visibility
from archive.ingest.services import articles_ingest
from archive.search import querytree as qt
from archive.search import schema
from archive.search.engine import EngineQuery, search_engine
from archive.search.indexing import search_index_check, search_index_rebuild
from archive.search.models import SearchEntry, SearchTerm
from archive.search.service import SearchParams, article_search
from tests.search.conftest import SEEDS

pytestmark = pytest.mark.postgres_engine


def _found(word: str) -> list[int]:
    return [pk for pk, _ in search_engine().execute(EngineQuery(query=qt.Term(schema.TEXT_NORM, word))).hits]


def test_it_writes_the_entry_in_the_transaction_of_the_edit(seeded):
    article = Article.objects.get(pk=next(iter(seeded.values())))
    with transaction.atomic():
        article.title = "الزعفرانية في موسكو"
        article.save()
        # Before commit, and with the outbox not drained: this transaction already finds it.
        assert _found("الزعفرانيه") == [article.pk]
        assert ArticleChange.objects.filter(article_id=article.pk).exists()
    assert _found("الزعفرانيه") == [article.pk]


def test_it_leaves_no_trace_of_an_edit_rolled_back(seeded):
    article = Article.objects.get(pk=next(iter(seeded.values())))
    before = SearchEntry.objects.get(article=article).updated
    with pytest.raises(RuntimeError), transaction.atomic():
        article.title = "الزعفرانية في موسكو"
        article.save()
        raise RuntimeError("the editor's request failed")
    assert _found("الزعفرانيه") == []
    assert SearchEntry.objects.get(article=article).updated == before


def test_it_drops_the_entry_of_a_hidden_or_deleted_article_at_once(seeded):
    hidden, deleted = list(seeded.values())[:2]
    articles_set_visibility(article_ids=[hidden], visible=False)
    articles_delete(article_ids=[deleted])
    assert not SearchEntry.objects.filter(article_id__in=[hidden, deleted]).exists()
    assert search_index_check().clean


@pytest.mark.django_db(transaction=True)
def test_it_keeps_answering_while_it_rebuilds():
    articles_ingest(paths=[SEEDS])
    answers, stop = [], threading.Event()

    def search_all_along():
        while not stop.is_set():
            answers.append(article_search(params=SearchParams(q="طاجيكستان")).count)
        connection.close()

    searcher = threading.Thread(target=search_all_along)
    searcher.start()
    try:
        assert search_index_rebuild() == Article.objects.count()
    finally:
        stop.set()
        searcher.join()
    assert answers and set(answers) == {Article.objects.count()}


def test_it_suggests_from_the_vocabulary_of_the_entries(seeded):
    assert SearchTerm.objects.filter(term="موسكو").exists()
    results = article_search(params=SearchParams(q="موسكوو"))
    assert results.suggestion == "موسكو"


def test_it_clears_and_rebuilds_the_entries(seeded):
    search_engine().clear()
    assert article_search(params=SearchParams(q="طاجيكستان")).count == 0
    assert search_index_rebuild() == len(seeded)
    assert article_search(params=SearchParams(q="طاجيكستان")).count == len(seeded)
