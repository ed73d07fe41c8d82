"""The text stored once: the body with the positions of its headings, the original as a delta against the
body; the lead, the block list, the normalised search column and the full original copy go.

Rows are converted in batches of BATCH rows (never the whole table in memory). Reversible: going back
rebuilds the dropped columns from what is kept.
"""

from django.db import migrations, models

from archive.articles.storage import (
    blocks_from_body,
    body_from_blocks,
    original_decode,
    original_encode,
)
from archive.text.arabic import normalize

BATCH = 500


def _batches(Article, fields):
    last = 0
    while True:
        rows = list(Article.objects.filter(pk__gt=last).order_by("pk").values("pk", *fields)[:BATCH])
        if not rows:
            return
        yield rows
        last = rows[-1]["pk"]


def _forward(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    fields = ("body", "blocks", "original_text")
    for rows in _batches(Article, fields):
        changed = []
        for row in rows:
            blocks = row["blocks"] or []
            try:
                body, headings = body_from_blocks(blocks)
            except (KeyError, TypeError, ValueError):
                body = None
            if body != row["body"]:
                # Blocks that do not make up the body (a body written past the blocks): the body is the
                # text every page, the index and the export read, its paragraphs are kept.
                body, headings = row["body"], []
            article = Article(pk=row["pk"], headings=headings)
            article.original_delta = original_encode(original=row["original_text"], body=body)
            changed.append(article)
        Article.objects.bulk_update(changed, ["headings", "original_delta"])


def _backward(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    fields = ("title", "body", "headings", "original_delta")
    for rows in _batches(Article, fields):
        changed = []
        for row in rows:
            blocks = blocks_from_body(row["body"], row["headings"])
            lead = next((b["text"] for b in blocks if b["kind"] == "paragraph"), "")
            changed.append(
                Article(
                    pk=row["pk"],
                    lead=lead,
                    blocks=blocks,
                    original_text=original_decode(stored=row["original_delta"], body=row["body"]),
                    search_text=normalize(f"{row['title']}\n{row['body']}"),
                )
            )
        Article.objects.bulk_update(changed, ["lead", "blocks", "original_text", "search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_article_change"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="headings",
            field=models.JSONField(
                blank=True,
                default=list,
                editable=False,
                help_text="Which blocks of the body (counted from 0) are section headings; the others are paragraphs.",
                verbose_name="section headings",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="original_delta",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="The text as received, so the article can always be parsed again; stored as the parts the body does not already hold.",
                verbose_name="original text",
            ),
        ),
        # Blank, so that going back can add the column to existing rows before filling it.
        migrations.AlterField(
            model_name="article",
            name="original_text",
            field=models.TextField(blank=True, verbose_name="original text"),
        ),
        migrations.RunPython(_forward, _backward),
        migrations.RemoveField(model_name="article", name="blocks"),
        migrations.RemoveField(model_name="article", name="lead"),
        migrations.RemoveField(model_name="article", name="original_text"),
        migrations.RemoveField(model_name="article", name="search_text"),
    ]
