"""An analyst's journeys through the seeded archive in a real Chromium, in Arabic and English."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

LAVROV = "لافروف"
MAX_TABS = 80


@pytest.fixture
def seeded(browser, transactional_db, live_server):
    """The five seed articles, ingested as an operator would (officials, meetings and the index included)."""
    call_command("ingest", verbosity=0)
    return live_server.url


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_it_searches_in_arabic_from_the_home_page_and_opens_a_result(seeded, open_page):
    page = open_page("ar")
    page.goto(f"{seeded}/")

    expect(page).to_have_url(re.compile(r"/ar/$"))  # the browser's language chose Arabic
    page.get_by_label("ابحث في الأرشيف").fill("الهجرة")
    page.get_by_label("ابحث في الأرشيف").press("Enter")

    expect(page.locator(".results__count")).to_contain_text("مقال")
    first = page.locator(".hit__title a").first
    headline = first.inner_text()
    first.click()

    expect(page.locator("h1")).to_have_text(headline)
    expect(page.locator(".article__body mark").first).to_be_visible()


def test_it_adds_a_facet_filter_and_removes_it(seeded, open_page):
    page = open_page("ar")
    page.goto(f"{seeded}/ar/search/?q={LAVROV}")
    total = page.locator(".hit").count()

    year_facet = page.locator("#facet-year ~ ul .facet__link").first
    year = year_facet.locator("bdi").inner_text()
    year_facet.click()

    expect(page.locator(".active-filters .chip")).to_contain_text(year)
    assert query_of(page.url)["year"] == [year]
    assert page.locator(".hit").count() <= total

    page.locator(".active-filters .chip").click()

    expect(page.locator(".active-filters")).to_have_count(0)
    assert "year" not in query_of(page.url) and query_of(page.url)["q"] == [LAVROV]
    expect(page.locator(".hit")).to_have_count(total)


def test_it_switches_language_on_a_results_page_and_keeps_the_search(seeded, open_page):
    page = open_page("ar")
    page.goto(f"{seeded}/ar/search/?q={LAVROV}&sort=newest")

    page.get_by_role("button", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert urlsplit(page.url).path == "/en/search/"
    assert query_of(page.url) == {"q": [LAVROV], "sort": ["newest"]}
    expect(page.get_by_label("Search the archive")).to_have_value(LAVROV)
    expect(page.locator(".results__count")).to_contain_text("found")


def test_it_lays_out_arabic_pages_right_to_left_with_the_facets_on_the_right(seeded, open_page):
    page = open_page("ar")
    page.goto(f"{seeded}/ar/search/?q={LAVROV}")

    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    facets = page.locator(".facets").bounding_box()
    results = page.locator(".results").bounding_box()
    assert facets["x"] > results["x"] + results["width"] - 1


def test_it_lays_out_english_pages_left_to_right_with_the_facets_on_the_left(seeded, open_page):
    page = open_page("en")
    page.goto(f"{seeded}/en/search/?q={LAVROV}")

    assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"
    facets = page.locator(".facets").bounding_box()
    results = page.locator(".results").bounding_box()
    assert facets["x"] + facets["width"] < results["x"] + 1


def tab_until(page, selector: str, limit: int = MAX_TABS) -> bool:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return True
    return False


def test_it_can_be_used_with_the_keyboard_alone(seeded, open_page):
    page = open_page("ar")
    page.goto(f"{seeded}/ar/")

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    focus_ring = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focus_ring != "none"  # focus is visible

    assert tab_until(page, "#search-q")
    page.keyboard.type("الهجرة")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/ar/search/\?q="))

    assert tab_until(page, ".hit__title a")
    # The results page offers a shortcut past the filters too.
    page.goto(page.url)
    assert tab_until(page, 'a[href="#results"]')
    page.keyboard.press("Enter")
    assert tab_until(page, ".hit__title a", limit=12)  # past the facets: only the result controls remain
    page.keyboard.press("Enter")
    expect(page.locator(".article__body")).to_be_visible()


def test_it_fits_a_phone_screen_without_sideways_scrolling(seeded, open_page):
    page = open_page("ar", width=390)
    page.goto(f"{seeded}/ar/search/?q={LAVROV}")

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    facets = page.locator(".facets").bounding_box()
    results = page.locator(".results").bounding_box()
    assert facets["y"] + facets["height"] <= results["y"] + 1  # one column: facets above results


CONTRAST_SCRIPT = """
(selectors) => {
  const rgb = (value) => (value.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const channel = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const background = (element) => {
    for (let node = element; node; node = node.parentElement) {
      const color = rgb(getComputedStyle(node).backgroundColor);
      if (color.length === 3 || (color.length === 4 && color[3] > 0.5)) return color.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const results = [];
  for (const selector of selectors) {
    for (const element of document.querySelectorAll(selector)) {
      const fore = luminance(rgb(getComputedStyle(element).color));
      const back = luminance(background(element));
      const ratio = (Math.max(fore, back) + 0.05) / (Math.min(fore, back) + 0.05);
      results.push([selector, Math.round(ratio * 100) / 100]);
    }
  }
  return results;
}
"""


def test_it_keeps_text_contrast_at_wcag_aa(seeded, open_page):
    page = open_page("en")
    page.goto(f"{seeded}/en/search/?q={LAVROV}&year=2022")
    selectors = [
        "body",
        ".meta",
        ".site-nav a",
        ".brand",
        ".facet__link",
        ".facet__link.is-selected",
        ".chip",
        ".switch",
        ".switch.is-selected",
        ".hit__title a",
        ".hit__variants",
        "mark",
        ".button",
        ".site-footer p",
    ]

    measured = page.evaluate(CONTRAST_SCRIPT, selectors)

    assert {selector for selector, _ in measured} >= set(selectors) - {".facet__link.is-selected"}
    low = [(selector, ratio) for selector, ratio in measured if ratio < 4.5]
    assert not low, f"below the 4.5:1 AA ratio for text: {low}"
