"""One serving process answers many requests with the same cached searcher and caches, as gunicorn does.

After every kind of edit an editor makes, and once the index writer wrote it, what that process serves
(result pages, counts, facets, exports, the search feed) must equal what a fresh process computes from
the same database and index: every article at most once, nothing stale.
"""

import csv
import io
import threading
import xml.etree.ElementTree as ET

import pytest
from django import db
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import translation
from haystack import connections

from archive.articles.models import Article
from archive.entities.models import Official, ReviewStatus
from archive.ingest.services import articles_ingest
from archive.search.engine import search_engine
from archive.search.indexing import search_index_flush, search_index_rebuild, search_index_update
from archive.search.service import SearchParams, article_search
from tests.search.conftest import SEEDS

# What an analyst looks at: plain words, the minister's and Lavrov's names, and "browse all" (empty).
QUERIES = ["طاجيكستان", "لافروف", "ميشوستين", "مهر الدين", "هجره", ""]
ATOM = "{http://www.w3.org/2005/Atom}"


def url(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def served(client) -> dict:
    """Everything the analyst sees for each query, read through the HTTP entry points."""
    seen = {}
    for q in QUERIES:
        payload = client.get("/api/search", {"q": q, "per_page": 100}).json()
        rows = list(csv.reader(io.StringIO(client.get(url("web:export-csv"), {"q": q}).content.decode())))
        feed = ET.fromstring(client.get(url("web:feed-search"), {"q": q}).content)
        seen[q] = {
            "count": payload["count"],
            "ids": [result["id"] for result in payload["results"]],
            "facets": payload["facets"],
            "csv": [row[0] for row in rows[1:]],
            "feed": sorted(entry.find(f"{ATOM}id").text for entry in feed.iter(f"{ATOM}entry")),
        }
    return seen


def fresh(client) -> dict:
    """What a newly started process would serve: a new backend, no searcher and no cached counts."""
    connections.reload("default")
    search_engine().forget_cached_counts()
    return served(client)


def assert_each_article_once(seen: dict) -> None:
    for q, answer in seen.items():
        assert len(answer["ids"]) == len(set(answer["ids"])) == answer["count"], q
        assert len(answer["csv"]) == len(set(answer["csv"])) == answer["count"], q
        assert sum(item["count"] for item in answer["facets"]["year"]) == answer["count"], q


@pytest.fixture
def archive(transactional_db):
    """The seeds, committed (the index writer thread has its own connection), in a rebuilt index."""
    summary = articles_ingest(paths=[SEEDS])
    assert not summary.failed
    assert search_index_flush(timeout=60)
    search_index_rebuild()
    return {article.origin.split("/")[-1][:3]: article for article in Article.objects.all()}


@pytest.fixture
def admin_client(client, archive):
    """Huda, an admin who curates everything."""
    huda = User.objects.create_superuser("huda", password="unused")
    client.force_login(huda)
    return client


def retitle(client, article: Article, title: str):
    response = client.post(
        url("admin:articles_article_change", article.pk),
        {
            "title": title,
            "published_on": article.published_on.isoformat(),
            "source": article.source,
            "is_visible": "on",
            "photo_credit": article.photo_credit,
            "publisher": article.publisher,
            "url": article.url,
            "language": article.language,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def approve_spellings(client, official: Official) -> None:
    proposed = list(official.aliases.filter(status=ReviewStatus.PROPOSED).values_list("pk", flat=True))
    assert proposed
    client.post(
        url("admin:entities_officialalias_changelist"),
        {"action": "approve_aliases", "_selected_action": proposed},
    )


def merge(client, survivor: Official, duplicate: Official) -> None:
    response = client.post(
        url("admin:entities_official_changelist"),
        {
            "action": "merge_officials",
            "_selected_action": [survivor.pk, duplicate.pk],
            "post": "yes",
            "survivor": survivor.pk,
        },
    )
    assert response.status_code == 302


def hide(client, article: Article) -> None:
    client.post(
        url("admin:articles_article_changelist"),
        {"action": "hide_articles", "_selected_action": [article.pk]},
    )


def delete(client, article: Article) -> None:
    response = client.post(url("admin:articles_article_delete", article.pk), {"post": "yes"})
    assert response.status_code == 302


def test_it_serves_what_a_fresh_process_serves_after_every_kind_of_edit(admin_client, archive):
    # Officials as the extraction left them (the registry's rows may be gone: transactional tests flush).
    minister = Official.objects.filter(aliases__status=ReviewStatus.PROPOSED).distinct().first()
    lavrov = Official.objects.filter(name_ar__contains="لافروف").first()
    assert minister and lavrov
    duplicate = Official.objects.create(name_ar="سيرغي فيكتوروفيتش لافروف", role_key="foreign_minister")
    edits = [
        ("edit an article", lambda: retitle(admin_client, archive["001"], "لقاء لافروف ومهر الدين")),
        ("save without changes", lambda: retitle(admin_client, archive["002"], archive["002"].title)),
        ("approve spellings", lambda: approve_spellings(admin_client, minister)),
        ("merge two officials", lambda: merge(admin_client, lavrov, duplicate)),
        ("hide an article", lambda: hide(admin_client, archive["003"])),
        ("delete an article", lambda: delete(admin_client, archive["004"])),
    ]
    served(admin_client)  # the long-lived process has its searcher and caches warm
    for name, edit in edits:
        edit()
        assert search_index_flush(timeout=60), name
        long_lived = served(admin_client)
        assert_each_article_once(long_lived)
        assert long_lived == fresh(admin_client), name
    assert served(admin_client)[""]["count"] == 3  # five seeds, one hidden, one deleted


def test_it_serves_the_new_title_to_threads_searching_while_it_is_written(admin_client, archive):
    article = archive["002"]
    word = "زعفران"
    answers: list[tuple[bool, int, list[int]]] = []
    written = threading.Event()
    stop = threading.Event()

    def search_in_a_loop():
        # A serving thread: its own searcher, reused from one search to the next.
        while not stop.is_set():
            started_after_the_write = written.is_set()
            for q in (word, "طاجيكستان"):  # the new word, and one every version of the article has
                found = article_search(params=SearchParams(q=q))
                answers.append((started_after_the_write, found.count, [hit.article.pk for hit in found.hits]))
        search_engine().release_thread()
        db.connections.close_all()  # this thread's own

    # The admin's save first: the test database (SQLite in memory, shared cache) locks whole tables, so
    # threads reading articles would make that write fail, which a file database in WAL mode does not.
    # The index write, the one under test, then happens while the threads search.
    retitle(admin_client, article, f"{word} في موسكو")
    threads = [threading.Thread(target=search_in_a_loop) for _ in range(2)]
    for thread in threads:
        thread.start()
    try:
        assert search_index_flush(timeout=60)
        written.set()
        while sum(after for after, _, _ in answers) < 20:
            # A search thread that died would leave this loop waiting for ever: fail instead.
            assert all(thread.is_alive() for thread in threads), "a search thread stopped"
            stop.wait(0.01)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    for _, count, ids in answers:
        assert len(ids) == len(set(ids)) == count
    every_seed = tuple(sorted(seed.pk for seed in archive.values()))
    assert {(count, tuple(sorted(ids))) for after, count, ids in answers if after} == {
        (1, (article.pk,)),
        (len(every_seed), every_seed),
    }


@pytest.mark.whoosh_only
def test_it_finds_each_of_fifty_incremental_writes_in_a_row_on_a_rebuilt_index(archive):
    engine = search_engine()
    articles = list(archive.values())
    for number in range(50):
        article = articles[number % len(articles)]
        article.title = f"{article.title} رمز{number}"
        Article.objects.filter(pk=article.pk).update(title=article.title)
        search_index_update(article_ids=[article.pk])
        assert [hit.article.pk for hit in article_search(params=SearchParams(q=f"رمز{number}")).hits] == [
            article.pk
        ], number
    # Whoosh merged the small segments along the way (50 commits, far fewer segments).
    segments = engine.store.live_index()._segments()
    assert len(segments) < 10
    assert article_search(params=SearchParams(q="")).count == len(articles)
    for number in range(50):
        assert article_search(params=SearchParams(q=f"رمز{number}")).count == 1, number
