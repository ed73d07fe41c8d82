import pytest

pytestmark = pytest.mark.django_db


def test_it_shows_arabic_indic_digits_when_the_analyst_chooses_them(client, sample_archive):
    path = f"/ar/articles/{sample_archive.visit.pk}/"
    western = client.get(path).content.decode()

    response = client.post("/ar/preferences/digits/", {"digits": "arab", "next": path})
    arabic = client.get(path).content.decode()

    assert "5 سبتمبر/أيلول 2022" in western
    assert response.status_code == 302 and response["Location"] == path
    assert "٥ سبتمبر/أيلول ٢٠٢٢" in arabic and "(٩ صفر ١٤٤٤ هـ)" in arabic
    assert 'value="arab" class="switch is-selected" aria-pressed="true"' in arabic


def test_it_keeps_western_digits_on_english_pages(client, sample_archive):
    client.post("/ar/preferences/digits/", {"digits": "arab", "next": "/en/"})

    page = client.get(f"/en/articles/{sample_archive.visit.pk}/").content.decode()

    assert "5 September 2022" in page
    assert "digits-switch" not in page


def test_it_never_redirects_outside_the_archive(client):
    response = client.post("/ar/preferences/digits/", {"digits": "arab", "next": "https://example.org/"})

    assert response["Location"] == "/ar/"


def test_it_ignores_an_unknown_digit_style(client, sample_archive):
    client.post("/ar/preferences/digits/", {"digits": "roman", "next": "/ar/"})

    assert "5 سبتمبر/أيلول 2022" in client.get(f"/ar/articles/{sample_archive.visit.pk}/").content.decode()


def test_it_only_changes_preferences_by_post(client):
    assert client.get("/ar/preferences/digits/", {"digits": "arab"}).status_code == 405
