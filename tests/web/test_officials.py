import datetime

import pytest

from archive.entities.models import Meeting, Mention, Official, OfficialAlias, ReviewStatus
from tests.web.sample import make_article

pytestmark = pytest.mark.django_db


def test_it_shows_names_variants_roles_meetings_and_articles(client, sample_archive):
    page = client.get(f"/ar/officials/{sample_archive.lavrov.pk}/").content.decode()

    assert "<bdi>سيرغي لافروف</bdi>" in page
    assert "<bdi>Lavrov</bdi>" in page and "<bdi>لافروف</bdi>" in page  # spellings
    assert "<bdi>وزير الخارجية الروسي</bdi>" in page  # a role over time
    assert f'href="/ar/meetings/{sample_archive.dushanbe_visit.pk}/"' in page
    assert sample_archive.migration.headline in page
    assert sample_archive.hidden.headline not in page


def test_it_ranks_who_the_official_met_most(client, sample_archive):
    again = Meeting.objects.create(date=datetime.date(2023, 7, 1), place_ar="موسكو")
    again.participants.set([sample_archive.lavrov, sample_archive.rahmon])
    rejected = Meeting.objects.create(date=datetime.date(2023, 8, 1), status=ReviewStatus.REJECTED)
    rejected.participants.set([sample_archive.lavrov, sample_archive.muhriddin])

    page = client.get(f"/en/officials/{sample_archive.lavrov.pk}/").content.decode()
    section = page.split("Met most often", 1)[1].split("</ol>", 1)[0]

    assert section.index("Emomali Rahmon") < section.index("سراج الدين مهر الدين")
    assert "2 meetings" in section and "1 meeting" in section


def test_it_sends_a_merged_official_to_the_survivor(client, sample_archive):
    duplicate = Official.objects.create(name_ar="لافروف", merged_into=sample_archive.lavrov)

    response = client.get(f"/en/officials/{duplicate.pk}/")

    assert response.status_code == 301
    assert response["Location"] == f"/en/officials/{sample_archive.lavrov.pk}/"


def test_it_hides_rejected_officials(client, sample_archive):
    rejected = Official.objects.create(name_ar="ليس مسؤولاً", status=ReviewStatus.REJECTED)

    assert client.get(f"/ar/officials/{rejected.pk}/").status_code == 404
    assert "ليس مسؤولاً" not in client.get("/ar/officials/").content.decode()


def test_it_lists_officials_with_counts_and_finds_them_by_name(client, sample_archive):
    listing = client.get("/en/officials/").content.decode()
    found = client.get("/en/officials/", {"name": "رحمون"}).content.decode()
    by_alias = client.get("/en/officials/", {"name": "لاَفْرُوف"}).content.decode()  # diacritics

    assert "Sergey Lavrov" in listing and "سراج الدين مهر الدين" in listing
    assert "Emomali Rahmon" in found and "Sergey Lavrov" not in found
    assert "Sergey Lavrov" in by_alias
    # English pages sort by the name they show: Emomali, Sergey, then the uncurated Arabic name.
    assert listing.index("Emomali Rahmon") < listing.index("Sergey Lavrov") < listing.index("سراج الدين")


def test_it_renders_an_official_in_a_bounded_number_of_queries(
    client, sample_archive, django_assert_max_num_queries
):
    for number in range(15):
        article = make_article(title=f"مقال {number}", blocks=[("paragraph", f"لافروف {number}")], day=None)
        Mention.objects.create(
            article=article, official=sample_archive.lavrov, surface="لافروف", role_ar="وزير"
        )
        other = Official.objects.create(name_ar=f"مسؤول {number}")
        meeting = Meeting.objects.create(date=datetime.date(2020, 1, 1 + number))
        meeting.participants.set([sample_archive.lavrov, other])
        meeting.articles.set([article])

    # One query a section (names, roles, meetings and their participants, articles, counterparts,
    # source sentences, the network's pairs and names, statements), however many rows each has.
    with django_assert_max_num_queries(11):
        client.get(f"/ar/officials/{sample_archive.lavrov.pk}/")
    with django_assert_max_num_queries(6):
        client.get("/ar/officials/")


def test_it_marks_the_spellings_no_editor_approved_yet(client, sample_archive):
    OfficialAlias.objects.create(
        official=sample_archive.muhriddin, name="مهر الديين", key="مهر الديين", status=ReviewStatus.REJECTED
    )
    page = client.get(f"/en/officials/{sample_archive.muhriddin.pk}/").content.decode()

    assert '<bdi>مخردين</bdi> <span class="badge">proposed</span>' in page
    assert "مهر الديين" not in page  # a rejected spelling is not shown as one of his
