import pytest

WHOOSH_ONLY = (
    "the Whoosh engine's own internals (segments, files, executors): not with SEARCH_ENGINE=postgres"
)
POSTGRES_ONLY = "the PostgreSQL engine searches inside PostgreSQL: run with SEARCH_ENGINE=postgres"


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    for item in items:
        if settings.SEARCH_ENGINE != "whoosh" and item.get_closest_marker("whoosh_only"):
            item.add_marker(pytest.mark.skip(reason=WHOOSH_ONLY))
        if settings.SEARCH_ENGINE != "postgres" and item.get_closest_marker("postgres_engine"):
            item.add_marker(pytest.mark.skip(reason=POSTGRES_ONLY))


@pytest.fixture
def engine_queries(settings) -> int:
    """The database statements of one page's searches that are the engine's own: none for Whoosh; for
    PostgreSQL, whose searches are SQL, the statistics, what changed since the postings' compile, the
    ranked hits, the facets and a fifth for the related articles or a respelling, each of the two
    searches after its planner settings. Bounds on a page's queries add this."""
    return 7 if settings.SEARCH_ENGINE == "postgres" else 0


@pytest.fixture(autouse=True)
def _search_index_in_tmp(settings, tmp_path):
    """Every test gets its own real search index: a Whoosh index in a temporary folder, or (with
    SEARCH_ENGINE=postgres) the entries in the test database, rolled back with it."""
    if settings.SEARCH_ENGINE == "whoosh":
        settings.HAYSTACK_CONNECTIONS = {
            "default": {
                "ENGINE": "archive.search.whoosh_engine.backend.ArabicWhooshEngine",
                "PATH": str(tmp_path / "whoosh"),
            }
        }
    from haystack import connections

    # Haystack reads HAYSTACK_CONNECTIONS once at import: point it at the overridden setting too.
    original = connections.connections_info
    connections.connections_info = settings.HAYSTACK_CONNECTIONS
    connections.reload("default")
    yield
    connections.connections_info = original
    connections.reload("default")


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request to an /en/ page leaves English active."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _no_search_time_budget(settings):
    """Searches are not cut short by the wall clock: a busy machine would make results partial at random.

    The tests of the budget itself set SEARCH_TIME_BUDGET_MS.
    """
    settings.SEARCH_TIME_BUDGET_MS = 0


@pytest.fixture(autouse=True)
def _bilingual_names_read_again():
    """The English names table is cached per process; tests roll rows back without signals."""
    from archive.entities.bilingual import bilingual_forget

    bilingual_forget()
    yield
    bilingual_forget()
