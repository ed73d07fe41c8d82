"""An analyst reads what an official said on their page, in a real Chromium, and follows a quote."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from archive.entities.models import Official
from archive.text.arabic import name_key

pytestmark = pytest.mark.browser


@pytest.fixture
def seeded(browser, transactional_db, live_server):
    call_command("ingest", verbosity=0)
    return live_server.url


def test_it_shows_an_officials_statements_with_the_quote_marked_and_linked(seeded, open_page):
    zakharova = Official.objects.get(aliases__key=name_key("ماريا زاخاروفا"))
    page = open_page("en")
    page.goto(f"{seeded}/en/officials/{zakharova.pk}/")

    section = page.locator("section.official-statements")
    expect(section.get_by_role("heading", name="Statements")).to_be_visible()
    items = section.locator(".statement-item")
    expect(items).to_have_count(2)
    # Said the same day: the later in the article comes first.
    quote = items.first.locator("mark.quote")
    expect(quote).to_be_visible()
    expect(quote).to_contain_text("وسيولى اهتمام خاص للتعاون التجاري")
    # The quote stands in its sentence: the words before it are shown too, unmarked.
    expect(items.first.locator("blockquote")).to_contain_text("وقالت زاخاروفا")
    expect(items.nth(1).locator("mark.quote")).to_contain_text("الوزيرين ينظران في جدول الاجتماعات")

    items.first.get_by_role("link", name=re.compile("لافروف")).click()
    expect(page.locator("h1")).to_contain_text("لافروف")

    page.goto(f"{seeded}/en/search/statements/?official={zakharova.pk}")
    expect(page.get_by_role("heading", name=re.compile("2 statements"))).to_be_visible()
    page.get_by_label("Words in the quote").fill("الدفاع")
    page.get_by_role("button", name="Search statements").click()
    expect(page.locator(".statement-item")).to_have_count(1)
    expect(page.locator(".statement-item mark.quote")).to_contain_text("الدفاع والأمن")
