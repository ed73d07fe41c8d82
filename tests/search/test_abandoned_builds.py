"""A rebuild killed midway leaves its folder behind; the next start removes it, never a running build."""

import subprocess
import sys

import pytest
from django.conf import settings
from haystack import connections
from whoosh.filedb.filestore import FileStorage

from archive.search.indexing import search_index_rebuild
from archive.search.whoosh_engine.store import BUILDING_PREFIX, BUILDS_LOCK, discard_abandoned_builds

pytestmark = pytest.mark.whoosh_only

HOLD_LOCK = """
import sys
from whoosh.filedb.filestore import FileStorage
lock = FileStorage(sys.argv[1]).lock(sys.argv[2])
assert lock.acquire(blocking=False)
print("locked", flush=True)
sys.stdin.read()
"""


def build_folder(name: str):
    root = connections["default"].get_backend().root
    folder = root / f"{BUILDING_PREFIX}{name}"
    FileStorage(str(root)).create()
    folder.mkdir()
    FileStorage(str(folder)).create_index(connections["default"].get_backend().store.schema)
    return folder


def holding(folder, lock_name: str) -> subprocess.Popen:
    """Another process holding a lock, as a build does; it lets go when its input closes."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(folder), lock_name],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert holder.stdout.readline().strip() == "locked"
    return holder


def test_it_removes_the_folder_of_a_dead_build_and_keeps_a_running_one(seeded):
    dead = build_folder("20260101T000000-deadbeef")
    running = build_folder("20260101T000000-0badcafe")
    builder = holding(running, "MAIN_WRITELOCK")
    try:
        search_index_rebuild()
        assert not dead.exists()
        assert running.exists()
    finally:
        builder.communicate("")


def test_it_keeps_a_build_folder_another_process_has_not_locked_yet(seeded):
    # A build between creating its folder and taking the folder's lock holds the builds lock meanwhile.
    starting = build_folder("20260101T000000-5ca1ab1e")
    root = connections["default"].get_backend().root
    builder = holding(root, BUILDS_LOCK)
    try:
        assert discard_abandoned_builds(root) == []
        assert starting.exists()
    finally:
        builder.communicate("")
    assert discard_abandoned_builds(root) == [starting.name]  # once it let go, the folder is nobody's
