"""Ingest stores the officials and meetings of the hand annotation (tests/fixtures/annotations)."""

import datetime as dt

import pytest

from archive.articles.models import Article
from archive.entities.evaluation import compare, extraction_report, load_annotations
from archive.entities.models import Meeting, Official, OfficialAlias, ReviewStatus
from archive.ingest.services import articles_ingest
from archive.text.arabic import name_key as _key
from tests.entities.conftest import ANNOTATIONS, SEEDS, annotation

SEED_ORIGINS = sorted(p.name for p in SEEDS.glob("*.txt"))
OWN_ORIGINS = [
    "100_egypt_china_beijing.txt",
    "101_india_brazil_phone.txt",
    "102_egypt_china_second_report.txt",
    "103_russia_kazakhstan_astana.txt",
    "104_iraq_jordan_baghdad.txt",
    "105_china_iran_phone.txt",
]
FM_SPELLINGS = ["سراج الدين مهر الديين", "سراج الدين مهر الدين", "سيروجد الدين مخردين"]


def stored(origin: str) -> dict:
    return next(a for a in extraction_report()["articles"] if a["origin"] == origin)


def test_it_finds_every_annotated_official_and_meeting(ingested_all):
    evaluation = compare(report=extraction_report(), annotations=load_annotations(ANNOTATIONS))

    assert evaluation["misses"] == []
    assert evaluation["officials_recall"] == 1.0
    assert evaluation["meetings_recall"] == 1.0
    assert evaluation["officials_precision"] == 1.0
    assert evaluation["meetings_precision"] == 1.0
    assert evaluation["places_right"] == evaluation["meetings_found"]


@pytest.mark.parametrize("origin", SEED_ORIGINS + OWN_ORIGINS)
def test_it_gives_each_official_the_annotated_post_and_country(ingested_all, origin):
    officials = stored(origin)["officials"]

    for expected in annotation(origin)["officials"]:
        official = Official.objects.get(aliases__key__in=[_key(s) for s in expected["spellings"][:1]])
        assert official.role_key == expected["role_key"], expected
        assert official.role_en == expected["role_en"], expected
        assert official.country_en == (expected["country_en"] or ""), expected
        assert official.pk in {o["id"] for o in officials}


@pytest.mark.parametrize("origin", SEED_ORIGINS + OWN_ORIGINS)
def test_it_stores_the_annotated_meetings_with_date_place_and_kind(ingested_all, origin):
    meetings = stored(origin)["meetings"]
    expected = annotation(origin)["meetings"]

    assert sorted((m["date"] or "", m["place"] or "") for m in meetings) == sorted(
        (e["date"] or "", e["place_en"] or "") for e in expected
    )
    for want in expected:
        got = next(m for m in meetings if m["date"] == want["date"])
        assert len(got["participants"]) == len(want["participants"])


def test_it_puts_the_three_spellings_of_the_tajik_minister_on_one_official(ingested_seeds):
    official = Official.objects.get(aliases__key=_key("سيروجد الدين مخردين"))

    keys = set(official.aliases.values_list("key", flat=True))
    assert {_key(s) for s in FM_SPELLINGS} <= keys
    assert official.name_en == "Sirojiddin Muhriddin"
    # Linked automatically, so the new spellings wait for an editor.
    new = official.aliases.filter(key__in=[_key(FM_SPELLINGS[0]), _key(FM_SPELLINGS[2])])
    assert set(new.values_list("status", flat=True)) == {ReviewStatus.PROPOSED}
    rahmon = Official.objects.get(name_en="Emomali Rahmon")
    assert rahmon.aliases.get(key=_key("إمام علي رحمن")).status == ReviewStatus.PROPOSED


def test_it_links_the_spellings_without_the_curated_registry(db):
    Official.objects.all().delete()

    articles_ingest(paths=[SEEDS])

    owners = {OfficialAlias.objects.get(key=_key(s)).official_id for s in FM_SPELLINGS}
    assert len(owners) == 1
    official = Official.objects.get(pk=owners.pop())
    assert official.status == ReviewStatus.PROPOSED
    assert official.name_en == ""
    assert official.name_en_suggested
    assert official.meetings.count() == 4
    presidents = Official.objects.filter(role_key="president", country_en="Tajikistan")
    assert presidents.count() == 1


def test_it_proposes_new_officials_of_unseen_articles_with_roles(ingested_all):
    modi = Official.objects.get(aliases__key=_key("ناريندرا مودي"))

    assert modi.status == ReviewStatus.PROPOSED
    assert (modi.role_ar, modi.role_en, modi.country_ar, modi.country_en) == (
        "رئيس الوزراء",
        "Prime Minister",
        "الهند",
        "India",
    )
    assert modi.name_en == ""
    mention = modi.mentions.get()
    assert mention.count == 2
    assert mention.role_ar == "رئيس الوزراء الهندي"
    assert mention.sentence.startswith("أجرى رئيس الوزراء الهندي ناريندرا مودي اتصالاً هاتفياً")


def test_it_keeps_one_meeting_reported_by_two_articles(ingested_all):
    meeting = Meeting.objects.get(date=dt.date(2025, 3, 10))

    assert set(meeting.articles.values_list("origin", flat=True)) == {OWN_ORIGINS[0], OWN_ORIGINS[2]}
    assert meeting.participants.count() == 2
    assert (meeting.place_ar, meeting.place_en) == ("بكين", "Beijing")
    wang = Official.objects.get(aliases__key=_key("وانغ يي"))
    assert wang.aliases.filter(key=_key("وانغ يى")).exists()
    reporters = {entry["article"] for entry in meeting.provenance["sources"]}
    assert reporters == set(meeting.articles.values_list("pk", flat=True))


def test_it_records_the_sentence_of_every_extracted_field(ingested_seeds):
    article = Article.objects.get(origin="001_e85774afd2b191b1.txt")
    meeting = article.meetings.get()

    lead = "يعتزم وزير الخارجية الروسي - سيرغي لافروف، لقاء نظيره وزير خارجية طاجيكستان"
    for field in ("sources", "kind", "date", "place"):
        (entry,) = meeting.provenance[field]
        assert entry["article"] == article.pk
        assert entry["sentence"].startswith(lead)
    assert meeting.provenance["date"][0]["text"].startswith("13 فبراير")
    assert set(meeting.provenance["participants"]) == {str(p.pk) for p in meeting.participants.all()}


def test_it_leaves_the_place_empty_when_the_article_does_not_say(ingested_seeds):
    meeting = Meeting.objects.get(date=dt.date(2025, 4, 25))

    assert meeting.place_ar == ""
    assert "place" not in meeting.provenance
