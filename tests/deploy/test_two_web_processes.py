"""Two web processes on one archive: an edit made through one is served by the other.

Real gunicorn processes on a real data folder, each with its own searchers and its own index writer thread,
as `scripts/run` serves the archive. The edit is an editor's admin action, through HTTP.
"""

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
# How soon the other process serves an edit: its searchers check the index generation on every search,
# so the bound is the writer's round trip (woken at the commit), far below this.
VISIBLE_WITHIN_SECONDS = 10


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(params=["thread", "worker"])
def environment(request, tmp_path) -> dict:
    """A data folder with the seeds and an admin; the index written by a thread in each web process, or
    by `index_worker` alone."""
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "SEARCH_ENGINE")}
    env |= {"ARCHIVE_DATA_DIR": str(tmp_path), "DJANGO_SECRET_KEY": "two-processes", "DJANGO_DEBUG": "0"}
    env |= {"SEARCH_INDEX_WRITER": request.param, "DJANGO_SETTINGS_MODULE": "archive.settings"}
    env |= {"DJANGO_SUPERUSER_PASSWORD": "a long enough password"}
    manage = [sys.executable, "manage.py"]
    for command in (
        ["migrate", "--no-input", "-v", "0"],
        ["collectstatic", "--no-input", "-v", "0"],
        ["ingest", "seeds/"],
        ["createsuperuser", "--no-input", "--username", "huda", "--email", "huda@example.org"],
    ):
        result = subprocess.run(manage + command, cwd=BASE_DIR, env=env, capture_output=True, timeout=300)
        assert result.returncode == 0, result.stderr.decode()
    return env


@pytest.fixture
def servers(environment):
    """Two gunicorn processes serving the same archive, each on its own port (and the index worker)."""
    gunicorn = Path(sys.executable).with_name("gunicorn")
    ports = [free_port(), free_port()]
    processes = [
        subprocess.Popen(
            [
                str(gunicorn),
                "archive.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "2",
            ],
            cwd=BASE_DIR,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    if environment["SEARCH_INDEX_WRITER"] == "worker":
        processes.append(
            subprocess.Popen(
                [sys.executable, "manage.py", "index_worker", "--poll", "0.2"],
                cwd=BASE_DIR,
                env=environment,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    try:
        for port in ports:
            wait_until_serving(port)
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def wait_until_serving(port: int) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)  # waiting for a process to listen, not for timing


def browser() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def log_in(session, base: str) -> None:
    login = f"{base}/en/admin/login/"
    page = session.open(login).read().decode()
    form = {"username": "huda", "password": "a long enough password", "next": "/en/admin/"}
    form["csrfmiddlewaretoken"] = csrf_token(page)
    request = urllib.request.Request(
        login, data=urllib.parse.urlencode(form).encode(), headers={"Referer": login}
    )
    assert "/en/admin/login/" not in session.open(request).geturl()


def hide_article(session, base: str, article_id: int) -> None:
    changelist = f"{base}/en/admin/articles/article/"
    page = session.open(changelist).read().decode()
    form = {
        "action": "hide_articles",
        "_selected_action": article_id,
        "csrfmiddlewaretoken": csrf_token(page),
    }
    request = urllib.request.Request(
        changelist, data=urllib.parse.urlencode(form).encode(), headers={"Referer": changelist}
    )
    assert "1 article hidden" in session.open(request).read().decode()


def found(base: str, q: str) -> tuple[int, list[int]]:
    """The count (from the index) and the ids of the results page."""
    with urllib.request.urlopen(f"{base}/api/search?{urllib.parse.urlencode({'q': q})}") as response:
        payload = json.load(response)
    return payload["count"], [result["id"] for result in payload["results"]]


def test_it_serves_an_edit_made_through_one_process_from_the_other(servers):
    editing, reading = servers
    count, ids = found(reading, "طاجيكستان")
    assert count == 5 and found(editing, "طاجيكستان") == (count, ids)
    session = browser()
    log_in(session, editing)

    hide_article(session, editing, ids[0])

    # The count comes from the index: it drops once the editing process's writer wrote the change and
    # the reading process's searcher saw the new index generation.
    deadline = time.monotonic() + VISIBLE_WITHIN_SECONDS
    while found(reading, "طاجيكستان")[0] != 4:
        assert time.monotonic() < deadline, "the other process still counts the hidden article"
    assert found(reading, "طاجيكستان") == (4, ids[1:])
    assert found(editing, "طاجيكستان") == (4, ids[1:])
