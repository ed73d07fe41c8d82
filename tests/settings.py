"""The settings the test suite runs with (pyproject's pytest section names this module): the archive's own,
with the few differences the tests need, stated here rather than detected by the product."""

import os

# The suite signs nothing that outlives it, so it runs without a configured secret (the variable is set
# for reading the settings only, and not left to the processes tests start).
_SECRET_SET = "DJANGO_SECRET_KEY" in os.environ
os.environ.setdefault("DJANGO_SECRET_KEY", "diwan-tests-insecure-key")

from archive.settings import *  # noqa: E402, F403
from archive.settings import STORAGES  # noqa: E402

if not _SECRET_SET:
    del os.environ["DJANGO_SECRET_KEY"]

# Pages render {% static %} without a collectstatic manifest.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# Tests roll back rows (and reuse ids) without signals: the spelling table is read again on every use.
SEARCH_NAMES_CACHE_SECONDS = 0
# Tests change the corpus between searches: document frequencies are counted again for every search.
SEARCH_POSTGRES_DF_CACHE_SECONDS = 0
