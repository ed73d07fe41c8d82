"""The migration to the text stored once converts an archive made with the schema before it without loss."""

import hashlib
import io
import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils.html import escape
from django.utils.text import Truncator

from archive.articles.jsonl import sections_from_blocks
from archive.articles.models import HEADLINE_WORDS
from archive.articles.parsing import parse_article_bytes
from archive.articles.services import articles_export
from archive.text.arabic import normalize

BEFORE = [("articles", "0002_article_change")]
OLD_FIELDS = ("title", "lead", "body", "blocks", "original_text", "search_text")


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection)


def latest() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def old_rows(OldArticle, seeds_dir) -> None:
    """Articles as the ingest wrote them before: every copy of the text in its own column."""
    for number, path in enumerate(sorted(seeds_dir.glob("*.txt"))):
        parsed, text = parse_article_bytes(path.read_bytes(), source=path.name)
        OldArticle.objects.create(
            title=parsed.title,
            lead=parsed.lead,
            body=parsed.body,
            blocks=parsed.blocks,
            published_on=parsed.published_on,
            source=parsed.source,
            photo_credit=parsed.photo_credit,
            publisher=parsed.publisher,
            origin=path.name,
            content_hash=hashlib.sha256(text.encode()).hexdigest(),
            original_text=text,
            search_text=normalize(f"{parsed.title}\n{parsed.body}"),
            is_visible=number != 2,
        )
    # A JSON Lines record kept as its line, written with \u escapes, quotes in the text.
    body = 'قال "الوزير" إن التعاون مستمر.\n\nعنوان قسم\n\nوأضاف أن الزيارة ناجحة.'
    line = json.dumps({"external_id": "feed-1", "title": "خبر", "body": body})
    blocks = [
        {"kind": "paragraph", "text": 'قال "الوزير" إن التعاون مستمر.'},
        {"kind": "heading", "text": "عنوان قسم"},
        {"kind": "paragraph", "text": "وأضاف أن الزيارة ناجحة."},
    ]
    OldArticle.objects.create(
        title="خبر",
        lead=blocks[0]["text"],
        body=body,
        blocks=blocks,
        origin="feed-1",
        content_hash="f" * 64,
        original_text=line,
        search_text=normalize(f"خبر\n{body}"),
    )


def old_export(OldArticle) -> str:
    """What `export_articles` wrote with the schema before this migration."""
    lines = []
    for article in OldArticle.objects.order_by("pk"):
        lead = article.lead or article.body
        headline = article.title or Truncator(lead).words(HEADLINE_WORDS, truncate="…")
        record = {
            "external_id": article.origin,
            "title": article.title,
            "body": article.body,
            "date": article.published_on.isoformat() if article.published_on else None,
            "source": article.source,
            "url": article.url,
            "language": article.language,
            "origin": article.origin,
            "headline": headline,
            "photo_credit": article.photo_credit,
            "publisher": article.publisher,
            "sections": sections_from_blocks(article.blocks),
            "visible": article.is_visible,
            "original_text": article.original_text,
        }
        lines.append(json.dumps(record, ensure_ascii=False) + "\n")
    return "".join(lines)


# Schema changes on SQLite cannot run inside the test's transaction.
@pytest.mark.django_db(transaction=True)
def test_it_converts_an_archive_without_changing_its_export_or_its_pages(client, seeds_dir):
    head = latest()
    try:
        executor = migrate(BEFORE)
        OldArticle = executor.loader.project_state(BEFORE).apps.get_model("articles", "Article")
        old_rows(OldArticle, seeds_dir)
        before = old_export(OldArticle)
        old_values = list(OldArticle.objects.order_by("pk").values("pk", *OLD_FIELDS))

        migrate(head)
        stream = io.StringIO()
        articles_export(stream=stream)
        assert stream.getvalue() == before

        from archive.articles.models import Article

        visible = Article.objects.visible().order_by("pk")
        assert visible.count() == len(old_values) - 1
        for article in visible:
            html = client.get(article.get_absolute_url()).content.decode()
            old = next(row for row in old_values if row["pk"] == article.pk)
            for block in old["blocks"]:
                tag = "h2" if block["kind"] == "heading" else "p"
                assert f'<{tag} dir="auto">{escape(block["text"])}</{tag}>' in html

        # And back: the dropped columns come back as they were.
        executor = migrate(BEFORE)
        OldArticle = executor.loader.project_state(BEFORE).apps.get_model("articles", "Article")
        assert list(OldArticle.objects.order_by("pk").values("pk", *OLD_FIELDS)) == old_values
    finally:
        migrate(head)
