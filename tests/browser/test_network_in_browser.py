"""The who-met-whom network read in a real Chromium: labels at the body font size, nodes that are links."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from archive.entities.models import Official

pytestmark = pytest.mark.browser

# What a reader sees of the drawn network: the labels' size as rendered (the computed font size times the
# SVG's scale on screen), overlapping labels, labels leaving the picture, and what each node links to.
MEASURE = """() => {
  const body = parseFloat(getComputedStyle(document.body).fontSize);
  const svg = [...document.querySelectorAll('svg.network')].find(s => s.getBoundingClientRect().width > 0);
  const frame = svg.getBoundingClientRect();
  const labels = [...svg.querySelectorAll('text.graph-label')];
  const boxes = labels.map(t => t.getBoundingClientRect());
  let overlapping = 0;
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    const apart = a.right - 1 <= b.left || b.right - 1 <= a.left
      || a.bottom - 1 <= b.top || b.bottom - 1 <= a.top;
    if (!apart) overlapping++;
  }
  return {
    layout: svg.dataset.layout,
    body,
    sizes: labels.map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a),
    overlapping,
    outside: boxes.filter(b => b.left < frame.left - 1 || b.right > frame.right + 1).length,
    frameRight: frame.right,
    frameLeft: frame.left,
    viewport: innerWidth,
    nodes: [...svg.querySelectorAll('circle.graph-node')].map(c => {
      const link = c.closest('a');
      return link ? link.getAttribute('href') : null;
    }),
  };
}"""


@pytest.fixture
def seeded(browser, transactional_db, live_server):
    call_command("ingest", verbosity=0)
    return live_server.url


def measured(page, url: str) -> dict:
    page.goto(url)
    page.locator(".network-figure").scroll_into_view_if_needed()
    return page.evaluate(MEASURE)


@pytest.mark.parametrize(("width", "layout"), [(1366, "radial"), (390, "column")])
@pytest.mark.parametrize("language", ["ar", "en"])
def test_it_draws_readable_labels_and_linked_nodes(seeded, open_page, width, layout, language):
    lavrov = Official.objects.filter(name_ar__contains="لافروف").order_by("pk").first()
    page = open_page(language, width=width)

    for url in (f"{seeded}/{language}/officials/{lavrov.pk}/", f"{seeded}/{language}/network/"):
        seen = measured(page, url)

        assert seen["layout"] == layout, url
        assert len(seen["sizes"]) >= 3, url
        assert min(seen["sizes"]) >= seen["body"], url  # labels at least the body font size, as drawn
        assert seen["overlapping"] == 0 and seen["outside"] == 0, url
        assert seen["frameLeft"] >= 0 and seen["frameRight"] <= seen["viewport"], url
        link = rf"/{language}/officials/\d+/"
        assert seen["nodes"] and all(re.fullmatch(link, h or "") for h in seen["nodes"]), url
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_it_opens_an_officials_page_from_their_node(seeded, open_page):
    page = open_page("ar", width=390)
    page.goto(f"{seeded}/ar/network/")
    node = page.locator("svg.network--column a.graph-link").last
    name = node.locator("text").text_content()

    node.locator("text").click()

    expect(page).to_have_url(re.compile(r"/ar/officials/\d+/$"))
    expect(page.locator("h1")).to_have_text(name)
