"""Inputs that used to pass in silence: damaged UTF-8 and folders that cannot be read."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from archive.articles.models import Article
from archive.ingest.services import articles_ingest

SEEDS = Path(settings.BASE_DIR) / "seeds"


@pytest.fixture
def seed_text() -> bytes:
    return next(SEEDS.glob("002_*.txt")).read_bytes()


def test_it_refuses_utf8_cut_in_the_middle_of_a_letter_naming_the_line(db, tmp_path, seed_text):
    damaged = tmp_path / "cut.txt"
    second_line = seed_text.index(b"\n") + 1
    damaged.write_bytes(seed_text[: second_line + 1] + seed_text[second_line + 2 :])  # half a letter gone

    summary = articles_ingest(paths=[damaged])

    assert [failure.source for failure in summary.failed] == [str(damaged)]
    assert "UTF-8" in summary.failed[0].reason and "line 2" in summary.failed[0].reason
    assert not Article.objects.exists()  # not stored as Windows-1256 mojibake


def test_it_refuses_a_file_cut_off_after_half_a_letter(db, tmp_path, seed_text):
    truncated = tmp_path / "truncated.txt"
    truncated.write_bytes(seed_text.rstrip()[:-1])
    summary = articles_ingest(paths=[truncated])
    assert len(summary.failed) == 1 and "UTF-8" in summary.failed[0].reason


def test_it_still_reads_a_real_windows_1256_file(db, tmp_path, seed_text):
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes(seed_text.decode("utf-8").encode("cp1256", errors="ignore"))
    summary = articles_ingest(paths=[legacy])
    assert not summary.failed and summary.created == 1


def test_it_reports_a_folder_it_cannot_read(tmp_path, seed_text):
    incoming = tmp_path / "incoming"
    (incoming / "locked").mkdir(parents=True)
    (incoming / "locked" / "article.txt").write_bytes(seed_text)
    (incoming / "locked").chmod(0)
    data = tmp_path / "data"
    environment = {**os.environ, "ARCHIVE_DATA_DIR": str(data), "DJANGO_DEBUG": "1", "LANGUAGE": "en"}
    environment["DJANGO_SETTINGS_MODULE"] = "archive.settings"
    environment.pop("DATABASE_URL", None)
    environment.pop("SEARCH_ENGINE", None)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v", "0"], cwd=settings.BASE_DIR, env=environment, check=True)
    # Without the capabilities that let root read any folder, as an ordinary operator runs it.
    as_operator = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
    try:
        result = subprocess.run(
            [*as_operator, *manage, "ingest", "--dry-run", str(incoming)],
            cwd=settings.BASE_DIR,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        (incoming / "locked").chmod(0o755)
    assert result.returncode != 0
    assert str(incoming / "locked") in result.stdout + result.stderr
