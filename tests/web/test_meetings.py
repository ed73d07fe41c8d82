import datetime

import pytest

from archive.entities.models import Meeting, Official, ReviewStatus
from tests.web.sample import make_article

pytestmark = pytest.mark.django_db


def test_it_shows_a_meeting_with_date_place_participants_and_reports(client, sample_archive):
    page = client.get(f"/en/meetings/{sample_archive.moscow_talks.pk}/").content.decode()

    assert "5 September 2022" in page and "<bdi>Moscow</bdi>" in page
    assert "Sergey Lavrov" in page and "سراج الدين مهر الدين" in page
    assert sample_archive.visit.headline in page


def test_it_says_when_the_place_is_unknown_rather_than_guessing(client, sample_archive):
    unknown = Meeting.objects.create(date=None, kind=Meeting.Kind.PHONE_CALL)

    page = client.get(f"/en/meetings/{unknown.pk}/").content.decode()

    assert "Place unknown" in page and "Date unknown" in page


def test_it_hides_rejected_meetings(client, sample_archive):
    rejected = Meeting.objects.create(date=datetime.date(2024, 1, 1), status=ReviewStatus.REJECTED)

    assert client.get(f"/ar/meetings/{rejected.pk}/").status_code == 404


def test_it_filters_the_meeting_list(client, sample_archive):
    by_year = client.get("/en/meetings/", {"year": "2023"}).content.decode()
    by_official = client.get("/en/meetings/", {"official": sample_archive.muhriddin.pk}).content.decode()
    by_place = client.get("/en/meetings/", {"place": "موسكو"}).content.decode()
    by_kind = client.get("/en/meetings/", {"kind": "visit"}).content.decode()

    assert "6 June 2023" in by_year and "5 September 2022" not in by_year
    assert "5 September 2022" in by_official and "6 June 2023" not in by_official
    assert "5 September 2022" in by_place and "6 June 2023" not in by_place
    assert "6 June 2023" in by_kind and "5 September 2022" not in by_kind


def test_it_ignores_a_bad_filter_instead_of_failing(client, sample_archive):
    response = client.get("/en/meetings/", {"year": "soon", "official": "999999", "page": "x"})

    assert response.status_code == 200
    assert "Enter a whole number." in response.content.decode()


def test_it_lists_meetings_in_a_bounded_number_of_queries(
    client, sample_archive, django_assert_max_num_queries
):
    for number in range(30):
        person = Official.objects.create(name_ar=f"مسؤول {number}")
        meeting = Meeting.objects.create(date=datetime.date(2021, 1 + number % 12, 1 + number % 28))
        meeting.participants.set([sample_archive.lavrov, person])
        meeting.articles.set([make_article(title=f"لقاء {number}", blocks=[("paragraph", "نص")], day=None)])

    with django_assert_max_num_queries(8):
        client.get("/ar/meetings/")
    with django_assert_max_num_queries(6):
        client.get(f"/ar/meetings/{sample_archive.moscow_talks.pk}/")


def test_it_links_a_meeting_to_the_search_of_its_articles(client, sample_archive):
    meeting = sample_archive.moscow_talks
    page = client.get(f"/en/meetings/{meeting.pk}/").content.decode()
    results = client.get("/en/search/", {"meeting": meeting.pk}).content.decode()

    assert f'href="/en/search/?meeting={meeting.pk}"' in page
    assert "Meeting: <bdi>Talks · 5 September 2022 · Moscow</bdi>" in results
    assert sample_archive.visit.headline in results and sample_archive.migration.headline not in results
