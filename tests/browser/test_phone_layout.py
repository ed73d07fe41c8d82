"""The search and meetings pages at a phone's width (390 px): results first, filters behind a control."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

LAVROV = "لافروف"
PHONE = 390


@pytest.fixture
def seeded(browser, transactional_db, live_server):
    call_command("ingest", verbosity=0)
    return live_server.url


@pytest.mark.parametrize("language", ["ar", "en"])
def test_it_shows_the_first_result_above_the_facets_on_a_phone(seeded, open_page, language):
    page = open_page(language, width=PHONE)
    page.goto(f"{seeded}/{language}/search/?q={LAVROV}")

    first = page.locator(".hit").first
    expect(first).to_be_in_viewport()
    expect(page.locator(".facet__link").first).to_be_hidden()
    expect(page.locator(".date-range")).to_be_hidden()

    page.locator(".refine__summary").click()

    facet = page.locator(".facet__link").first
    expect(facet).to_be_visible()
    assert first.bounding_box()["y"] > facet.bounding_box()["y"]  # opened, the facets push the results down
    expect(page.locator(".date-range")).to_be_visible()


def test_it_shows_the_facets_beside_the_results_on_a_wide_screen(seeded, open_page):
    page = open_page("en", width=1280)
    page.goto(f"{seeded}/en/search/?q={LAVROV}")

    facet = page.locator(".facet__link").first
    expect(facet).to_be_visible()
    expect(page.locator(".date-range")).to_be_visible()
    expect(page.locator(".refine__hint")).to_be_hidden()
    first = page.locator(".hit").first.bounding_box()
    assert abs(facet.bounding_box()["y"] - first["y"]) < 300  # side by side, not stacked


def test_it_keeps_each_meeting_date_on_one_line_on_a_phone(seeded, open_page):
    page = open_page("ar", width=PHONE)
    page.goto(f"{seeded}/ar/meetings/")

    cell = page.locator(".table__date a").first
    expect(cell).to_be_visible()
    height = cell.bounding_box()["height"]
    size = page.evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)", cell.element_handle())
    line = size * 1.8  # a generous line height for the Arabic typeface
    assert height < line * 1.5  # one line, not three
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
