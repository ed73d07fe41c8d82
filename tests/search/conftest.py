"""Search tests run on a real Whoosh index built from the seed articles through the ingest service."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from haystack import connections

from archive.articles.models import Article
from archive.entities.models import Official, OfficialAlias, ReviewStatus
from archive.ingest.services import articles_ingest

SEEDS = settings.BASE_DIR / "seeds"
# The Tajik foreign minister, as the seeds spell him.
MINISTER_SPELLINGS = ["مهر الديين", "مهر الدين", "مخردين"]
MINISTER_ARTICLES = {"000_900ead7f2c160cfd.txt", "001_e85774afd2b191b1.txt", "003_ca72089d0cf560ca.txt"}
LAVROV_SPELLINGS = ["لافروف", "Lavrov"]


def seed_id(prefix: str) -> int:
    return Article.objects.get(origin__contains=prefix).pk


@pytest.fixture
def seeded(db):
    """The five seed articles, ingested and indexed."""
    summary = articles_ingest(paths=[SEEDS])
    assert not summary.failed, summary.failed
    return {
        Article.objects.get(pk=pk).origin.split("/")[-1]: pk
        for pk in Article.objects.values_list("pk", flat=True)
    }


def _approve(name_ar: str, name_en: str, spellings: list[str]) -> Official:
    from archive.search.names import name_key

    official, _ = Official.objects.get_or_create(
        name_ar=name_ar, defaults={"name_en": name_en, "status": ReviewStatus.APPROVED}
    )
    for spelling in spellings:
        OfficialAlias.objects.update_or_create(
            official=official,
            key=name_key(spelling),
            defaults={
                "name": spelling,
                "status": ReviewStatus.APPROVED,
                "script": "latin" if spelling.isascii() else "ar",
            },
        )
    return official


@pytest.fixture
def approved_names(seeded):
    """An editor approved the spellings of the Tajik minister and of Lavrov."""
    minister = _approve("سراج الدين مهر الدين", "Sirojiddin Muhriddin", MINISTER_SPELLINGS)
    lavrov = _approve("سيرغي لافروف", "Sergey Lavrov", LAVROV_SPELLINGS)
    return {"minister": minister, "lavrov": lavrov}


@contextmanager
def whoosh_index_in(folder: Path) -> Iterator[None]:
    """The search connection on a Whoosh index in `folder`: one index for a whole test module (its corpus
    takes a while to ingest), in place of the one per test."""
    engines = {
        "default": {"ENGINE": "archive.search.whoosh_engine.backend.ArabicWhooshEngine", "PATH": str(folder)}
    }
    with override_settings(HAYSTACK_CONNECTIONS=engines):
        original = connections.connections_info
        connections.connections_info = engines
        connections.reload("default")
        try:
            yield
        finally:
            connections.connections_info = original
            connections.reload("default")
