"""An ingest killed with SIGKILL mid-run, then run again: the archive is as a clean run leaves it.

Real processes on a real data folder (SQLite and a Whoosh index on disk), as an operator runs them.
"""

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ARTICLES = 1100  # three ingest batches: the kill lands after the first one committed


def manage(data_dir: Path, *args: str, **popen) -> subprocess.Popen:
    environment = {
        key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "SEARCH_ENGINE")
    }
    environment |= {"ARCHIVE_DATA_DIR": str(data_dir), "DJANGO_SECRET_KEY": "crash-test", "DJANGO_DEBUG": "0"}
    environment |= {"DJANGO_SETTINGS_MODULE": "archive.settings"}
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        **popen,
    )


def run(data_dir: Path, *args: str) -> tuple[int, str]:
    process = manage(data_dir, *args)
    output, _ = process.communicate(timeout=600)
    return process.returncode, output


def rows(data_dir: Path, table: str) -> int:
    database = data_dir / "diwan.sqlite3"
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as connection:
        return connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def stored_articles(data_dir: Path) -> int:
    return rows(data_dir, "articles_article")


@pytest.fixture
def sources(tmp_path) -> Path:
    """Many distinct short articles (no officials in them: this is about the ingest, not extraction)."""
    folder = tmp_path / "incoming"
    folder.mkdir()
    for number in range(ARTICLES):
        text = [
            f"نشرة الطقس رقم {number}",
            f"توقعت الأرصاد الجوية أمطارا غزيرة في المنطقة الشمالية، وفق النشرة رقم {number}.",
            f"وقالت الهيئة إن درجات الحرارة ستنخفض، وأوصت بالحذر على الطرق كلمة{number}.",
            "المصدر: تاس",
        ]
        (folder / f"article_{number:05d}.txt").write_text("\n".join(text), encoding="utf-8")
    return folder


def test_it_recovers_from_a_kill_during_ingest_by_running_the_same_command_again(tmp_path, sources):
    data_dir = tmp_path / "data"
    assert run(data_dir, "migrate", "--no-input")[0] == 0

    ingest = manage(data_dir, "ingest", str(sources), start_new_session=True)
    try:
        # The first batch has committed when its articles are visible to another connection.
        while stored_articles(data_dir) == 0 and ingest.poll() is None:
            pass
        assert ingest.poll() is None, "the ingest ended before it could be killed"
        os.killpg(ingest.pid, signal.SIGKILL)
    finally:
        ingest.wait()
    stored = stored_articles(data_dir)
    assert 0 < stored < ARTICLES

    code, output = run(data_dir, "ingest", str(sources))
    assert code == 0, output
    assert stored_articles(data_dir) == ARTICLES
    assert rows(data_dir, "articles_articlechange") == 0  # nothing left on its way to the index
    code, output = run(data_dir, "check_index")  # every article indexed, as stored
    assert code == 0, output
