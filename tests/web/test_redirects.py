"""Every redirect the archive sends stays on this site, whatever `next` (or Referer) a page supplies."""

from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db

HOSTILE = [
    "//evil.example",
    "///evil.example",
    "https://evil.example",
    "http://evil.example/ar/",
    "https:evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(document.domain)",
    "data:text/html,<script>alert(1)</script>",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\t/evil.example",
    " //evil.example",
    "http://testserver@evil.example/",
    "http://evil.example\\@testserver/",
]


def assert_on_site(response) -> str:
    assert response.status_code == 302, response.status_code
    location = response["Location"]
    parts = urlsplit(location)
    # A browser reads a leading backslash as a slash: "/\\evil" would leave the site.
    assert parts.scheme in ("", "http") and parts.netloc in ("", "testserver"), location
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location
    return location


# Each form that redirects after a POST: its URL, its other fields, where it lands when `next` is unsafe.
SWITCHES = {
    "language": ("/i18n/setlang/", {"language": "en"}, "/"),
    "digits": ("/ar/preferences/digits/", {"digits": "arab"}, "/ar/"),
}


@pytest.mark.parametrize("switch", SWITCHES)
@pytest.mark.parametrize("target", HOSTILE)
def test_it_keeps_the_switches_on_site_whatever_next_says(client, switch, target):
    url, fields, fallback = SWITCHES[switch]

    assert assert_on_site(client.post(url, {**fields, "next": target})) == fallback
    assert assert_on_site(client.post(url, fields, headers={"referer": target})) == fallback


def test_it_still_switches_language_to_a_page_of_this_site(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/en/search/?q=x"})

    assert assert_on_site(response) == "/en/search/?q=x"


@pytest.mark.parametrize("target", HOSTILE)
def test_it_keeps_the_admin_login_on_site(client, target):
    User.objects.create_superuser("editor", "editor@example.com", "a-long-enough-passphrase")

    response = client.post(
        f"/en/admin/login/?next={target}",
        {"username": "editor", "password": "a-long-enough-passphrase", "next": target},
    )

    assert assert_on_site(response) == "/en/admin/"


HOSTILE_PATHS = ["//evil.example", "//evil.example/ar/search", "///evil.example/", "/\\evil.example"]


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_it_never_redirects_from_a_hostile_path(client, path):
    # The path as a browser would send it (the test client would read "//host" as a host name): the
    # language and trailing-slash redirects do not apply, so nothing points off site.
    response = client.get("/", PATH_INFO=path)

    assert response.status_code == 404
    assert "Location" not in response


def test_it_adds_the_language_and_the_slash_on_site(client):
    assert assert_on_site(client.get("/")) == "/ar/"
    assert client.get("/ar/search")["Location"] == "/ar/search/"
