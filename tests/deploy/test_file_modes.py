"""The files holding secrets (the signing key, the SQLite database of sessions and password hashes) are
created readable by their owner only, whatever the umask of the shell that starts the archive."""

import os
import stat
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
# The usual login umask: files are created world-readable unless the code says otherwise.
OPEN_UMASK = 0o022


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {"PATH": os.environ["PATH"], "ARCHIVE_DATA_DIR": str(tmp_path), **env}
    return subprocess.run(
        args, cwd=BASE_DIR, env=environment, umask=OPEN_UMASK, capture_output=True, text=True, timeout=120
    )


def test_it_creates_the_sqlite_database_and_its_wal_files_0600(tmp_path):
    migrate = [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"]
    result = run(migrate, tmp_path, DJANGO_DEBUG="1")

    assert result.returncode == 0, result.stderr
    database = tmp_path / "diwan.sqlite3"
    assert mode_of(database) == 0o600
    for companion in tmp_path.glob("diwan.sqlite3-*"):
        assert mode_of(companion) == 0o600, companion.name


def test_it_writes_the_secret_key_0600_once_and_the_settings_accept_it(tmp_path):
    key = tmp_path / "secret_key"
    assert run([str(BASE_DIR / "scripts" / "secret-key"), str(key)], tmp_path).returncode == 0
    first = key.read_text()
    assert run([str(BASE_DIR / "scripts" / "secret-key"), str(key)], tmp_path).returncode == 0

    assert mode_of(key) == 0o600
    assert len(first.strip()) >= 50 and key.read_text() == first
    check = run([sys.executable, "manage.py", "check"], tmp_path, DJANGO_SECRET_KEY_FILE=str(key))
    assert check.returncode == 0, check.stderr


def test_it_refuses_to_start_with_a_world_readable_secret_key_file(tmp_path):
    key = tmp_path / "secret_key"
    key.write_text("a" * 60)
    key.chmod(0o644)

    result = run([sys.executable, "manage.py", "check"], tmp_path, DJANGO_SECRET_KEY_FILE=str(key))

    assert result.returncode != 0
    assert f"DJANGO_SECRET_KEY_FILE='{key}' is open to group or others (mode 0644)" in result.stderr
