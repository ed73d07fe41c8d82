"""A batch's new mentions go to the database in one INSERT; when the database refuses one of them, the
article it belongs to is reported by name and left out, and the rest of the batch is stored."""

from pathlib import Path

import pytest
from django.db import connection

from archive.articles.models import Article
from archive.entities import services as entity_services
from archive.entities.models import Mention, Statement
from archive.ingest.services import articles_extract_entities, articles_ingest

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


def _mentions_by_article() -> dict[str, set[tuple[str, str, int]]]:
    rows = Mention.objects.values_list("article__origin", "official__name_ar", "surface", "count")
    found: dict[str, set[tuple[str, str, int]]] = {}
    for origin, name, surface, count in rows:
        found.setdefault(Path(origin).name, set()).add((name, surface, count))
    return found


def _seed_names(seeds_dir: Path) -> list[str]:
    return sorted(path.name for path in seeds_dir.glob("*.txt"))


def test_it_leaves_out_only_the_article_whose_mentions_are_refused(
    seeds_dir: Path, mentions_of_one_seed_refused
):
    summary = articles_ingest(paths=[seeds_dir])

    others = [name for name in _seed_names(seeds_dir) if name != REFUSED_SEED]
    assert [Path(failure.source).name for failure in summary.failed] == [REFUSED_SEED]
    assert "mention refused" in summary.failed[0].reason
    assert summary.created == len(others)
    stored = sorted(Path(origin).name for origin in Article.objects.values_list("origin", flat=True))
    assert stored == others
    # The other articles keep every official a reading of them finds: the retry wrote their rows too.
    written = _mentions_by_article()
    assert sorted(written) == others
    drop = "DROP TRIGGER refuse_mentions"
    if connection.vendor != "sqlite":
        drop += f" ON {Mention._meta.db_table}"
    with connection.cursor() as cursor:
        cursor.execute(drop)
    articles_extract_entities(article_ids=Article.objects.values_list("pk", flat=True))
    assert _mentions_by_article() == written


def test_it_stores_no_rows_of_an_article_whose_recording_fails_after_its_mentions(
    db, seeds_dir: Path, monkeypatch
):
    """Its mentions were collected for the batch's insert when its meetings failed: they go with it."""
    record_meetings = entity_services._record_meetings

    def fail_for_one(article, *args, **kwargs):
        if article.origin.endswith(REFUSED_SEED):
            raise ValueError("meeting refused")
        return record_meetings(article, *args, **kwargs)

    monkeypatch.setattr(entity_services, "_record_meetings", fail_for_one)

    summary = articles_ingest(paths=[seeds_dir])

    others = [name for name in _seed_names(seeds_dir) if name != REFUSED_SEED]
    assert [Path(failure.source).name for failure in summary.failed] == [REFUSED_SEED]
    assert "meeting refused" in summary.failed[0].reason
    assert sorted(_mentions_by_article()) == others
    # Nothing left pointing at the article deleted again (foreign keys are checked only at commit).
    stored = Article.objects.values("pk")
    assert not Mention.objects.exclude(article_id__in=stored).exists()
    assert not Statement.objects.exclude(article_id__in=stored).exists()
    assert Statement.objects.exists()
