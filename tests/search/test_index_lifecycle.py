"""The index follows the database: edits, hiding and deletion reach it; rebuilds never empty search."""

import threading

import pytest
from django.core.management import CommandError, call_command

from archive.articles.models import Article
from archive.articles.services import articles_set_visibility
from archive.search.engine import search_engine
from archive.search.indexing import search_index_check, search_index_flush, search_index_rebuild
from archive.search.service import SearchParams, article_search
from archive.search.whoosh_engine import store as whoosh_store


def ids_for(q: str) -> set[int]:
    return {hit.article.pk for hit in article_search(params=SearchParams(q=q)).hits}


@pytest.fixture
def seeded_committed(transactional_db):
    """Seeds in committed rows, so the index writer thread (its own connection) sees them."""
    from archive.ingest.services import articles_ingest
    from tests.search.conftest import SEEDS

    articles_ingest(paths=[SEEDS])
    assert search_index_flush(timeout=60)
    return list(Article.objects.values_list("pk", flat=True))


def test_it_drops_a_hidden_article_from_results_once_the_writer_ran(seeded_committed):
    article = Article.objects.get(origin__endswith="000_900ead7f2c160cfd.txt")
    assert article.pk in ids_for("هجره")
    articles_set_visibility(article_ids=[article.pk], visible=False)
    assert search_index_flush(timeout=60)
    assert article.pk not in ids_for("هجره")
    assert search_index_check().clean


def test_it_drops_a_deleted_article_from_results(seeded_committed):
    article = Article.objects.get(origin__endswith="001_e85774afd2b191b1.txt")
    article.delete()
    assert search_index_flush(timeout=60)
    assert article.pk not in ids_for("هجره")
    assert search_index_check().clean


def test_it_never_shows_a_hidden_article_even_when_the_index_missed_the_change(seeded):
    article = Article.objects.get(origin__endswith="000_900ead7f2c160cfd.txt")
    Article.objects.filter(pk=article.pk).update(is_visible=False)  # no signal, no index update
    assert article.pk not in ids_for("هجره")
    assert ids_for("هجره")  # the other migration article is still there


def test_it_indexes_an_admin_edit_through_the_queue(seeded_committed):
    article = Article.objects.get(origin__endswith="002_32804eb77b22d83d.txt")
    assert article.pk not in ids_for("زعفران")
    article.body += "\nزعفران"
    article.save()
    assert search_index_flush(timeout=60)
    assert ids_for("زعفران") == {article.pk}


def test_it_keeps_answering_while_the_index_is_rebuilt(seeded_committed):
    failures: list[str] = []
    searches = 0
    done = threading.Event()

    def search_in_a_loop():
        nonlocal searches
        while not done.is_set():
            try:
                results = article_search(params=SearchParams(q="طاجيكستان"))
            except Exception as error:  # the test reports it below
                failures.append(repr(error))
                continue
            searches += 1
            if results.count != 5 or len(results.hits) != 5:
                failures.append(f"{results.count} results, {len(results.hits)} hits")

    thread = threading.Thread(target=search_in_a_loop)
    thread.start()
    try:
        for _ in range(4):
            assert search_index_rebuild() == 5
    finally:
        done.set()
        thread.join()
    assert searches > 0
    assert failures == []


def test_it_reports_drift_and_repairs_it(seeded, capsys):
    hidden = Article.objects.get(origin__endswith="000_900ead7f2c160cfd.txt")
    Article.objects.filter(pk=hidden.pk).update(is_visible=False)
    with pytest.raises(CommandError):  # a non-zero exit status from the shell
        call_command("check_index")
    out = capsys.readouterr().out
    assert f": 1 ({hidden.pk})" in out  # one extra article, named by its id
    call_command("check_index", "--fix")  # repaired: no error
    assert search_index_check().clean


def test_it_rebuilds_from_the_command_without_emptying_search(seeded, capsys):
    call_command("rebuild_search_index")
    assert "5" in capsys.readouterr().out
    assert len(ids_for("طاجيكستان")) == 5


@pytest.mark.whoosh_only
def test_it_leaves_the_live_index_alone_when_a_rebuild_is_interrupted(seeded):
    def interrupt(done, total):
        raise KeyboardInterrupt  # what Ctrl-C does in the middle of a build

    live = search_engine().store.live_index().storage.folder
    with pytest.raises(KeyboardInterrupt):
        search_index_rebuild(progress=interrupt)
    root = search_engine().root
    assert search_engine().store.live_index().storage.folder == live
    assert [child.name for child in root.iterdir() if child.name.startswith("build-")] == []
    assert len(ids_for("طاجيكستان")) == 5


@pytest.mark.whoosh_only
def test_it_locks_the_index_a_rebuild_swapped_in_not_the_one_it_retired(seeded, monkeypatch):
    engine = search_engine()
    store = engine.store
    retiring = store.live_index()
    held = retiring.lock(whoosh_store.WRITE_LOCK)
    assert held.acquire(blocking=False)  # as a rebuild holds it until its index is live
    waiting = threading.Event()

    def acquire_lock(lock, **options):
        waiting.set()
        whoosh_store_acquire_lock(lock, **options)

    whoosh_store_acquire_lock = whoosh_store.acquire_lock
    monkeypatch.setattr(whoosh_store, "acquire_lock", acquire_lock)
    locked = []

    def lock_live():
        with store.live_locked(timeout=60) as index:
            locked.append(index.storage.folder)

    waiter = threading.Thread(target=lock_live)
    waiter.start()
    assert waiting.wait(timeout=60)  # it waits for the retiring index's lock
    swapped_in = whoosh_store.new_version(engine.root)
    store.open_index(swapped_in).close()
    whoosh_store.publish_version(engine.root, swapped_in)
    held.release()
    waiter.join(timeout=60)
    assert locked == [str(swapped_in)]
