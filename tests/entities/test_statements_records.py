"""Statements and agenda topics as ingest records them: scored against the annotation, kept through a new
ingest when an editor decided, reviewed in the admin."""

import json
from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from archive.articles.models import Article
from archive.entities.curation import official_merge
from archive.entities.models import MeetingTopic, Official, ReviewStatus, Statement
from archive.entities.services import article_extract_entities
from archive.text.arabic import name_key
from tests.entities.conftest import ANNOTATIONS


def run(*args: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("extraction_report", *args, stdout=out)
    return out.getvalue()


def reingest() -> None:
    for article in Article.objects.all():
        article_extract_entities(article=article)


def test_it_meets_the_statement_and_topic_targets_on_the_annotation(ingested_all):
    evaluation = json.loads(run("--json", "--annotations", str(ANNOTATIONS)))["evaluation"]

    assert evaluation["statements_expected"] == 56
    assert evaluation["statements_precision"] >= 0.9
    assert evaluation["statements_recall"] >= 0.8
    assert evaluation["topics_expected"] == 40
    assert evaluation["topics_precision"] >= 0.9
    assert evaluation["topics_recall"] >= 0.8


def test_it_prints_the_statement_and_topic_figures(ingested_all):
    text = run("--annotations", str(ANNOTATIONS))

    assert "statements: precision 1.000, recall 0.946" in text
    assert "topics: precision 1.000, recall 0.825" in text
    assert "missed: 001_e85774afd2b191b1.txt: statement of وزارة الخارجية الروسية «عنصر مهم" in text


def test_it_lists_statements_and_topics_in_the_json_report(ingested_all):
    report = json.loads(run("--json"))

    article = next(a for a in report["articles"] if a["origin"] == "002_32804eb77b22d83d.txt")
    first = article["statements"][0]
    assert first["speaker"] == ["المكتب الصحفي للحكومة الروسية"]
    assert first["text"].startswith("سيتم إيلاء اهتمام خاص لتنفيذ مشاريع مشتركة")
    talks = next(m for m in article["meetings"] if m["date"] == "2025-04-25")
    assert talks["topics"] == ["culture_humanitarian", "education", "energy", "trade_economy"]
    lavrov = next(a for a in report["articles"] if a["origin"] == "004_e58cfb67f5e5646e.txt")["statements"]
    assert "Sergey Lavrov" in lavrov[0]["speaker"] and "سيرغي لافروف" in lavrov[0]["speaker"]


def test_it_stores_the_quote_at_its_offsets_in_the_body(ingested_all):
    for statement in Statement.objects.select_related("article"):
        assert statement.article.body[statement.start : statement.end] == statement.text


def test_it_ties_a_statement_to_the_meeting_its_speaker_attended(ingested_all):
    statement = Statement.objects.get(text="نحن راضون عن مستوى الحوار السياسي بين بلدينا")

    assert statement.meeting is not None
    assert statement.meeting.participants.filter(pk=statement.official_id).exists()
    assert statement.direct and statement.verb == "وقال"


def test_it_changes_nothing_when_ingest_runs_again(ingested_all):
    def records():
        return (
            sorted(
                Statement.objects.values_list("article_id", "start", "end", "official_id", "institution_id")
            ),
            sorted(MeetingTopic.objects.values_list("meeting_id", "topic__key", "sentence")),
        )

    before = records()
    reingest()
    assert records() == before


def test_it_keeps_an_editors_decisions_through_a_new_ingest(ingested_seeds, curator):
    wrong = Statement.objects.get(text__startswith="الوزيرين ينظران في جدول الاجتماعات")
    wrong.status = ReviewStatus.REJECTED
    wrong.curated = True
    wrong.save()
    edited = Statement.objects.get(text="نيته مناقشة الهجرة")
    edited.text = "نيته مناقشة الهجرة مع لافروف"
    edited.curated = True
    edited.save()
    topic = MeetingTopic.objects.filter(topic__key="health").first()
    topic.status = ReviewStatus.REJECTED
    topic.curated = True
    topic.save()

    reingest()

    assert Statement.objects.get(pk=wrong.pk).status == ReviewStatus.REJECTED
    assert not Statement.objects.filter(
        text__startswith="الوزيرين ينظران", status=ReviewStatus.PROPOSED
    ).exists()
    assert Statement.objects.get(pk=edited.pk).text == "نيته مناقشة الهجرة مع لافروف"
    assert not Statement.objects.filter(text="نيته مناقشة الهجرة").exists()
    assert MeetingTopic.objects.get(pk=topic.pk).status == ReviewStatus.REJECTED


def test_it_moves_statements_with_a_merged_official(ingested_seeds, curator):
    grigoryev = Official.objects.get(aliases__key=name_key("سيميون غريغورييف"))
    twin = Official.objects.create(name_ar="سيميون غريغوريف")
    said = set(grigoryev.statements.values_list("pk", flat=True))

    official_merge(survivor=twin, others=[grigoryev], user=curator)

    assert set(twin.statements.values_list("pk", flat=True)) == said


def admin_url(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(f"admin:entities_{name}", args=args)


def test_it_reviews_statements_and_topics_in_the_admin(client, curator, ingested_seeds):
    client.force_login(curator)
    page = client.get(admin_url("statement_changelist"), {"q": "الهجرة"}).content.decode()
    assert "نيته مناقشة الهجرة" in page
    statement = Statement.objects.get(text="نيته مناقشة الهجرة")

    response = client.post(
        admin_url("statement_changelist"),
        {"action": "approve_statements", "_selected_action": [statement.pk]},
        follow=True,
    )

    assert "1 statement approved." in response.content.decode()
    statement.refresh_from_db()
    assert statement.status == ReviewStatus.APPROVED and statement.curated
    topics = client.get(admin_url("meetingtopic_changelist")).content.decode()
    assert "جدول الأعمال" in topics or "اهتمام خاص" in topics
    vocabulary = client.get(admin_url("topic_changelist")).content.decode()
    assert "Trade and economy" in vocabulary and "الهجرة والعمالة" in vocabulary
    assert client.get(admin_url("topic_change", MeetingTopic.objects.first().topic_id)).status_code == 200
