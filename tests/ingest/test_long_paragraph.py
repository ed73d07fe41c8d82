"""One very long paragraph: stored and searchable, read for officials only up to a bound, and read
outside any transaction, so that the rest of the archive can write meanwhile."""

import random
import threading

import pytest
from django.contrib.auth.models import Group
from django.db import connection, connections

from archive.articles.models import Article
from archive.entities.models import Mention, Official
from archive.entities.reading.sentences import MAX_PARAGRAPH_CHARS
from archive.entities.services import article_paragraphs
from archive.ingest import preparing
from archive.ingest.services import articles_ingest
from archive.search.service import article_search, search_params_from_query

LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def _name(rng: random.Random) -> str:
    return " ".join("".join(rng.choice(LETTERS) for _ in range(6)) for _ in range(2))


def _long_paragraph(size: int) -> str:
    """About `size` bytes of one paragraph, each clause naming another minister (the case whose reading
    grew with the square of the length: every person is looked for in every sentence)."""
    rng = random.Random(11)
    clauses, length = [], 0
    while length < size:
        clause = f"وقال وزير الخارجية الروسي {_name(rng)} إن الاجتماع في موسكو كان مفيدا، "
        clauses.append(clause)
        length += len(clause.encode("utf-8"))
    return "".join(clauses)


@pytest.fixture
def long_article(tmp_path):
    paragraph = _long_paragraph(1_000_000)
    text = "\n".join(
        [
            "Ru En",
            "خبر طويل جدا",
            "١٣ فبراير ٢٠٢٥",
            "وزير الخارجية الروسي سيرغي لافروف يستقبل نظيره.",
            paragraph + "وفي آخر الفقرة كلمة زنجفيلوس.",
            "المصدر: تاس",
        ]
    )
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size > 1_000_000
    return path


@pytest.mark.django_db
def test_it_stores_indexes_and_reads_a_bounded_part_of_a_one_megabyte_paragraph(long_article):
    summary = articles_ingest(paths=[long_article])

    assert summary.created == 1, summary
    article = Article.objects.get()
    assert len(article.body) > 500_000
    assert article.body.endswith("كلمة زنجفيلوس.")
    # Searchable by a word at the very end of the paragraph, beyond what extraction reads.
    results = article_search(params=search_params_from_query({"q": "زنجفيلوس"}))
    assert [hit.article.origin for hit in results.hits] == ["long.txt"]
    # Extraction read at most the bound of each paragraph ...
    read = article_paragraphs(article=article)
    assert max(len(paragraph) for paragraph in read) <= MAX_PARAGRAPH_CHARS
    assert len(read[1]) > MAX_PARAGRAPH_CHARS - 100  # ... cut after a whole word, not much before it
    # ... and found the ministers named there, and none of the thousands named after it.
    clause = len("وقال وزير الخارجية الروسي ") + 13 + len(" إن الاجتماع في موسكو كان مفيدا، ")
    ministers = Official.objects.filter(role_key="foreign_minister", country_en="Russia").count()
    assert 0 < ministers <= MAX_PARAGRAPH_CHARS // clause + 2
    assert Mention.objects.filter(official__name_ar="سيرغي لافروف").exists()


@pytest.mark.django_db(transaction=True)
def test_it_reads_articles_outside_any_transaction_so_that_others_can_write_meanwhile(
    long_article, monkeypatch
):
    seen = []
    prepare = preparing.article_prepare

    def prepare_and_watch(**kwargs):
        """While an article is being read: is a transaction open, and can another connection write?"""
        result = prepare(**kwargs)
        written = []

        def admin_save():
            try:
                written.append(Group.objects.create(name=f"editors {len(seen)}").pk)
            finally:
                connections.close_all()

        editor = threading.Thread(target=admin_save)
        editor.start()
        editor.join()
        seen.append((connection.in_atomic_block, result.extraction is not None, bool(written)))
        return result

    monkeypatch.setattr(preparing, "article_prepare", prepare_and_watch)

    summary = articles_ingest(paths=[long_article], jobs=1)

    assert summary.created == 1, summary
    assert seen == [(False, True, True)]
    assert Group.objects.count() == 1
