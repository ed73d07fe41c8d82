"""Extracted data is shown with its review state and the sentence it was read from."""

import pytest

from archive.entities.models import Mention

pytestmark = pytest.mark.django_db

SENTENCE = "يلتقي وزير الخارجية الروسي سيرغي لافروف في موسكو اليوم بوزير الخارجية الطاجيكي."


def page(client, path, **params) -> str:
    response = client.get(path, params)
    assert response.status_code == 200
    return response.content.decode()


def hit_of(html: str, headline: str) -> str:
    start = html.index(headline)
    return html[start : html.index("</li>", start)]


def test_it_says_which_officials_and_meetings_a_result_involves_and_which_are_unreviewed(
    client, sample_archive
):
    html = page(client, "/en/search/", q="الهجرة")

    visit = hit_of(html, sample_archive.visit.headline)
    assert "Officials:" in visit
    assert f'href="/en/officials/{sample_archive.lavrov.pk}/"' in visit
    assert f'href="/en/officials/{sample_archive.muhriddin.pk}/"' in visit
    assert f'href="/en/meetings/{sample_archive.moscow_talks.pk}/"' in visit
    assert "Meetings:" in visit and "Talks · 5 September 2022 · <bdi>Moscow</bdi>" in visit
    assert visit.count("not reviewed") == 2  # the proposed minister and the proposed talks
    migration = hit_of(html, sample_archive.migration.headline)
    assert f'href="/en/meetings/{sample_archive.dushanbe_visit.pk}/"' in migration
    assert "not reviewed" not in migration.split("Meetings:")[1]  # the Dushanbe visit is approved


def test_it_shows_the_sentences_a_meeting_was_read_from(client, sample_archive):
    meeting = sample_archive.moscow_talks
    meeting.provenance = {
        "sources": [{"article": sample_archive.visit.pk, "sentence": SENTENCE}],
        "place": [{"article": sample_archive.visit.pk, "sentence": SENTENCE}],
        "participants": {
            str(sample_archive.lavrov.pk): [{"article": sample_archive.visit.pk, "sentence": SENTENCE}]
        },
    }
    meeting.save()

    html = page(client, f"/en/meetings/{meeting.pk}/")

    assert "Where the articles say so" in html
    assert f'<blockquote class="evidence__sentence" dir="auto">{SENTENCE}</blockquote>' in html
    assert "gives: the meeting, its place, <bdi>Sergey Lavrov</bdi>" in html
    assert "no editor has checked it yet" in html


def test_it_shows_the_sentence_an_official_was_read_from_and_the_review_state(client, sample_archive):
    Mention.objects.filter(official=sample_archive.muhriddin).update(sentence=SENTENCE)

    proposed = page(client, f"/en/officials/{sample_archive.muhriddin.pk}/")
    approved = page(client, f"/en/officials/{sample_archive.lavrov.pk}/")

    assert f'<blockquote class="evidence__sentence" dir="auto">{SENTENCE}</blockquote>' in proposed
    assert "Extracted automatically, not reviewed yet" in proposed
    assert "Extracted automatically, not reviewed yet" not in approved
    assert "No source sentence recorded." in approved


def test_it_shows_the_month_of_a_meeting_the_article_dates_only_by_last_april(client, sample_archive):
    meeting = sample_archive.moscow_talks
    meeting.date = None
    meeting.provenance = {
        "date": [{"article": sample_archive.migration.pk, "sentence": SENTENCE, "text": "ابريل/نيسان الماضي"}]
    }
    meeting.save()

    english = page(client, f"/en/meetings/{meeting.pk}/")
    arabic = page(client, f"/ar/meetings/{meeting.pk}/")

    assert "April 2023 (the article gives no day)" in english  # the article is of 6 June 2023
    assert "Date unknown" not in english
    assert "2023" in arabic and "التاريخ غير معروف" not in arabic.split('class="facts"')[1].split("</dl>")[0]
