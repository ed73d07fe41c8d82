import json
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission, User

from archive.ingest.services import articles_ingest

SEEDS = Path(settings.BASE_DIR) / "seeds"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
OWN_ARTICLES = FIXTURES / "articles"
ANNOTATIONS = FIXTURES / "annotations"


def annotation(origin: str) -> dict:
    return json.loads((ANNOTATIONS / origin.replace(".txt", ".json")).read_text(encoding="utf-8"))


@pytest.fixture
def ingested_seeds(db):
    summary = articles_ingest(paths=[SEEDS])
    assert summary.created == 5, summary
    return summary


@pytest.fixture
def ingested_all(db):
    """The five seeds and the articles written for these tests, in one archive."""
    summary = articles_ingest(paths=[SEEDS, OWN_ARTICLES])
    assert summary.created == 11, summary
    return summary


@pytest.fixture
def curator(db) -> User:
    """Staff member who curates officials, spellings and meetings (and may look articles up)."""
    user = User.objects.create_user("curator", password="unused", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="entities")
        | Permission.objects.filter(content_type__app_label="articles", codename="view_article")
    )
    return user


@pytest.fixture
def reader(db) -> User:
    """Staff member who may look at the review queue but not decide anything."""
    user = User.objects.create_user("reader", password="unused", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="entities", codename__startswith="view_")
    )
    return user


@pytest.fixture
def stranger(db) -> User:
    """Logged-in user who is not staff."""
    return User.objects.create_user("stranger", password="unused")
