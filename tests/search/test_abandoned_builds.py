"""A rebuild killed midway leaves its folder behind; the next start removes it, never a running build."""

import subprocess
import sys

import pytest
from django.conf import settings
from haystack import connections
from whoosh.filedb.filestore import FileStorage

from archive.search.indexing import search_index_rebuild
from archive.search.whoosh_engine.store import BUILDING_PREFIX

pytestmark = pytest.mark.whoosh_only

HOLD_LOCK = """
import sys
from whoosh.filedb.filestore import FileStorage
lock = FileStorage(sys.argv[1]).lock("MAIN_WRITELOCK")
assert lock.acquire(blocking=False)
print("locked", flush=True)
sys.stdin.read()
"""


def test_it_removes_the_folder_of_a_dead_build_and_keeps_a_running_one(seeded):
    root = connections["default"].get_backend().root
    dead = root / f"{BUILDING_PREFIX}20260101T000000-deadbeef"
    running = root / f"{BUILDING_PREFIX}20260101T000000-0badcafe"
    for folder in (dead, running):
        FileStorage(str(folder.parent)).create()
        folder.mkdir()
        FileStorage(str(folder)).create_index(connections["default"].get_backend().store.schema)
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
