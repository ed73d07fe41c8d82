"""A posting store that cannot be written (a full disk, say) costs its speed, never the index."""

import os

import pytest
from haystack import connections

from archive.search.indexing import search_index_rebuild
from archive.search.service import SearchParams, article_search
from archive.search.whoosh_engine import bulk, posting_store

pytestmark = pytest.mark.whoosh_only


def _no_space(**kwargs):
    raise OSError(28, "No space left on device")


def test_it_rebuilds_and_searches_when_no_store_can_be_written(seeded, monkeypatch, caplog):
    # The disk refuses the stores only: the index's own files are written as usual.
    monkeypatch.setattr(bulk, "posting_store_write", _no_space)
    monkeypatch.setattr(posting_store, "posting_store_write", _no_space)

    assert search_index_rebuild() == len(seeded)

    found = article_search(params=SearchParams(q="لافروف"))
    assert found.count > 0 and found.hits[0].snippet
    folder = connections["default"].get_backend().store.live_index().storage.folder
    assert not [name for name in os.listdir(folder) if name.endswith(".dposts")]
    assert "Posting store of segment" in caplog.text  # the build's own attempt
    assert "Posting stores not written after a commit" in caplog.text  # and the commit's
