"""Editors' decisions (approve, reject, edit, merge) survive a new ingest; merges lose nothing."""

import datetime as dt

from django.contrib.admin.models import LogEntry

from archive.articles.models import Article
from archive.entities.curation import (
    alias_approve,
    alias_reject,
    meeting_reject,
    official_approve,
    official_merge,
    official_reject,
)
from archive.entities.models import Meeting, Mention, Official, OfficialAlias, ReviewStatus
from archive.entities.services import (
    aliases_matching,
    approved_spellings,
    article_extract_entities,
    official_alias_keys,
)
from archive.text.arabic import name_key


def reingest() -> None:
    for article in Article.objects.all():
        article_extract_entities(article=article)


def snapshot() -> tuple:
    return (
        sorted(Official.objects.values_list("pk", "name_ar", "status", "merged_into_id")),
        sorted(OfficialAlias.objects.values_list("official_id", "key", "status")),
        sorted(Mention.objects.values_list("article_id", "official_id", "count")),
        sorted(
            (
                m.pk,
                m.date,
                m.place_ar,
                m.kind,
                m.status,
                tuple(sorted(m.participants.values_list("pk", flat=True))),
            )
            for m in Meeting.objects.all()
        ),
    )


def test_it_changes_nothing_when_ingest_runs_again(ingested_all):
    before = snapshot()

    reingest()

    assert snapshot() == before


def test_it_keeps_approvals_and_rejections_through_a_new_ingest(ingested_seeds, curator):
    minister = Official.objects.get(name_en="Sirojiddin Muhriddin")
    odd = minister.aliases.get(key=name_key("سيروجد الدين مخردين"))
    alias_approve(aliases=minister.aliases.filter(status=ReviewStatus.PROPOSED), user=curator)
    galuzin = Official.objects.get(aliases__key=name_key("ميخائيل غالوزين"))
    official_reject(officials=[galuzin], user=curator)
    samarkand = Meeting.objects.get(place_en="Samarkand")
    meeting_reject(meetings=[samarkand], user=curator)

    reingest()

    odd.refresh_from_db()
    assert odd.status == ReviewStatus.APPROVED
    galuzin.refresh_from_db()
    assert galuzin.status == ReviewStatus.REJECTED
    assert not Official.objects.filter(name_ar="ميخائيل غالوزين").exclude(pk=galuzin.pk).exists()
    assert not galuzin.mentions.exists()  # a rejected official is no longer recorded as mentioned
    samarkand.refresh_from_db()
    assert samarkand.status == ReviewStatus.REJECTED
    assert Meeting.objects.filter(place_en="Samarkand").count() == 1
    # One log entry per decided record: two spellings, one official, one meeting.
    assert LogEntry.objects.filter(user=curator).count() == 4
    assert LogEntry.objects.filter(user=curator, object_id=str(odd.pk)).exists()


def test_it_keeps_an_edited_meeting_as_the_editor_left_it(ingested_seeds, curator):
    meeting = Meeting.objects.get(date=dt.date(2025, 4, 25))
    meeting.place_ar, meeting.place_en, meeting.curated = "موسكو", "Moscow", True
    meeting.save()

    reingest()

    meeting.refresh_from_db()
    assert (meeting.place_ar, meeting.place_en, meeting.status) == ("موسكو", "Moscow", ReviewStatus.PROPOSED)
    assert Meeting.objects.filter(date=dt.date(2025, 4, 25)).count() == 1


def test_it_does_not_link_a_rejected_spelling_again(ingested_seeds, curator):
    minister = Official.objects.get(name_en="Sirojiddin Muhriddin")
    odd = minister.aliases.get(key=name_key("سيروجد الدين مخردين"))
    alias_reject(aliases=[odd], user=curator)

    reingest()

    odd.refresh_from_db()
    assert odd.status == ReviewStatus.REJECTED
    article = Article.objects.get(origin="003_ca72089d0cf560ca.txt")
    # The editor said this spelling is someone else: the article now mentions a separate proposal.
    assert not article.mentions.filter(official=minister).exists()
    assert article.mentions.filter(official__name_ar="سيروجد الدين مخردين").exists()


def test_it_merges_two_officials_without_losing_anything(ingested_seeds, curator):
    # Split the Tajik minister in two by hand, as a wrong automatic link would have.
    survivor = Official.objects.get(aliases__key=name_key("سراج الدين مهر الدين"))
    loser = Official.objects.create(name_ar="سيروجد الدين مخردين", role_key="foreign_minister")
    moved = survivor.aliases.get(key=name_key("سيروجد الدين مخردين"))
    moved.official = loser
    moved.save()
    mention = Mention.objects.get(official=survivor, article__origin="003_ca72089d0cf560ca.txt")
    mention.official = loser
    mention.save()
    meeting = Meeting.objects.get(date=dt.date(2023, 6, 6))
    meeting.participants.remove(survivor)
    meeting.participants.add(loser)
    counts = (
        survivor.aliases.count() + loser.aliases.count(),
        survivor.mentions.count() + loser.mentions.count(),
    )

    official_merge(survivor=survivor, others=[loser], user=curator)

    loser.refresh_from_db()
    assert loser.merged_into == survivor
    assert (survivor.aliases.count(), survivor.mentions.count()) == counts
    assert survivor in meeting.participants.all() and loser not in meeting.participants.all()
    assert not Official.objects.listed().filter(pk=loser.pk).exists()
    assert LogEntry.objects.filter(object_id=str(loser.pk), change_message__startswith="Merged into").exists()

    reingest()

    assert not Mention.objects.filter(official=loser).exists()
    origins = set(Mention.objects.filter(official=survivor).values_list("article__origin", flat=True))
    assert origins == {"000_900ead7f2c160cfd.txt", "001_e85774afd2b191b1.txt", "003_ca72089d0cf560ca.txt"}
    loser.refresh_from_db()
    assert loser.merged_into == survivor


def test_it_expands_only_approved_spellings_for_search(ingested_seeds, curator):
    lavrov = Official.objects.get(name_en="Sergey Lavrov")
    minister = Official.objects.get(name_en="Sirojiddin Muhriddin")

    assert aliases_matching(text="Lavrov") == [lavrov]
    assert aliases_matching(text="لقاء لافروف في موسكو") == [lavrov]
    assert "سيروجد الدين مخردين" not in approved_spellings(official_ids=[minister.pk])[minister.pk]
    assert official_alias_keys().get(name_key("سيروجد الدين مخردين")) is None

    alias_approve(aliases=minister.aliases.all(), user=curator)
    official_approve(officials=[minister], user=curator)

    spellings = approved_spellings(official_ids=[minister.pk])[minister.pk]
    assert {"سيروجد الدين مخردين", "سراج الدين مهر الديين", "Sirojiddin Muhriddin"} <= set(spellings)
    assert aliases_matching(text="سيروجد الدين مخردين") == [minister]


def test_it_drops_a_proposal_that_a_corrected_article_no_longer_supports(ingested_seeds):
    article = Article.objects.get(origin="001_e85774afd2b191b1.txt")
    ambassador = Official.objects.get(name_ar="سيميون غريغورييف")
    article.blocks = [b for b in article.blocks if "غريغورييف" not in b["text"]]
    article.save()

    article_extract_entities(article=article)

    assert not Official.objects.filter(pk=ambassador.pk).exists()
    assert article.mentions.filter(official__name_en="Sergey Lavrov").exists()
    assert Official.objects.filter(name_en="Sergey Lavrov").exists()
