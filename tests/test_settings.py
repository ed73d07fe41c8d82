import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from archive.env import env_bool, env_int, env_secret, env_site_url


def test_it_reads_booleans(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG") is True
    monkeypatch.setenv("X_FLAG", "off")
    assert env_bool("X_FLAG", True) is False


def test_it_rejects_a_bad_boolean_naming_the_variable(monkeypatch):
    monkeypatch.setenv("DJANGO_DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG='maybe'"):
        env_bool("DJANGO_DEBUG")


def test_it_rejects_a_bad_number(monkeypatch):
    monkeypatch.setenv("X_NUM", "ten")
    with pytest.raises(ImproperlyConfigured, match="X_NUM"):
        env_int("X_NUM", 1)


def test_it_requires_a_secret_when_asked(monkeypatch):
    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    monkeypatch.delenv("DJANGO_SECRET_KEY_FILE", raising=False)
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY must be set"):
        env_secret("DJANGO_SECRET_KEY", required=True)


def test_it_reads_a_secret_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "key"
    secret.write_text("s3cret\n")
    secret.chmod(0o600)
    monkeypatch.setenv("DJANGO_SECRET_KEY_FILE", str(secret))
    assert env_secret("DJANGO_SECRET_KEY", required=True) == "s3cret"


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_it_refuses_a_secret_file_open_to_group_or_others_naming_it(monkeypatch, tmp_path, mode):
    secret = tmp_path / "key"
    secret.write_text("s3cret\n")
    secret.chmod(mode)
    monkeypatch.setenv("DJANGO_SECRET_KEY_FILE", str(secret))
    with pytest.raises(ImproperlyConfigured, match=rf"DJANGO_SECRET_KEY_FILE='{secret}' is open to group"):
        env_secret("DJANGO_SECRET_KEY", required=True)


def _manage_check(tmp_path, **variables) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DJANGO_DEBUG": "1", "ARCHIVE_DATA_DIR": str(tmp_path), **variables}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    for name in ("DATABASE_URL", "DATABASE_REPLICA_URL", "SEARCH_ENGINE"):
        if name not in variables:
            environment.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_it_refuses_a_search_engine_that_does_not_exist_naming_it(tmp_path):
    """Only engines that run are offered: an unknown SEARCH_ENGINE stops start-up with a clear message."""
    finished = _manage_check(tmp_path, SEARCH_ENGINE="elasticsearch")
    assert finished.returncode != 0
    assert "SEARCH_ENGINE='elasticsearch'" in finished.stderr
    assert "use 'whoosh' or 'postgres'" in finished.stderr


def test_it_refuses_the_postgres_engine_without_a_postgres_database(tmp_path):
    finished = _manage_check(tmp_path, SEARCH_ENGINE="postgres")
    assert finished.returncode != 0
    assert (
        "SEARCH_ENGINE=postgres searches inside PostgreSQL: set DATABASE_URL=postgres://" in finished.stderr
    )


def test_it_refuses_a_replica_that_is_not_postgres_naming_the_variable(tmp_path):
    finished = _manage_check(tmp_path, DATABASE_REPLICA_URL="sqlite:///elsewhere.sqlite3")
    assert finished.returncode != 0
    assert "DATABASE_REPLICA_URL='sqlite:///elsewhere.sqlite3'" in finished.stderr


def test_it_reads_the_site_address_without_its_trailing_slash(monkeypatch):
    monkeypatch.setenv("DIWAN_SITE_URL", "https://diwan.example.org/")
    assert env_site_url("DIWAN_SITE_URL") == "https://diwan.example.org"
    monkeypatch.delenv("DIWAN_SITE_URL")
    assert env_site_url("DIWAN_SITE_URL") == ""


def test_it_rejects_a_site_address_that_is_not_one_naming_the_variable(monkeypatch):
    monkeypatch.setenv("DIWAN_SITE_URL", "diwan.example.org")
    with pytest.raises(ImproperlyConfigured, match=r"DIWAN_SITE_URL='diwan\.example\.org'"):
        env_site_url("DIWAN_SITE_URL")
