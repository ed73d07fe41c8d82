"""A rebuild killed midway leaves its folder behind; the next start removes it, never a running build."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from haystack import connections
from whoosh.filedb.filestore import FileStorage

from archive.search.indexing import search_index_rebuild
from archive.search.whoosh_engine.store import BUILD_START_GRACE_SECONDS, BUILDING_PREFIX

pytestmark = pytest.mark.whoosh_only

HOLD_LOCK = """
import sys
from whoosh.filedb.filestore import FileStorage
lock = FileStorage(sys.argv[1]).lock("MAIN_WRITELOCK")
assert lock.acquire(blocking=False)
print("locked", flush=True)
sys.stdin.read()
"""


def build_folder(name: str, *, age: float):
    root = connections["default"].get_backend().root
    folder = root / f"{BUILDING_PREFIX}{name}"
    FileStorage(str(root)).create()
    folder.mkdir()
    FileStorage(str(folder)).create_index(connections["default"].get_backend().store.schema)
    then = time.time() - age
    os.utime(folder, (then, then))
    return folder


def test_it_removes_the_folder_of_a_dead_build_and_keeps_a_running_one(seeded):
    long_ago = BUILD_START_GRACE_SECONDS + 60
    dead = build_folder("20260101T000000-deadbeef", age=long_ago)
    running = build_folder("20260101T000000-0badcafe", age=long_ago)
    builder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(running)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=settings.BASE_DIR,
    )
    try:
        assert builder.stdout.readline().strip() == "locked"
        search_index_rebuild()
        assert not dead.exists()
        assert running.exists()
    finally:
        builder.communicate("")


def test_it_keeps_a_build_folder_created_a_moment_ago_before_its_lock_is_taken(seeded):
    # Another process's build between creating its folder and locking it: not abandoned.
    starting = build_folder("20260101T000000-5ca1ab1e", age=1)
    search_index_rebuild()
    assert starting.exists()
