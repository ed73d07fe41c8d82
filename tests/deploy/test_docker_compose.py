"""docker-compose.yml can't be run here; check that it parses and speaks the settings the app reads."""

import re
from pathlib import Path

import yaml
from django.conf import settings

COMPOSE = Path(settings.BASE_DIR) / "docker-compose.yml"
SETTINGS_SOURCES = [Path(settings.BASE_DIR) / "archive" / "settings.py"]


def _compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def _variables_the_app_reads() -> set[str]:
    text = "".join(path.read_text(encoding="utf-8") for path in SETTINGS_SOURCES)
    return set(re.findall(r'env_(?:str|bool|int|list|secret)\(\s*"([A-Z_]+)"', text))


def test_it_defines_a_web_and_a_database_service_with_a_named_volume():
    compose = _compose()
    assert {"web", "db"} <= set(compose["services"])
    assert "pgdata" in compose["volumes"]
    assert "pgdata:/var/lib/postgresql/data" in compose["services"]["db"]["volumes"]


def test_it_configures_web_only_through_variables_the_app_reads():
    environment = _compose()["services"]["web"]["environment"]
    read = _variables_the_app_reads()
    assert set(environment) <= read, set(environment) - read
    assert {"DATABASE_URL", "ARCHIVE_DATA_DIR", "DJANGO_SECRET_KEY"} <= set(environment)
    assert environment["DATABASE_URL"].startswith("postgres://")


def test_it_builds_an_image_that_migrates_collects_static_files_and_serves_with_gunicorn():
    assert _compose()["services"]["web"]["build"] == "."
    dockerfile = (Path(settings.BASE_DIR) / "Dockerfile").read_text(encoding="utf-8")
    start_command = next(line for line in dockerfile.splitlines() if line.startswith("CMD"))
    for step in (
        "migrate",
        "collectstatic",
        "ingest seeds/",
        "rebuild_search_index",
        "gunicorn archive.wsgi",
    ):
        assert step in start_command
