"""Under the Content-Security-Policy, in a real Chromium: public pages raise no violation and no script
error, and the Django admin still works, its scripts included."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from tests.web.sample import build_sample_archive

pytestmark = pytest.mark.browser

PASSWORD = "a-long-enough-passphrase"
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI || "inline"}`);
});
"""


@pytest.fixture
def archive(browser, transactional_db, live_server):
    return live_server.url, build_sample_archive()


def watched(open_page, locale="en"):
    """A page that records CSP violations, as events and as Chromium's console reports, and script errors."""
    page = open_page(locale)
    problems: list[str] = []

    def on_console(message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            problems.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.add_init_script(RECORD_VIOLATIONS)
    return page, problems


def assert_clean(page, problems: list[str]) -> None:
    assert page.evaluate("window.__violations") == []
    assert problems == []


def test_it_shows_the_public_pages_with_no_csp_violation(archive, open_page):
    url, sample = archive
    page, problems = watched(open_page, "ar")
    for path in (
        "/ar/",
        "/ar/search/?q=لافروف",
        f"/ar/articles/{sample.visit.pk}/?q=لافروف",
        f"/en/officials/{sample.lavrov.pk}/",
        "/ar/meetings/",
        f"/ar/meetings/{sample.moscow_talks.pk}/",
        "/en/charts/who-met-whom.svg",
        "/en/charts/meetings-per-year.svg",
    ):
        response = page.goto(f"{url}{path}")
        assert response.ok, path
        assert "unsafe-inline" not in response.headers["content-security-policy"]
        assert_clean(page, problems)

    # The styles come from files and apply: the charts are coloured, the page is laid out right to left.
    page.goto(f"{url}/ar/")
    bar = page.locator(".chart-bar").first
    assert bar.evaluate("element => getComputedStyle(element).fill") == "rgb(31, 95, 139)"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert_clean(page, problems)


def logged_in_admin(open_page, url: str):
    """A watched page where an editor has logged in through the admin's own form."""
    User.objects.create_superuser("editor", "editor@example.com", PASSWORD)
    page, problems = watched(open_page)
    page.goto(f"{url}/en/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    return page, problems


def test_it_keeps_the_admin_working_under_the_policy(archive, open_page):
    url, sample = archive
    page, problems = logged_in_admin(open_page, url)

    # The changelist: actions.js counts the selection when "select all" is ticked.
    page.goto(f"{url}/en/admin/articles/article/")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(3)
    page.locator("#action-toggle").check()
    expect(page.locator(".action-counter")).to_have_text(re.compile(r"3 of 3 selected"))
    assert_clean(page, problems)

    # The change form: DateTimeShortcuts.js adds "Today", and the edit is saved.
    page.goto(f"{url}/en/admin/articles/article/{sample.visit.pk}/change/")
    page.get_by_role("link", name="Today").click()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", page.locator("#id_published_on").input_value())
    page.locator("#id_source").fill("TASS")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert_clean(page, problems)


def test_it_keeps_the_admin_inlines_and_autocomplete_working_under_the_policy(archive, open_page):
    url, sample = archive
    page, problems = logged_in_admin(open_page, url)

    # inlines.js draws the "Add another" link and clones a blank spelling row.
    page.goto(f"{url}/en/admin/entities/official/{sample.lavrov.pk}/change/")
    rows = page.locator(".dynamic-aliases")
    before = rows.count()
    page.locator(".add-row a").click()
    expect(rows).to_have_count(before + 1)
    assert_clean(page, problems)

    # The autocomplete widget (select2) opens and finds an official by name.
    page.goto(f"{url}/en/admin/entities/meeting/{sample.moscow_talks.pk}/change/")
    page.locator(".field-participants .select2-selection").click()
    page.locator(".select2-search__field").first.fill("Rahmon")
    option = page.locator(".select2-results__option", has_text="رحمون").first
    expect(option).to_be_visible()
    option.click()
    expect(page.locator(".field-participants .select2-selection__choice", has_text="رحمون")).to_be_visible()
    # Saved, so the request the widget sent has long been answered when the test's database is emptied.
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    page.wait_for_load_state("networkidle")
    assert sample.rahmon in sample.moscow_talks.participants.all()
    assert_clean(page, problems)
