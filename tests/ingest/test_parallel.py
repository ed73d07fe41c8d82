"""An ingest whose parsing and reading run in worker processes stores what an ingest in one process does."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from archive.articles.models import Article, ArticleChange
from archive.entities.models import Meeting, Mention, Official, OfficialAlias
from archive.ingest import preparing, services
from archive.ingest.services import articles_ingest
from tests.entities.conftest import ANNOTATIONS, OWN_ARTICLES, SEEDS


@pytest.fixture
def inputs(tmp_path):
    """The seeds, the articles written for the entity tests, and a folder holding a copy of a seed under
    another name and a JSON Lines file with a bad record and a new article."""
    more = tmp_path / "more"
    more.mkdir()
    seed = next(SEEDS.glob("001_*.txt"))
    (more / "copy_of_001.txt").write_bytes(seed.read_bytes())
    records = [
        {"external_id": "", "body": "لا معرف لهذا السطر"},
        {"external_id": "jsonl-1", "title": "خبر", "body": "التقى وزير الخارجية الروسي سيرغي لافروف نظيره."},
    ]
    jsonl = more / "more.jsonl"
    jsonl.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    return [SEEDS, OWN_ARTICLES, more]


def _summary(summary) -> dict:
    return {
        "created": summary.created,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "duplicates": summary.duplicates,
        "failed": [str(failure) for failure in summary.failed],
    }


def _rows() -> dict:
    """Everything ingest stored, with database ids replaced by what the rows are (ids differ per run)."""
    origin = dict(Article.objects.values_list("pk", "origin"))
    official = {o.pk: (o.name_ar, o.role_key, o.country_en) for o in Official.objects.all()}

    def named(provenance):
        if isinstance(provenance, list):
            return [named(item) for item in provenance]
        if isinstance(provenance, dict):
            return {
                (str(official[int(k)]) if k.isdigit() else k): (origin[v] if k == "article" else named(v))
                for k, v in provenance.items()
            }
        return provenance

    articles = Article.objects.order_by("origin").values_list(
        "origin", "title", "body", "headings", "original_delta", "published_on", "content_hash", "source"
    )
    return {
        "articles": list(articles),
        "officials": sorted(
            (o.name_ar, o.name_en_suggested, o.role_key, o.role_ar, o.country_en, o.status)
            for o in Official.objects.all()
        ),
        "aliases": sorted(
            (official[a.official_id], a.key, a.name, a.script, a.status) for a in OfficialAlias.objects.all()
        ),
        "mentions": sorted(
            (origin[m.article_id], official[m.official_id], m.surface, m.role_ar, m.count, m.sentence)
            for m in Mention.objects.all()
        ),
        "meetings": sorted(
            json.dumps(
                [
                    m.kind,
                    str(m.date),
                    m.place_ar,
                    sorted(str(official[p.pk]) for p in m.participants.all()),
                    sorted(origin[a.pk] for a in m.articles.all()),
                    named(m.provenance),
                ],
                ensure_ascii=False,
                sort_keys=True,
            )
            for m in Meeting.objects.all()
        ),
        "outbox": sorted({origin[pk] for pk in ArticleChange.objects.values_list("article_id", flat=True)}),
    }


def _evaluation() -> dict:
    out = StringIO()
    with translation.override("en"):
        call_command("extraction_report", "--json", "--annotations", str(ANNOTATIONS), stdout=out)
    return json.loads(out.getvalue())["evaluation"]


def _empty_archive() -> None:
    Meeting.objects.all().delete()
    Official.objects.all().delete()
    Article.objects.all().delete()
    ArticleChange.objects.all().delete()


@pytest.mark.django_db
def test_it_stores_the_same_rows_with_worker_processes_as_in_one_process(inputs, monkeypatch):
    # Small batches and tasks: several batches, each shared between the workers, the next one prepared
    # while the last is written.
    monkeypatch.setattr(services, "BATCH_SIZE", 3)
    monkeypatch.setattr(preparing, "TASK_SIZE", 2)
    runs = {}
    for jobs in (1, 2):
        _empty_archive()
        first = articles_ingest(paths=inputs, jobs=jobs, index=False)
        second = articles_ingest(paths=inputs, jobs=jobs, index=False)
        runs[jobs] = (_summary(first), _summary(second), _rows(), _evaluation())

    serial, parallel = runs[1], runs[2]
    assert serial[0]["created"] == 12
    assert serial[0]["duplicates"] == [(str(inputs[2] / "copy_of_001.txt"), "001_e85774afd2b191b1.txt")]
    assert serial[0]["failed"] == [f"{inputs[2] / 'more.jsonl'}:1: field 'external_id': missing or empty"]
    assert serial[1]["unchanged"] == 12
    assert serial[2]["mentions"] and serial[2]["meetings"]
    assert serial[3]["officials_recall"] == 1.0
    assert parallel == serial


@pytest.mark.django_db
def test_it_reads_the_names_editors_approved_the_same_way_in_worker_processes(inputs, monkeypatch):
    """The workers read with the registry's approved names, as this process does."""
    monkeypatch.setattr(services, "BATCH_SIZE", 3)
    runs = {}
    for jobs in (1, 2):
        _empty_archive()
        articles_ingest(paths=inputs[:1], jobs=jobs, index=False)
        # An editor approves Lavrov's spellings: the next import knows him by his surname alone.
        for alias in OfficialAlias.objects.filter(name__in=["لافروف", "سيرغي لافروف"]):
            alias.status = "approved"
            alias.save()
        Official.objects.filter(aliases__name="لافروف").update(curated=True)
        articles_ingest(paths=inputs[1:], jobs=jobs, index=False)
        runs[jobs] = _rows()
    assert runs[2] == runs[1]
