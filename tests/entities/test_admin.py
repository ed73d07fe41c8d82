"""The review queue in the admin: approve, reject, merge (with a confirmation page), edit meetings."""

import datetime as dt

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import translation

from archive.articles.models import Article
from archive.entities.models import Meeting, Official, OfficialAlias, ReviewStatus
from archive.entities.services import article_extract_entities
from archive.text.arabic import name_key


def url(name: str, *args, language: str = "en") -> str:
    with translation.override(language):
        return reverse(f"admin:entities_{name}", args=args)


@pytest.fixture
def logged_in(client, curator, ingested_seeds):
    client.force_login(curator)
    return client


def test_it_keeps_the_queue_from_anonymous_visitors_and_non_staff(client, stranger, ingested_seeds):
    assert "/admin/login/" in client.get(url("official_changelist"))["Location"]
    client.force_login(stranger)
    assert "/admin/login/" in client.get(url("official_changelist"))["Location"]


@pytest.mark.parametrize(
    ("model", "action"),
    [
        ("official", "approve_officials"),
        ("official", "reject_officials"),
        ("official", "merge_officials"),
        ("officialalias", "approve_aliases"),
        ("officialalias", "reject_aliases"),
        ("meeting", "approve_meetings"),
        ("meeting", "reject_meetings"),
    ],
)
def test_it_offers_no_decisions_to_a_view_only_staff_member(client, reader, ingested_seeds, model, action):
    client.force_login(reader)
    changelist = url(f"{model}_changelist")
    page = client.get(changelist)
    assert page.status_code == 200  # the reader may look at the queue
    assert action not in page.content.decode()
    rows = {"official": Official, "officialalias": OfficialAlias, "meeting": Meeting}[model].objects
    selected = list(rows.order_by("pk").values_list("pk", flat=True)[:2])
    before = list(rows.order_by("pk").values_list("pk", "status"))

    response = client.post(
        changelist,
        {"action": action, "_selected_action": selected, "post": "yes", "survivor": selected[0]},
        follow=True,
    )

    assert response.status_code == 200
    assert list(rows.order_by("pk").values_list("pk", "status")) == before
    assert not Official.objects.filter(merged_into__isnull=False).exists()
    assert not LogEntry.objects.exists()


def test_it_does_not_merge_for_an_editor_who_may_not_delete(client, curator, ingested_seeds):
    curator.user_permissions.remove(*curator.user_permissions.filter(codename="delete_official"))
    client.force_login(curator)
    survivor = Official.objects.get(name_en="Sirojiddin Muhriddin")
    duplicate = Official.objects.create(name_ar="سراج الدين محي الدين", role_key="foreign_minister")

    page = client.get(url("official_changelist")).content.decode()
    client.post(
        url("official_changelist"),
        {
            "action": "merge_officials",
            "_selected_action": [survivor.pk, duplicate.pk],
            "post": "yes",
            "survivor": survivor.pk,
        },
    )

    assert "approve_officials" in page and "merge_officials" not in page
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None


@pytest.mark.parametrize("language", ["ar", "en"])
def test_it_lists_proposed_officials_for_review(logged_in, language):
    response = logged_in.get(url("official_changelist", language=language), {"status__exact": "proposed"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "سيميون غريغورييف" in html
    assert "كوخير رسول زاده" in html
    assert "Sergey Lavrov" not in html  # curated registry entry, already approved


def test_it_finds_an_official_by_a_spelling_variant(logged_in):
    response = logged_in.get(url("official_changelist"), {"q": "سيروجد الدين مخردين"})

    assert [o.name_en for o in response.context["cl"].result_list] == ["Sirojiddin Muhriddin"]


def test_it_approves_officials_with_an_action_and_logs_it(logged_in, curator):
    official = Official.objects.get(name_ar="سيميون غريغورييف")

    response = logged_in.post(
        url("official_changelist"),
        {"action": "approve_officials", "_selected_action": [official.pk]},
        follow=True,
    )

    official.refresh_from_db()
    assert official.status == ReviewStatus.APPROVED
    assert "1 official approved." in response.content.decode()
    entry = LogEntry.objects.get(user=curator, object_id=str(official.pk))
    assert entry.change_message == "Approved"
    history = logged_in.get(url("official_history", official.pk)).content.decode()
    assert "Approved" in history and "curator" in history


def test_it_approves_and_rejects_spellings(logged_in):
    minister = Official.objects.get(name_en="Sirojiddin Muhriddin")
    good = minister.aliases.get(key=name_key("سراج الدين مهر الديين"))
    bad = minister.aliases.get(key=name_key("سيروجد الدين مخردين"))

    logged_in.post(
        url("officialalias_changelist"), {"action": "approve_aliases", "_selected_action": [good.pk]}
    )
    logged_in.post(
        url("officialalias_changelist"), {"action": "reject_aliases", "_selected_action": [bad.pk]}
    )

    good.refresh_from_db()
    bad.refresh_from_db()
    assert (good.status, bad.status) == (ReviewStatus.APPROVED, ReviewStatus.REJECTED)
    queue = logged_in.get(url("officialalias_changelist"), {"status__exact": "proposed"}).content.decode()
    assert "سيروجد الدين مخردين" not in queue


def test_it_rejects_meetings_and_ingest_keeps_them_rejected(logged_in):
    meeting = Meeting.objects.get(place_en="Samarkand")

    logged_in.post(url("meeting_changelist"), {"action": "reject_meetings", "_selected_action": [meeting.pk]})
    for article in meeting.articles.all():
        article_extract_entities(article=article)

    meeting.refresh_from_db()
    assert meeting.status == ReviewStatus.REJECTED
    assert Meeting.objects.filter(place_en="Samarkand").count() == 1


def test_it_asks_for_confirmation_before_merging(logged_in):
    survivor = Official.objects.get(name_en="Sirojiddin Muhriddin")
    duplicate = Official.objects.create(name_ar="سراج الدين محي الدين", role_key="foreign_minister")

    response = logged_in.post(
        url("official_changelist"),
        {"action": "merge_officials", "_selected_action": [survivor.pk, duplicate.pk]},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Merge officials" in html
    assert "سراج الدين محي الدين" in html and "Sirojiddin Muhriddin" in html
    assert 'name="survivor"' in html
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None  # nothing happens before the editor confirms


def test_it_merges_after_confirmation(logged_in, curator):
    survivor = Official.objects.get(name_en="Sirojiddin Muhriddin")
    duplicate = Official.objects.create(name_ar="سراج الدين محي الدين", role_key="foreign_minister")
    meeting = Meeting.objects.get(date=dt.date(2025, 2, 13))
    meeting.participants.add(duplicate)

    response = logged_in.post(
        url("official_changelist"),
        {
            "action": "merge_officials",
            "_selected_action": [survivor.pk, duplicate.pk],
            "post": "yes",
            "survivor": survivor.pk,
        },
        follow=True,
    )

    assert "Merged 1 officials into" in response.content.decode()
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor
    assert survivor.aliases.get(key=name_key("سراج الدين محي الدين")).status == ReviewStatus.APPROVED
    assert list(meeting.participants.filter(pk=duplicate.pk)) == []
    assert LogEntry.objects.filter(user=curator, object_id=str(survivor.pk)).exists()


def test_it_shows_the_source_sentences_and_an_autocomplete_on_a_meeting(logged_in):
    meeting = Meeting.objects.get(date=dt.date(2025, 2, 13))

    html = logged_in.get(url("meeting_change", meeting.pk)).content.decode()

    assert "يعتزم وزير الخارجية الروسي - سيرغي لافروف" in html
    assert "admin-autocomplete" in html
    found = logged_in.get(
        reverse("admin:autocomplete"),
        {"app_label": "entities", "model_name": "meeting", "field_name": "participants", "term": "لافروف"},
    ).json()
    assert [r["text"] for r in found["results"]] == ["سيرغي لافروف"]


def test_it_pages_the_participants_autocomplete_without_repeating_or_skipping_an_official(logged_in):
    # Officials of the same name: only their ids order them. Autocomplete pages hold 20 each.
    Official.objects.bulk_create(Official(name_ar="مسؤول مكرر") for _ in range(45))
    everyone = set(Official.objects.values_list("pk", flat=True))
    seen: list[int] = []
    for page in (1, 2, 3, 4):
        found = logged_in.get(
            reverse("admin:autocomplete"),
            {"app_label": "entities", "model_name": "meeting", "field_name": "participants", "page": page},
        ).json()
        seen += [int(r["id"]) for r in found["results"]]
        if not found["pagination"]["more"]:
            break
    assert sorted(seen) == sorted(everyone)


def test_it_keeps_an_edited_meeting_through_a_new_ingest(logged_in):
    meeting = Meeting.objects.get(date=dt.date(2025, 4, 25))
    people = list(meeting.participants.values_list("pk", flat=True))

    response = logged_in.post(
        url("meeting_change", meeting.pk),
        {
            "status": "proposed",
            "kind": "talks",
            "date": "2025-04-25",
            "place_ar": "موسكو",
            "place_en": "Moscow",
            "participants": people,
            "summary": "",
            "articles": list(meeting.articles.values_list("pk", flat=True)),
        },
    )
    assert response.status_code == 302
    for article in meeting.articles.all():
        article_extract_entities(article=article)

    meeting.refresh_from_db()
    assert (meeting.place_en, meeting.curated) == ("Moscow", True)
    assert LogEntry.objects.filter(object_id=str(meeting.pk)).exists()


def test_it_keeps_an_edited_official_through_a_new_ingest(logged_in):
    official = Official.objects.get(name_ar="كوخير رسول زاده")
    page = logged_in.get(url("official_change", official.pk)).content.decode()
    assert "رسول زاده" in page and "aliases-TOTAL_FORMS" in page  # spellings edited inline
    aliases = list(official.aliases.order_by("pk"))
    form = {
        "status": "approved",
        "name_ar": official.name_ar,
        "name_en": "Kokhir Rasulzoda",
        "role_ar": "رئيس الحكومة",
        "role_en": "Prime Minister",
        "country_ar": official.country_ar,
        "country_en": official.country_en,
        "role_key": official.role_key,
        "aliases-TOTAL_FORMS": str(len(aliases) + 1),
        "aliases-INITIAL_FORMS": str(len(aliases)),
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
    }
    for n, alias in enumerate(aliases):
        form |= {
            f"aliases-{n}-id": alias.pk,
            f"aliases-{n}-official": official.pk,
            f"aliases-{n}-name": alias.name,
            f"aliases-{n}-script": alias.script,
            f"aliases-{n}-status": "approved",
        }
    n = len(aliases)
    form |= {f"aliases-{n}-official": official.pk, f"aliases-{n}-name": "Qohir Rasulzoda"}
    form |= {f"aliases-{n}-script": "ar", f"aliases-{n}-status": "approved"}

    response = logged_in.post(url("official_change", official.pk), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    for article in Article.objects.filter(mentions__official=official):
        article_extract_entities(article=article)

    official.refresh_from_db()
    assert (official.name_en, official.role_ar, official.curated) == (
        "Kokhir Rasulzoda",
        "رئيس الحكومة",
        True,
    )
    latin = official.aliases.get(key="qohir rasulzoda")
    assert (latin.script, latin.status) == ("latin", ReviewStatus.APPROVED)


def test_it_derives_key_and_script_of_a_spelling_an_editor_adds(logged_in):
    minister = Official.objects.get(name_en="Sirojiddin Muhriddin")

    response = logged_in.post(
        url("officialalias_add"),
        {"official": minister.pk, "name": " Sirojiddín  Muhriddín ", "status": "approved"},
    )

    assert response.status_code == 302
    alias = minister.aliases.get(name="Sirojiddín  Muhriddín")
    assert (alias.key, alias.script) == ("sirojiddín muhriddín", "latin")  # accents are Latin letters too
