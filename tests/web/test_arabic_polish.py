"""Citations isolate their mixed-direction parts and give the configured address; Arabic-Indic digits
reach every count; chart tooltips are in the page's language."""

import pytest

pytestmark = pytest.mark.django_db


def html(client, path, **params) -> str:
    response = client.get(path, params)
    assert response.status_code == 200
    return response.content.decode()


def test_it_cites_the_configured_site_address_rather_than_the_request_host(client, sample_archive, settings):
    settings.DIWAN_SITE_URL = "https://diwan.example.org"

    page = html(client, f"/en/articles/{sample_archive.visit.pk}/")

    assert f"https://diwan.example.org/en/articles/{sample_archive.visit.pk}/" in page
    assert f"https://diwan.example.org/ar/articles/{sample_archive.visit.pk}/" in page
    assert "testserver" not in page.split('class="citation"')[1].split("</section>")[0]


def test_it_isolates_each_part_of_the_english_citation_and_names_the_source_in_english(
    client, sample_archive
):
    page = html(client, f"/ar/articles/{sample_archive.visit.pk}/")
    english = page.split('<blockquote lang="en" dir="ltr">')[1].split("</blockquote>")[0]

    assert english.startswith('<bdi dir="auto">TASS</bdi>. "<bdi dir="auto">لافروف يلتقي')
    assert '<bdi dir="ltr">5 September 2022</bdi>' in english
    arabic = page.split('<blockquote lang="ar" dir="rtl">')[1].split("</blockquote>")[0]
    assert arabic.startswith('<bdi dir="auto">تاس</bdi>، «<bdi dir="auto">')


def test_it_shows_arabic_indic_digits_in_every_count(client, sample_archive):
    client.cookies["diwan_digits"] = "arab"

    search = html(client, "/ar/search/", q="لافروف")
    meetings = html(client, "/ar/meetings/")
    official = html(client, f"/ar/officials/{sample_archive.lavrov.pk}/")
    officials = html(client, "/ar/officials/")

    assert 'class="hits hits--arab"' in search  # result ranks
    assert "مقالان مطابقان" in search
    listed = meetings.split('<table class="table">')[1].split("</table>")[0]
    assert "<td>١</td>" in listed and "<td>1</td>" not in listed  # articles per meeting
    assert "<td>٢</td>" in officials  # Lavrov's articles
    roles = official.split('id="roles-title"')[1].split("</table>")[0]
    assert "<td>1</td>" not in roles and "<td>2</td>" not in roles
    english = html(client, "/en/meetings/")
    assert "<td>1</td>" in english  # English pages keep 0-9


def test_it_words_chart_tooltips_in_arabic_on_arabic_pages(client, sample_archive):
    arabic = html(client, "/ar/")
    english = html(client, "/en/")

    assert "<title>2023: لقاء واحد</title>" in arabic
    assert "meeting</title>" not in arabic
    assert "<title>2023: 1 meeting</title>" in english
