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


def _instructions() -> list[tuple[str, str]]:
    """The Dockerfile's instructions as (KEYWORD, arguments), continuation lines joined."""
    text = (Path(settings.BASE_DIR) / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def test_it_serves_as_a_non_root_user_that_owns_only_the_data_folder():
    instructions = _instructions()
    users = [(index, args.strip()) for index, (keyword, args) in enumerate(instructions) if keyword == "USER"]
    assert users, "the image has no USER: the server would run as root"
    last_index, user = users[-1]
    assert user.split(":")[0] not in ("root", "0")
    # Nothing after the switch runs as root again, and the start command runs as that user.
    assert [keyword for keyword, _ in instructions[last_index:]].count("USER") == 1
    assert any(keyword == "CMD" for keyword, _ in instructions[last_index:])
    setup = " ".join(args for keyword, args in instructions[:last_index] if keyword == "RUN")
    assert re.search(rf"useradd\b[^&]*\b{user}\b", setup)
    assert f"chown {user}:{user} /data" in setup
    assert ("ENV", "ARCHIVE_DATA_DIR=/data") in instructions
    volume = _compose()["services"]["web"]["volumes"]
    assert "archive-data:/data" in volume
