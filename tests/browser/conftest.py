"""Browser tests: Playwright drives Debian's Chromium headless against pytest-django's live server."""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test body are still
# synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def chromium_path() -> Path | None:
    """The system Chromium (``DIWAN_CHROMIUM`` overrides): the tests never download a browser."""
    configured = os.environ.get("DIWAN_CHROMIUM")
    if configured:
        return Path(configured)
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return Path(found) if found else None


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None or not executable.exists():
        message = "Chromium is not installed (apt-get install chromium, or set DIWAN_CHROMIUM)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}: browser tests must run in CI")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(executable), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def open_page(browser):
    """Opens pages in fresh browser contexts whose preferred language is ``locale`` (Arabic by default)."""
    contexts = []

    def opener(locale: str = "ar", width: int = 1280):
        context = browser.new_context(locale=locale, viewport={"width": width, "height": 900})
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield opener
    for context in contexts:
        context.close()
