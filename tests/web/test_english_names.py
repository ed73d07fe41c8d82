"""English pages name places, countries and sources in English, from the curated table."""

import pytest

from archive.entities.models import BilingualName

pytestmark = pytest.mark.django_db


def page(client, path, **params) -> str:
    response = client.get(path, params)
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_english_place_and_source_facet_labels_on_the_english_search_page(client, sample_archive):
    english = page(client, "/en/search/", q="لافروف")

    assert "<bdi>Dushanbe</bdi>" in english  # the meeting records only the Arabic place: the table names it
    assert "<bdi>TASS</bdi>" in english
    assert "<bdi>دوشنبه</bdi>" not in english
    arabic = page(client, "/ar/search/", q="لافروف")
    assert "<bdi>دوشنبه</bdi>" in arabic
    assert "<bdi>تاس</bdi>" in arabic


def test_it_finds_arabic_articles_from_an_english_place_name_and_says_how(client, sample_archive):
    english = page(client, "/en/search/", q="Dushanbe")

    assert sample_archive.migration.headline in english
    assert "English names searched in Arabic" in english
    assert '<bdi>Dushanbe</bdi> as <bdi lang="ar">دوشنبه</bdi>' in english


def test_it_names_the_country_and_the_meeting_place_in_english(client, sample_archive):
    sample_archive.rahmon.country_ar = "طاجيكستان"
    sample_archive.rahmon.save()

    official = page(client, f"/en/officials/{sample_archive.rahmon.pk}/")
    meeting = page(client, f"/en/meetings/{sample_archive.dushanbe_visit.pk}/")
    meetings = page(client, "/en/meetings/", place="Dushanbe")

    assert "<bdi>Tajikistan</bdi>" in official
    assert "<bdi>Dushanbe</bdi>" in meeting
    assert f'href="/en/meetings/{sample_archive.dushanbe_visit.pk}/"' in meetings


def test_it_shows_a_name_an_editor_corrects_in_the_table(client, sample_archive):
    row = BilingualName.objects.get(kind="place", name_ar="دوشنبه")
    row.name_en = "Dušanbe"
    row.save()

    assert "<bdi>Dušanbe</bdi>" in page(client, "/en/search/", q="لافروف")


def test_it_names_a_role_over_time_in_english_when_it_is_the_curated_role(client, sample_archive):
    lavrov = sample_archive.lavrov
    lavrov.role_ar, lavrov.role_en = "وزير الخارجية", "Foreign Minister"
    lavrov.save()

    english = page(client, f"/en/officials/{lavrov.pk}/")
    arabic = page(client, f"/ar/officials/{lavrov.pk}/")

    roles = english.split('id="roles-title"')[1].split("</table>")[0]
    assert "<bdi>Foreign Minister</bdi>" in roles  # the articles' وزير الخارجية الروسي
    assert '<bdi lang="ar">وزير الخارجية الروسي</bdi>' in arabic
