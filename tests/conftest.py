import pytest


@pytest.fixture(autouse=True)
def _search_index_in_tmp(settings, tmp_path):
    """Every test gets its own real Whoosh index in a temporary folder."""
    settings.HAYSTACK_CONNECTIONS = {
        "default": {"ENGINE": "archive.search.backend.ArabicWhooshEngine", "PATH": str(tmp_path / "whoosh")}
    }
    from haystack import connections

    connections.reload("default")
    yield
    connections.reload("default")
