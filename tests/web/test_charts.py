import datetime
import xml.etree.ElementTree as ET

import pytest

from archive.entities.models import Meeting, Official, ReviewStatus

SVG = "{http://www.w3.org/2000/svg}"
pytestmark = pytest.mark.django_db


@pytest.fixture
def officials():
    return {
        "lavrov": Official.objects.create(name_ar="سيرغي لافروف", name_en="Sergey Lavrov"),
        "rahmon": Official.objects.create(name_ar="إمام علي رحمون", name_en="Emomali Rahmon"),
        "muhriddin": Official.objects.create(name_ar="سراج الدين مهر الدين"),
        "putin": Official.objects.create(name_ar="فلاديمير بوتين", name_en="Vladimir Putin"),
    }


def meeting(day: datetime.date | None, *people: Official, status=ReviewStatus.PROPOSED) -> Meeting:
    created = Meeting.objects.create(date=day, place_ar="موسكو", place_en="Moscow", status=status)
    created.participants.set(people)
    return created


@pytest.fixture
def meetings(officials):
    lavrov, rahmon, muhriddin, putin = officials.values()
    return [
        meeting(datetime.date(2022, 9, 5), lavrov, muhriddin),
        meeting(datetime.date(2022, 10, 1), lavrov, muhriddin),
        meeting(datetime.date(2023, 6, 6), lavrov, rahmon, muhriddin),
        meeting(datetime.date(2025, 2, 13), putin, rahmon),
        meeting(None, putin, lavrov),  # undated: in the graph, not on the timeline
        meeting(datetime.date(2024, 1, 1), putin, lavrov, status=ReviewStatus.REJECTED),
    ]


def parse_svg(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text
    assert root.find(f"{SVG}desc").text
    return root


def bars(root: ET.Element) -> dict[str, int]:
    found = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "chart-period":
            found[group.get("data-label")] = int(group.find(f"{SVG}rect").get("data-count"))
    return found


def test_it_draws_a_bar_per_year_with_empty_years_kept(client, meetings):
    root = parse_svg(client.get("/en/charts/meetings-per-year.svg"))
    assert bars(root) == {"2022": 2, "2023": 1, "2024": 0, "2025": 1}
    assert root.find(f"{SVG}title").text == "Meetings per year"
    titles = [group.find(f"{SVG}title").text for group in root.iter(f"{SVG}g") if group.get("data-label")]
    assert titles == ["2022: 2 meetings", "2023: 1 meeting", "2024: 0 meetings", "2025: 1 meeting"]
    assert "4 meetings from 2022 to 2025" in root.find(f"{SVG}desc").text


def test_it_draws_months_in_the_active_language(client, meetings):
    english = bars(parse_svg(client.get("/en/charts/meetings-per-year.svg?by=month")))
    assert english["September 2022"] == 1
    assert english["November 2022"] == 0
    assert english["February 2025"] == 1
    assert len(english) == 30  # September 2022 to February 2025, every month
    arabic = bars(parse_svg(client.get("/ar/charts/meetings-per-year.svg?by=month")))
    assert arabic["فبراير/شباط 2025"] == 1


def test_it_counts_one_officials_meetings(client, meetings, officials):
    url = f"/en/charts/meetings-per-year.svg?official={officials['rahmon'].pk}"
    assert bars(parse_svg(client.get(url))) == {"2023": 1, "2024": 0, "2025": 1}


def test_it_says_so_when_there_are_no_meetings(client):
    root = parse_svg(client.get("/en/charts/meetings-per-year.svg"))
    assert bars(root) == {}
    assert "No dated meetings yet." in ET.tostring(root, encoding="unicode")


@pytest.mark.parametrize("query", ["by=week", "official=abc", "official=0"])
def test_it_refuses_bad_parameters_naming_them(client, query):
    response = client.get(f"/en/charts/meetings-per-year.svg?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.content.decode()


def graph(root: ET.Element) -> tuple[dict[str, int], dict[frozenset, int]]:
    nodes = {}
    for link in root.iter(f"{SVG}a"):
        nodes[link.find(f"{SVG}text").text] = link.get("data-official")
    by_pk = {pk: name for name, pk in nodes.items()}
    edges = {}
    for line in root.iter(f"{SVG}path"):
        if line.get("class") == "graph-edge":
            title = line.find(f"{SVG}title").text
            ends = frozenset(name for name in by_pk.values() if name in title)
            edges[ends] = int(line.get("data-weight"))
    return nodes, edges


def test_it_links_officials_who_met_weighted_by_meetings(client, meetings, officials):
    root = parse_svg(client.get("/en/charts/who-met-whom.svg"))
    nodes, edges = graph(root)
    assert root.find(f"{SVG}desc").text == (
        "4 officials linked by 5 pairs of shared meetings; "
        "the most frequent: Sergey Lavrov and سراج الدين مهر الدين (3)."
    )
    node_titles = sorted(link.find(f"{SVG}title").text for link in root.iter(f"{SVG}a"))
    assert "Sergey Lavrov: 5 shared meetings" in node_titles
    # Curated English names on English pages, the Arabic name where none is curated.
    assert set(nodes) == {"Sergey Lavrov", "Emomali Rahmon", "سراج الدين مهر الدين", "Vladimir Putin"}
    assert edges == {
        frozenset({"Sergey Lavrov", "سراج الدين مهر الدين"}): 3,
        frozenset({"Sergey Lavrov", "Emomali Rahmon"}): 1,
        frozenset({"Emomali Rahmon", "سراج الدين مهر الدين"}): 1,
        frozenset({"Vladimir Putin", "Emomali Rahmon"}): 1,
        frozenset({"Vladimir Putin", "Sergey Lavrov"}): 1,  # the rejected meeting does not count
    }


def test_it_labels_nodes_in_arabic_on_arabic_pages(client, meetings):
    nodes, _edges = graph(parse_svg(client.get("/ar/charts/who-met-whom.svg")))
    assert "سيرغي لافروف" in nodes
    assert all(href.startswith("/ar/officials/") for href in _hrefs(client, "/ar/charts/who-met-whom.svg"))


def _hrefs(client, url: str) -> list[str]:
    root = ET.fromstring(client.get(url).content)
    return [link.get("href") for link in root.iter(f"{SVG}a")]


def test_it_centres_the_graph_on_one_official(client, meetings, officials):
    url = f"/en/charts/who-met-whom.svg?official={officials['rahmon'].pk}"
    nodes, edges = graph(parse_svg(client.get(url)))
    assert set(nodes) == {"Emomali Rahmon", "Sergey Lavrov", "سراج الدين مهر الدين", "Vladimir Putin"}
    # Only meetings Rahmon attended: Lavrov and Muhriddin shared one of them.
    assert edges[frozenset({"Sergey Lavrov", "سراج الدين مهر الدين"})] == 1
    assert frozenset({"Vladimir Putin", "Sergey Lavrov"}) not in edges


def test_it_keeps_the_busiest_officials_when_limited(client, meetings):
    nodes, _edges = graph(parse_svg(client.get("/en/charts/who-met-whom.svg?limit=2")))
    assert set(nodes) == {"Sergey Lavrov", "سراج الدين مهر الدين"}


def test_it_escapes_names_in_the_svg(client):
    mallory = Official.objects.create(name_ar='<script>alert("x")</script> & co')
    meeting(datetime.date(2025, 1, 1), mallory, Official.objects.create(name_ar="بوتين"))
    response = client.get("/ar/charts/who-met-whom.svg")
    assert b"<script>" not in response.content
    nodes, _edges = graph(parse_svg(response))
    assert '<script>alert("x")</script> & co' in nodes


def test_it_renders_each_chart_in_a_bounded_number_of_queries(
    client, meetings, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1):
        client.get("/en/charts/meetings-per-year.svg")
    with django_assert_max_num_queries(2):
        client.get("/en/charts/who-met-whom.svg")


def render_timeline(meetings, language: str) -> str:
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override(language):
        return render_to_string("web/charts/meetings_timeline.html", {"meetings": meetings})


def test_it_shows_meetings_on_a_timeline_grouped_by_year(meetings, django_assert_max_num_queries):
    listed = Meeting.objects.exclude(status=ReviewStatus.REJECTED).prefetch_related("participants")
    with django_assert_max_num_queries(2):
        html = render_timeline(listed, "en")
    assert html.index(">2025<") < html.index(">2023<") < html.index(">2022<")
    assert "13 February 2025" in html
    assert "14 Sha&#x27;ban 1446 AH" in html
    assert "Date unknown" in html
    assert "Sergey Lavrov" in html
    assert "سراج الدين مهر الدين" in html  # no English name curated yet
    arabic = render_timeline(listed, "ar")
    assert "13 فبراير/شباط 2025" in arabic
    assert "14 شعبان 1446 هـ" in arabic
    assert "موسكو" in arabic


def test_it_says_so_when_the_timeline_is_empty():
    assert "No meetings recorded yet." in render_timeline([], "en")
