import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from archive.articles.models import Article
from archive.ingest import services
from archive.ingest.services import articles_ingest

COMPARED = [
    "origin",
    "title",
    "body",
    "headings",
    "published_on",
    "source",
    "photo_credit",
    "publisher",
    "url",
    "language",
    "content_hash",
    "original_delta",
    "is_visible",
]


def snapshot() -> list[dict]:
    return list(Article.objects.order_by("origin").values(*COMPARED))


def write_jsonl(path, *records) -> None:
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records) + "\n",
        encoding="utf-8",
    )


@pytest.mark.django_db
def test_it_imports_json_lines_and_reports_bad_lines_by_file_line_and_field(tmp_path):
    feed = tmp_path / "feed.jsonl"
    write_jsonl(
        feed,
        {
            "external_id": "a-1",
            "title": "قمة في موسكو",
            "body": "التقى الرئيسان.\nوبحثا التعاون.",
            "date": "2024-05-01",
        },
        {
            "external_id": "a-2",
            "title": "",
            "body": "خبر بلا عنوان.",
            "source": "تاس",
            "url": "https://example.org/a-2",
        },
        {"external_id": "a-3", "title": "تاريخ خاطئ", "body": "نص.", "date": "2024-13-01"},
        {"external_id": "a-4", "title": "بلا نص"},
        "{not json",
        {"external_id": "a-6", "body": "نص.", "url": "not a url"},
    )

    summary = articles_ingest(paths=[feed])

    assert (summary.created, summary.updated, summary.unchanged) == (2, 0, 0)
    with translation.override("en"):
        reasons = [str(failure) for failure in summary.failed]
    assert reasons[0] == f"{feed}:3: field 'date': not an ISO 8601 date: '2024-13-01'"
    assert reasons[1] == f"{feed}:4: field 'body': missing or empty"
    assert reasons[2].startswith(f"{feed}:5: not valid JSON")
    assert reasons[3].startswith(f"{feed}:6: field 'url': ")
    first = Article.objects.get(origin="a-1")
    assert first.published_on.isoformat() == "2024-05-01"
    assert first.lead == "التقى الرئيسان."
    assert Article.objects.get(origin="a-2").headline == "خبر بلا عنوان."


@pytest.mark.django_db
def test_it_reads_any_file_as_json_lines_with_the_format_option(tmp_path):
    feed = tmp_path / "feed.txt"
    write_jsonl(feed, {"external_id": "x", "title": "عنوان", "body": "نص الخبر."})

    with translation.override("en"):
        call_command("ingest", "--format", "jsonl", str(feed), stdout=StringIO())

    assert Article.objects.get().origin == "x"


@pytest.mark.django_db
def test_it_exits_non_zero_when_a_line_failed(tmp_path):
    feed = tmp_path / "feed.jsonl"
    write_jsonl(feed, {"external_id": "ok", "body": "نص."}, {"external_id": "", "body": "نص."})

    with pytest.raises(CommandError), translation.override("en"):
        call_command("ingest", str(feed), stdout=StringIO(), stderr=StringIO())

    assert Article.objects.get().origin == "ok"


@pytest.mark.django_db
def test_it_round_trips_an_export_through_an_empty_archive(tmp_path, ingested_seeds):
    articles_ingest(paths=[_feed_with_dates(tmp_path)])
    Article.objects.filter(origin="002_32804eb77b22d83d.txt").update(is_visible=False)
    before = snapshot()
    export = tmp_path / "export.jsonl"
    call_command("export_articles", "--output", str(export), stderr=StringIO())
    Article.objects.all().delete()

    summary = articles_ingest(paths=[export])

    assert (summary.created, summary.failed) == (7, [])
    assert snapshot() == before


@pytest.mark.django_db
def test_it_exports_the_import_schema_with_provenance_and_structure(ingested_seeds):
    out = StringIO()
    call_command("export_articles", stdout=out, stderr=StringIO())

    records = {r["origin"]: r for r in map(json.loads, out.getvalue().splitlines())}
    untitled = records["000_900ead7f2c160cfd.txt"]
    assert set(untitled) >= {
        "external_id", "title", "body", "date", "source", "url", "language",
        "origin", "headline", "photo_credit", "publisher", "sections",
    }  # fmt: skip
    assert untitled["title"] == ""
    assert untitled["headline"].startswith("يلتقي وزير الخارجية")
    assert untitled["date"] == "2022-09-05"
    assert [s["heading"] for s in untitled["sections"]] == [
        None,
        "الشراكة الاستراتيجية",
        "مواضيع إقليمية وقضايا أمنية",
    ]


@pytest.mark.django_db
def test_it_finds_an_export_unchanged_in_the_archive_it_came_from(tmp_path, ingested_seeds):
    export = tmp_path / "export.jsonl"
    call_command("export_articles", "--output", str(export), stderr=StringIO())

    summary = articles_ingest(paths=[export])

    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 5)


def _feed_with_dates(tmp_path):
    feed = tmp_path / "dated.jsonl"
    write_jsonl(
        feed,
        {
            "external_id": "d-1",
            "title": "",
            "body": "فقرة أولى.\nعنوان فرعي\nفقرة ثانية.",
            "date": "2021-01-02T10:00:00+03:00",
        },
        {"external_id": "d-2", "title": "بلا تاريخ", "body": "نص.", "language": "ar"},
    )
    return feed


@pytest.mark.django_db
def test_it_predicts_the_real_run_on_a_dry_run_across_batches(tmp_path, monkeypatch):
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    feed = tmp_path / "feed.jsonl"
    write_jsonl(
        feed,
        {"external_id": "a", "body": "نص أول."},
        {"external_id": "b", "body": "نص ثان."},
        {"external_id": "c", "body": "نص أول."},
        {"external_id": "a", "body": "نص أول معدل."},
        {"external_id": "b", "body": "نص ثان."},
    )

    dry = articles_ingest(paths=[feed], dry_run=True)
    assert Article.objects.count() == 0
    real = articles_ingest(paths=[feed])

    counts = [(s.created, s.updated, s.unchanged, len(s.duplicates), len(s.failed)) for s in (dry, real)]
    assert counts == [(2, 1, 1, 1, 0)] * 2
    assert Article.objects.get(origin="a").body == "نص أول معدل."
