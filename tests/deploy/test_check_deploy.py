"""Django's deployment checks, run as an operator would with the production environment."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def check_deploy(tmp_path: Path, **overrides: str) -> subprocess.CompletedProcess:
    environment = {
        "PATH": os.environ["PATH"],
        "ARCHIVE_DATA_DIR": str(tmp_path),
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "1",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "diwan.example",
        **overrides,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_passes_the_deploy_checks_with_no_warning_in_production(tmp_path):
    result = check_deploy(tmp_path)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stderr + result.stdout


def test_it_lets_a_deployment_turn_hsts_preload_off(tmp_path):
    result = check_deploy(tmp_path, DJANGO_HSTS_PRELOAD="0", DJANGO_HSTS_INCLUDE_SUBDOMAINS="0")

    assert result.returncode != 0
    assert "security.W005" in result.stderr and "security.W021" in result.stderr


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"DJANGO_HSTS_SECONDS": "3600"}, "DJANGO_HSTS_PRELOAD=1 needs DJANGO_HSTS_SECONDS of at least"),
        ({"DJANGO_HSTS_INCLUDE_SUBDOMAINS": "0"}, "DJANGO_HSTS_INCLUDE_SUBDOMAINS=1"),
        ({"DJANGO_HSTS_PRELOAD": "sometimes"}, "DJANGO_HSTS_PRELOAD='sometimes' is not a boolean"),
        ({"DJANGO_LOGIN_FAILURE_LIMIT": "0"}, "DJANGO_LOGIN_FAILURE_LIMIT and DJANGO_LOGIN_LOCKOUT_MINUTES"),
        ({"DJANGO_LOGIN_LOCKOUT_MINUTES": "soon"}, "DJANGO_LOGIN_LOCKOUT_MINUTES='soon' is not"),
    ],
)
def test_it_refuses_settings_that_make_no_sense_naming_them(tmp_path, overrides, message):
    result = check_deploy(tmp_path, **overrides)

    assert result.returncode != 0
    assert message in result.stderr
