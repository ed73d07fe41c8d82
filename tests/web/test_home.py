import pytest

from tests.web.sample import make_article

pytestmark = pytest.mark.django_db


def test_it_redirects_the_root_by_the_browsers_language(client):
    english = client.get("/", headers={"accept-language": "en-GB,en;q=0.9"})
    arabic = client.get("/", headers={"accept-language": "ar-EG,ar;q=0.9"})
    other = client.get("/", headers={"accept-language": "fr"})

    assert english.status_code == 302 and english["Location"] == "/en/"
    assert arabic["Location"] == "/ar/"
    assert other["Location"] == "/ar/"  # Arabic is the archive's default language


def test_it_lays_out_arabic_right_to_left_and_english_left_to_right(client, sample_archive):
    arabic = client.get("/ar/").content.decode()
    english = client.get("/en/").content.decode()

    assert '<html lang="ar" dir="rtl">' in arabic
    assert '<html lang="en" dir="ltr">' in english


def test_it_shows_counts_latest_articles_and_the_meetings_timeline(client, sample_archive):
    page = client.get("/en/").content.decode()

    assert sample_archive.visit.headline in page
    assert sample_archive.hidden.headline not in page  # hidden articles never show
    assert "Sergey Lavrov" in page  # the curated English name on English pages
    assert "سراج الدين مهر الدين" in page  # Arabic while no English name is curated
    assert 'id="search-q"' in page and '<label for="search-q">' in page


def test_it_names_officials_in_arabic_on_arabic_pages(client, sample_archive):
    page = client.get("/ar/").content.decode()

    assert "سيرغي لافروف" in page
    assert "Sergey Lavrov" not in page


def test_it_has_a_skip_link_landmarks_and_a_language_switch_keeping_the_query(client, sample_archive):
    page = client.get("/en/meetings/?place=%D9%85%D9%88%D8%B3%D9%83%D9%88&year=2022").content.decode()

    assert 'class="skip-link" href="#main"' in page
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in page
    assert 'action="/i18n/setlang/"' in page
    assert 'name="next" value="/ar/meetings/?place=%D9%85%D9%88%D8%B3%D9%83%D9%88&amp;year=2022"' in page
    assert 'name="language" value="ar"' in page


def test_it_switches_language_and_stays_on_the_same_search_whatever_the_browsers_language(client):
    # An Arabic browser on an English page: the switch must not depend on the browser's language.
    page = client.get("/en/officials/?name=Lavrov&page=1", headers={"accept-language": "ar"}).content.decode()
    next_url = page.split('name="next" value="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    response = client.post(
        "/i18n/setlang/", {"language": "ar", "next": next_url}, headers={"accept-language": "ar"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/ar/officials/?name=Lavrov&page=1"
    assert client.cookies["django_language"].value == "ar"


def test_it_renders_the_home_page_in_a_bounded_number_of_queries(
    client, sample_archive, django_assert_max_num_queries
):
    for number in range(30):
        make_article(title=f"مقال رقم {number}", blocks=[("paragraph", f"نص المقال {number}")], day=None)

    with django_assert_max_num_queries(8):
        client.get("/ar/")


def test_it_links_each_page_to_its_other_language_version(client, sample_archive):
    page = client.get(f"/en/articles/{sample_archive.visit.pk}/").content.decode()

    assert f'<link rel="alternate" hreflang="ar" href="/ar/articles/{sample_archive.visit.pk}/">' in page
    assert f'<link rel="alternate" hreflang="en" href="/en/articles/{sample_archive.visit.pk}/">' in page


def test_it_remembers_the_chosen_language_for_the_root(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/ar/"}, headers={"accept-language": "ar"})

    response = client.get("/", headers={"accept-language": "ar"})

    assert response["Location"] == "/en/"
