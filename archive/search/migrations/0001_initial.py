import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

from archive.search.migrations._postgres import on_postgres

# The GIN index that makes the entries searchable, and a pattern index for the vocabulary's prefixes:
# PostgreSQL only (SQLite keeps the tables empty; the Whoosh engine does not use them).
POSTGRES_INDEXES = [
    "CREATE INDEX search_entry_document_gin ON search_entry USING gin (document)",
    "CREATE INDEX search_term_prefix ON search_term (term text_pattern_ops)",
]
POSTGRES_INDEXES_DROP = [
    "DROP INDEX IF EXISTS search_entry_document_gin",
    "DROP INDEX IF EXISTS search_term_prefix",
]


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("articles", "0003_text_stored_once"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                ("term", models.CharField(max_length=200, primary_key=True, serialize=False)),
            ],
            options={
                "verbose_name": "search term",
                "verbose_name_plural": "search terms",
                "db_table": "search_term",
            },
        ),
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
                ("document", django.contrib.postgres.search.SearchVectorField()),
                ("date", models.DateField(null=True)),
                ("year", models.IntegerField(null=True)),
                ("source", models.CharField(blank=True, max_length=200)),
                ("officials", models.TextField(blank=True)),
                ("places", models.TextField(blank=True)),
                ("text_length", models.IntegerField(default=0)),
                ("title_length", models.IntegerField(default=0)),
                ("updated", models.BigIntegerField(default=0)),
            ],
            options={
                "verbose_name": "search entry",
                "verbose_name_plural": "search entries",
                "db_table": "search_entry",
            },
        ),
        migrations.RunPython(on_postgres(POSTGRES_INDEXES), on_postgres(POSTGRES_INDEXES_DROP)),
    ]
