"""Links to records (articles, officials, meetings), reversed once and remembered.

A results page links some sixty records; Django's `reverse()` rebuilds each link from the URL patterns
(about a tenth of the page's rendering). The answer depends only on the view, the record's key, the
language (the URL's prefix), the script prefix and the URLconf, so those are the cache's key.
"""

from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# Links of about this many records stay remembered (some 100 bytes each).
CACHED_LINKS = 50_000


def record_url(viewname: str, pk: int) -> str:
    """`reverse(viewname, kwargs={"pk": pk})`, remembered."""
    return _reversed(viewname, pk, get_language(), get_script_prefix(), get_urlconf())


@lru_cache(maxsize=CACHED_LINKS)
def _reversed(viewname: str, pk: int, language: str | None, prefix: str, urlconf: str | None) -> str:
    return reverse(viewname, kwargs={"pk": pk}, urlconf=urlconf)


@receiver(setting_changed)
def _forget_links(*, setting: str, **kwargs) -> None:
    # Tests swap URLconfs and languages; Django drops its own URL caches then too.
    if setting in ("ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE", "FORCE_SCRIPT_NAME"):
        _reversed.cache_clear()
