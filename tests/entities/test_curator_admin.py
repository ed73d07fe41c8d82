"""The admin as curators use it: a review queue with pending counts, Diwan's name and typeface, posts by
label, merges that keep the reviewed record, and what was extracted from an article."""

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation

from archive.articles.models import Article
from archive.entities.models import (
    BilingualName,
    Meeting,
    MeetingTopic,
    Official,
    OfficialAlias,
    ReviewStatus,
    Statement,
)


def url(name: str, *args, language: str = "en") -> str:
    with translation.override(language):
        return reverse(f"admin:{name}", args=args)


@pytest.fixture
def logged_in(client, curator, ingested_seeds):
    client.force_login(curator)
    return client


def text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_it_counts_what_waits_for_a_decision_per_kind_and_links_there(logged_in):
    officials = Official.objects.filter(status=ReviewStatus.PROPOSED, merged_into__isnull=True).count()
    spellings = OfficialAlias.objects.filter(status=ReviewStatus.PROPOSED).count()
    meetings = Meeting.objects.filter(status=ReviewStatus.PROPOSED).count()
    statements = Statement.objects.filter(status=ReviewStatus.PROPOSED).count()
    topics = MeetingTopic.objects.filter(status=ReviewStatus.PROPOSED).count()
    assert officials and spellings and meetings and statements and topics

    index = text(logged_in.get(url("index")))
    queue = text(logged_in.get(url("entities_review_queue")))

    assert f'href="{url("entities_review_queue")}"' in index
    for label, count, changelist in (
        ("Officials", officials, "entities_official_changelist"),
        ("Spellings", spellings, "entities_officialalias_changelist"),
        ("Meetings", meetings, "entities_meeting_changelist"),
        ("Statements", statements, "entities_statement_changelist"),
        ("Meeting topics", topics, "entities_meetingtopic_changelist"),
    ):
        assert f'<th scope="row">{label}</th>\n      <td class="review-queue__count">{count}</td>' in queue
        assert f'href="{url(changelist)}?status=proposed' in queue
    total = officials + spellings + meetings + statements + topics
    assert f"{total} records wait for an editor" in queue


def test_it_keeps_the_review_queue_from_non_staff(client, ingested_seeds):
    client.force_login(User.objects.create_user("someone", password="unused"))
    assert "/admin/login/" in client.get(url("entities_review_queue"))["Location"]


def test_it_brands_the_admin_as_diwan_in_the_arabic_typeface(logged_in):
    arabic = text(logged_in.get(url("index", language="ar")))
    english = text(logged_in.get(url("index")))

    assert "ديوان: المراجعة والتحرير" in arabic
    assert "Django administration" not in english and "Django site admin" not in english
    assert "Diwan curation" in english
    assert "/static/css/admin.css" in english
    css = Path(finders.find("css/admin.css")).read_text(encoding="utf-8")
    assert '--font-family-primary: "IBM Plex Sans Arabic"' in css
    assert finders.find("fonts/ibm-plex-sans-arabic/IBMPlexSansArabic-Regular.ttf")


def test_it_filters_officials_by_post_labels_rather_than_internal_keys(logged_in):
    english = text(logged_in.get(url("entities_official_changelist")))
    arabic = text(logged_in.get(url("entities_official_changelist", language="ar")))

    assert "?role_key=foreign_minister" in english
    assert 'title="Foreign Minister"' in english or ">Foreign Minister</a>" in english
    assert ">foreign_minister</a>" not in english
    assert ">وزير الخارجية</a>" in arabic


def test_it_preselects_the_reviewed_official_as_the_one_to_keep_in_a_merge(logged_in):
    lavrov = Official.objects.get(name_en="Sergey Lavrov", status=ReviewStatus.APPROVED)
    duplicate = Official.objects.create(name_ar="سيرجي لافروف", status=ReviewStatus.PROPOSED)

    page = text(
        logged_in.post(
            url("entities_official_changelist"),
            {"action": "merge_officials", "_selected_action": [duplicate.pk, lavrov.pk]},
        )
    )

    assert f'value="{lavrov.pk}" id="survivor-{lavrov.pk}" checked' in page
    assert f'value="{duplicate.pk}" id="survivor-{duplicate.pk}">' in page


def test_it_lists_the_officials_and_meetings_extracted_from_an_article(logged_in):
    article = Article.objects.get(origin__endswith="003_ca72089d0cf560ca.txt")
    meeting = article.meetings.first()
    official = article.mentions.first().official

    page = text(logged_in.get(url("articles_article_change", article.pk)))

    assert "Extracted from this article" in page
    assert f"href='{url('entities_official_change', official.pk)}'" in page
    assert f"href='{url('entities_meeting_change', meeting.pk)}'" in page
    assert official.name_ar in page


def test_it_edits_the_english_names_of_places_in_the_admin(logged_in):
    page = text(logged_in.get(url("entities_bilingualname_changelist"), {"q": "Moscow"}))

    assert "موسكو" in page and "Moscow" in page
    assert BilingualName.objects.filter(kind="place", name_en="Moscow").exists()
