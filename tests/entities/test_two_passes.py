"""Large imports: load first (`ingest --no-extract`), read officials and meetings in a second pass.

Nadia, the archivist, imports a big corpus overnight; the second pass must give her the same officials and
meetings as a one-pass ingest, be safe to run again, and leave editors' decisions alone.
"""

import json
from io import StringIO

from django.core.management import call_command
from django.utils import translation

from archive.articles.models import Article
from archive.entities.curation import official_reject
from archive.entities.models import Meeting, Mention, Official, OfficialAlias, ReviewStatus
from archive.entities.reading.sentences import may_name_officials
from archive.entities.registry import ExtractionContext
from archive.entities.services import article_extract_entities
from archive.ingest.services import articles_extract_entities, articles_ingest

from .conftest import ANNOTATIONS, OWN_ARTICLES, SEEDS


def command(name: str, *args: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command(name, *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def records() -> tuple:
    """What an analyst sees, by name rather than by database id."""
    return (
        sorted(Official.objects.values_list("name_ar", "role_key", "country_en", "status")),
        sorted(OfficialAlias.objects.values_list("official__name_ar", "key", "status")),
        sorted(Mention.objects.values_list("article__origin", "official__name_ar", "count", "sentence")),
        sorted(
            (
                str(m.date),
                m.place_en,
                m.kind,
                tuple(sorted(m.participants.values_list("name_ar", flat=True))),
                tuple(sorted(m.articles.values_list("origin", flat=True))),
            )
            for m in Meeting.objects.all()
        ),
    )


def test_it_finds_the_annotated_officials_and_meetings_in_a_second_pass(db):
    out = command("ingest", "--no-extract", str(SEEDS), str(OWN_ARTICLES))
    assert "Created: 11" in out
    assert not Mention.objects.exists() and not Meeting.objects.exists()

    assert "Read: 11, failed: 0" in command("extract_entities")

    report = json.loads(command("extraction_report", "--json", "--annotations", str(ANNOTATIONS)))
    evaluation = report["evaluation"]
    assert (evaluation["officials_precision"], evaluation["officials_recall"]) == (1.0, 1.0)
    assert (evaluation["meetings_precision"], evaluation["meetings_recall"]) == (1.0, 1.0)


def test_it_gives_the_same_records_as_a_one_pass_ingest(db):
    articles_ingest(paths=[SEEDS, OWN_ARTICLES])
    one_pass = records()
    Article.objects.all().delete()
    Official.objects.exclude(status=ReviewStatus.APPROVED).delete()
    Meeting.objects.all().delete()

    articles_ingest(paths=[SEEDS, OWN_ARTICLES], extract=False)
    articles_extract_entities()

    assert records() == one_pass


def test_it_changes_nothing_when_the_second_pass_runs_again(ingested_all):
    before = records()

    summary = articles_extract_entities()

    assert summary.done == 11 and not summary.failed
    assert records() == before


def test_it_reads_only_the_articles_asked_for(db):
    articles_ingest(paths=[SEEDS], extract=False)
    lavrov_visit = Article.objects.get(origin="000_900ead7f2c160cfd.txt")

    summary = articles_extract_entities(article_ids=[lavrov_visit.pk])

    assert summary.done == 1
    assert set(Mention.objects.values_list("article_id", flat=True)) == {lavrov_visit.pk}


def test_it_keeps_an_editors_rejection_in_the_second_pass(ingested_all, curator):
    ambassador = Official.objects.get(name_ar="سيميون غريغورييف")
    official_reject(officials=[ambassador], user=curator)

    articles_extract_entities()

    ambassador.refresh_from_db()
    assert ambassador.status == ReviewStatus.REJECTED
    assert not Mention.objects.filter(official=ambassador).exists()


def test_it_sees_what_others_wrote_once_the_registry_is_read_again(ingested_seeds):
    context = ExtractionContext()
    lavrov = Official.objects.get(name_en="Sergey Lavrov")
    assert context.official(lavrov.pk).status == lavrov.status
    Official.objects.filter(pk=lavrov.pk).update(status=ReviewStatus.REJECTED)

    context.invalidate()

    assert context.official(lavrov.pk).status == ReviewStatus.REJECTED


def test_it_takes_an_editors_decision_made_during_a_long_run_into_account(ingested_seeds, curator):
    context = ExtractionContext()
    ambassador = Official.objects.get(name_ar="سيميون غريغورييف")
    assert context.official(ambassador.pk).status == ReviewStatus.PROPOSED

    official_reject(officials=[ambassador], user=curator)
    context.check_decisions()  # what ingest does before each batch

    assert context.official(ambassador.pk).status == ReviewStatus.REJECTED


def test_it_forgets_a_dropped_proposal_for_the_rest_of_the_run(ingested_seeds):
    context = ExtractionContext()
    article = Article.objects.get(origin="001_e85774afd2b191b1.txt")
    ambassador = Official.objects.get(name_ar="سيميون غريغورييف")
    text = [b for b in article.blocks if "غريغورييف" in b["text"]]
    article.blocks = [b for b in article.blocks if "غريغورييف" not in b["text"]]
    article.save()
    article_extract_entities(article=article, context=context)
    assert not Official.objects.filter(pk=ambassador.pk).exists()

    # The corrected text goes back in, later in the same run: the ambassador is proposed anew.
    article.blocks = [*article.blocks, *text]
    article.save()
    article_extract_entities(article=article, context=context)

    again = Official.objects.get(name_ar="سيميون غريغورييف")
    assert again.pk != ambassador.pk
    assert article.mentions.filter(official=again).exists()


def test_it_skips_only_texts_where_no_official_can_be_named():
    weather = ["تشهد البلاد موجة حر شديدة خلال الأسبوع المقبل مع ارتفاع درجات الحرارة."]
    visit = ["وصل وزير الخارجية الروسي سيرغي لافروف إلى دوشنبه."]
    headline_only = ["لافروف في دوشنبه"]

    assert not may_name_officials(title="", paragraphs=weather)
    assert may_name_officials(title="", paragraphs=visit)
    assert may_name_officials(title="", paragraphs=["وقال الرئيس إن ..."])  # an attached و
    assert not may_name_officials(title="", paragraphs=headline_only)
    assert may_name_officials(title="", paragraphs=headline_only, known_names={"لافروف": "لافروف"})
