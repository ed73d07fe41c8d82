"""A batch's new mentions go to the database in one INSERT; when the database refuses one of them, the
article it belongs to is reported by name and left out, and the rest of the batch is stored."""

from pathlib import Path

import pytest
from django.db import connection

from archive.articles.models import Article
from archive.entities.models import Mention
from archive.ingest.services import articles_ingest

REFUSED_SEED = "003_ca72089d0cf560ca.txt"


@pytest.fixture
def mentions_of_one_seed_refused(db):
    """A trigger, as a constraint added by a database administrator would, that refuses the mentions of
    one seed article: the database itself says no, in the middle of the batch's insert."""
    table, articles = Mention._meta.db_table, Article._meta.db_table
    refused = f"(SELECT id FROM {articles} WHERE origin LIKE '%{REFUSED_SEED}')"
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"CREATE TRIGGER refuse_mentions BEFORE INSERT ON {table} "
                f"WHEN NEW.article_id IN {refused} BEGIN SELECT RAISE(ABORT, 'mention refused'); END"
            )
        else:
            cursor.execute(
                "CREATE FUNCTION refuse_mentions() RETURNS trigger AS $$ BEGIN "
                f"IF NEW.article_id IN {refused} THEN RAISE EXCEPTION 'mention refused'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER refuse_mentions BEFORE INSERT ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION refuse_mentions()"
            )


def test_it_leaves_out_only_the_article_whose_mentions_are_refused(
    seeds_dir: Path, mentions_of_one_seed_refused
):
    summary = articles_ingest(paths=[seeds_dir])

    assert [Path(failure.source).name for failure in summary.failed] == [REFUSED_SEED]
    assert "mention refused" in summary.failed[0].reason
    stored = sorted(Path(origin).name for origin in Article.objects.values_list("origin", flat=True))
    assert stored == sorted(p.name for p in seeds_dir.glob("*.txt") if p.name != REFUSED_SEED)
    assert summary.created == 4
    # The other articles keep their officials: the retry wrote them again, not just the articles.
    assert Mention.objects.filter(article__in=Article.objects.all()).count() > 0
    assert not Mention.objects.filter(article__origin__endswith=REFUSED_SEED).exists()
