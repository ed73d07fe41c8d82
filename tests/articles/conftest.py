from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.utils import translation

from archive.ingest.services import articles_ingest

SEEDS = Path(settings.BASE_DIR) / "seeds"


@pytest.fixture(autouse=True)
def _english_messages():
    """Reasons and summaries are asserted in English (the default language is Arabic)."""
    with translation.override("en"):
        yield


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def seed_bytes():
    def read(prefix: str) -> bytes:
        return next(SEEDS.glob(f"{prefix}_*.txt")).read_bytes()

    return read


@pytest.fixture
def ingested_seeds(db):
    summary = articles_ingest(paths=[SEEDS])
    assert summary.created == 5, summary
    return summary


@pytest.fixture
def editor(db) -> User:
    """Staff member who curates articles: may view and change them, nothing else."""
    user = User.objects.create_user("editor", password="unused", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="articles", codename__in=["view_article", "change_article"]
        )
    )
    return user
