"""The who-met-whom network: its own page (/network/, filterable by year and country) and the official's."""

import datetime
import re

import pytest

from archive.entities.models import Meeting, Official, ReviewStatus

pytestmark = pytest.mark.django_db

NODE_LINK = re.compile(r'<a href="([^"]*)" target="_top" data-official="(\d+)" class="graph-link">')


@pytest.fixture
def officials():
    return {
        "lavrov": Official.objects.create(
            name_ar="سيرغي لافروف", name_en="Sergey Lavrov", country_en="Russia", country_ar="روسيا"
        ),
        "muhriddin": Official.objects.create(
            name_ar="سراج الدين مهر الدين", country_en="Tajikistan", country_ar="طاجيكستان"
        ),
        "wang": Official.objects.create(
            name_ar="وانغ يي", name_en="Wang Yi", country_en="China", country_ar="الصين"
        ),
        "abdelatty": Official.objects.create(name_ar="بدر عبد العاطي", country_en="Egypt", country_ar="مصر"),
        "rejected": Official.objects.create(name_ar="مسؤول مرفوض", status=ReviewStatus.REJECTED),
    }


def meeting(day: datetime.date | None, *people: Official, status=ReviewStatus.PROPOSED) -> Meeting:
    created = Meeting.objects.create(date=day, status=status)
    created.participants.set(people)
    return created


@pytest.fixture
def meetings(officials):
    lavrov, muhriddin, wang, abdelatty, rejected = officials.values()
    return [
        meeting(datetime.date(2022, 9, 5), lavrov, muhriddin),
        meeting(datetime.date(2022, 10, 1), lavrov, muhriddin),
        meeting(datetime.date(2025, 3, 10), abdelatty, wang),
        meeting(datetime.date(2025, 4, 1), lavrov, wang, rejected),
        meeting(datetime.date(2024, 1, 1), lavrov, abdelatty, status=ReviewStatus.REJECTED),
    ]


def nodes(page: str) -> dict[str, str]:
    """Official pk -> the link of its node, from the wide layout (the narrow one draws the same nodes)."""
    wide = page.split('data-layout="radial"', 1)[1].split("</svg>", 1)[0]
    return {pk: href for href, pk in NODE_LINK.findall(wide)}


def test_it_draws_the_archive_network_with_every_node_a_link_to_the_official(client, meetings, officials):
    page = client.get("/en/network/").content.decode()

    drawn = nodes(page)
    expected = {o.pk for key, o in officials.items() if key != "rejected"}
    assert {int(pk) for pk in drawn} == expected
    assert all(href == f"/en/officials/{pk}/" for pk, href in drawn.items())
    assert page.count('data-layout="radial"') == 1 and page.count('data-layout="column"') == 1
    # The pairs as a table, weighted by meetings together (the rejected meeting does not count).
    table = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert re.search(
        r"Sergey Lavrov</bdi></a></td><td><a [^>]*><bdi>سراج الدين مهر الدين</bdi></a></td><td>2<", table
    )
    assert "بدر عبد العاطي" in table and "Egypt" not in table
    assert "Sergey Lavrov and سراج الدين مهر الدين: 2 meetings" in page


def test_it_filters_the_network_by_year(client, meetings, officials):
    page = client.get("/en/network/?year=2022").content.decode()

    assert set(nodes(page)) == {str(officials["lavrov"].pk), str(officials["muhriddin"].pk)}
    assert "Who met whom in 2022" in page
    assert '<option value="2022" selected>' in page


def test_it_filters_the_network_by_country(client, meetings, officials):
    page = client.get("/en/network/?country=China").content.decode()

    assert set(nodes(page)) == {str(officials[k].pk) for k in ("wang", "abdelatty", "lavrov")}
    assert '<option value="China" selected>China</option>' in page
    arabic = client.get("/ar/network/?country=China&year=2025").content.decode()
    assert '<option value="China" selected>الصين</option>' in arabic
    assert set(nodes(arabic)) == {str(officials[k].pk) for k in ("wang", "abdelatty", "lavrov")}


def test_it_says_so_when_nothing_matches_the_filters(client, meetings):
    page = client.get("/en/network/?year=2023").content.decode()

    assert "No meetings with two or more known participants yet." in page
    assert 'data-layout="radial"' not in page


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("year=abc", "year"),
        ("year=1800", "year"),
        ("year=2022.5", "year"),
        ("country=Atlantis", "country"),
        ("limit=1", "limit"),
        ("limit=many", "limit"),
    ],
)
def test_it_refuses_bad_filter_values_naming_the_parameter(client, meetings, query, param):
    response = client.get(f"/en/network/?{query}")

    assert response.status_code == 400
    assert f"The parameter “<bdi>{param}</bdi>” is not valid" in response.content.decode()


def test_it_is_linked_from_the_navigation_in_both_languages(client, meetings):
    for language, label in (("en", "Network"), ("ar", "الشبكة")):
        page = client.get(f"/{language}/").content.decode()
        navigation = page.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
        assert f'<a href="/{language}/network/">{label}</a>' in navigation


def test_it_names_officials_in_the_pages_language(client, meetings):
    arabic = client.get("/ar/network/").content.decode()
    english = client.get("/en/network/").content.decode()

    assert ">سيرغي لافروف</text>" in arabic and ">Sergey Lavrov</text>" in english
    assert "<h1>شبكة اللقاءات</h1>" in arabic and "<h1>Network of meetings</h1>" in english


def test_it_draws_the_officials_circle_on_their_page(client, meetings, officials):
    lavrov = officials["lavrov"]
    page = client.get(f"/en/officials/{lavrov.pk}/").content.decode()

    section = page.split('aria-labelledby="network-title"', 1)[1].split("</section>", 1)[0]
    drawn = nodes(section)
    assert set(drawn) == {str(officials[k].pk) for k in ("lavrov", "muhriddin", "wang")}
    assert all(href == f"/en/officials/{pk}/" for pk, href in drawn.items())
    assert 'class="graph-node graph-centre"' in section
    assert 'href="/en/network/"' in section


def test_it_renders_the_network_page_in_a_bounded_number_of_queries(
    client, meetings, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        client.get("/en/network/?country=Russia&year=2022")
