"""Every response carries the security headers, and no page needs an inline script or style to work."""

import re

import pytest

pytestmark = pytest.mark.django_db

URLS = [
    "/ar/",
    "/en/search/?q=لافروف",
    "/en/search/?sort=sideways",  # 400
    "/en/no-such-page/",  # 404
    "/api/search?q=x",
    "/en/feeds/latest/",
    "/en/export/search.csv",
    "/en/charts/who-met-whom.svg",
    "/en/charts/meetings-per-year.svg",
    "/en/officials/",
    "/en/meetings/",
    "/en/admin/login/",
]


@pytest.mark.parametrize("url", URLS)
def test_it_sends_the_security_headers_on_every_response(client, sample_archive, url):
    response = client.get(url)

    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


INLINE = re.compile(r"<style|\sstyle=|<script(?![^>]*\ssrc=)|\son[a-z]+=", re.IGNORECASE)


@pytest.mark.parametrize(
    "url",
    [
        "/ar/",
        "/en/search/?q=لافروف",
        "/ar/officials/",
        "/ar/meetings/",
        "/en/charts/who-met-whom.svg",
        "/en/charts/meetings-per-year.svg",
        "/en/admin/login/",
    ],
)
def test_it_renders_pages_without_inline_scripts_or_styles(client, sample_archive, url):
    response = client.get(url)
    body = response.content.decode()

    assert response.status_code == 200
    assert not INLINE.search(body), INLINE.search(body)


def test_it_renders_record_pages_without_inline_scripts_or_styles(client, sample_archive):
    for url in (
        f"/ar/articles/{sample_archive.visit.pk}/",
        f"/en/officials/{sample_archive.lavrov.pk}/",
        f"/ar/meetings/{sample_archive.moscow_talks.pk}/",
    ):
        body = client.get(url).content.decode()
        assert not INLINE.search(body), (url, INLINE.search(body))


def test_it_links_the_chart_styles_from_the_standalone_svg(client, sample_archive):
    body = client.get("/en/charts/who-met-whom.svg").content.decode()

    prolog = '<?xml version="1.0" encoding="utf-8"?>\n<?xml-stylesheet href="/static/css/charts.css"'
    assert body.startswith(prolog)
