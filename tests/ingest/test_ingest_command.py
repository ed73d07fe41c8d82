import random
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from archive.articles.models import Article
from archive.search.engine import search_engine


def ingest(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    with translation.override("en"):
        call_command("ingest", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_it_ingests_the_seeds_by_default_and_indexes_them():
    out, _err = ingest()

    assert "Created: 5, updated: 0, unchanged: 0, duplicates: 0, failed: 0" in out
    assert Article.objects.count() == 5
    untitled = Article.objects.get(origin="000_900ead7f2c160cfd.txt")
    assert untitled.title == ""
    assert untitled.headline.startswith("يلتقي وزير الخارجية الروسي سيرغي لافروف")
    assert "الهجرة" in untitled.body
    assert len(search_engine().indexed_stamps()) == 5


@pytest.mark.django_db
def test_it_changes_nothing_when_run_twice(seeds_dir):
    ingest(str(seeds_dir))
    before = list(Article.objects.values_list("pk", "content_hash", "updated_at").order_by("pk"))

    out, _err = ingest(str(seeds_dir))

    assert "Created: 0, updated: 0, unchanged: 5, duplicates: 0, failed: 0" in out
    assert list(Article.objects.values_list("pk", "content_hash", "updated_at").order_by("pk")) == before


@pytest.mark.django_db
def test_it_updates_the_article_of_a_changed_file(tmp_path, seeds_dir):
    seed = tmp_path / "004_e58cfb67f5e5646e.txt"
    shutil.copy(seeds_dir / seed.name, seed)
    ingest(str(seed))
    article = Article.objects.get()
    seed.write_text(
        seed.read_text(encoding="utf-8").replace("التعاون الأمني", "التعاون العسكري"), encoding="utf-8"
    )

    out, _err = ingest(str(seed))

    assert "Created: 0, updated: 1, unchanged: 0" in out
    changed = Article.objects.get()
    assert changed.pk == article.pk
    assert changed.content_hash != article.content_hash
    assert "التعاون العسكري" in [b["text"] for b in changed.blocks if b["kind"] == "heading"]
    assert "العسكري" in changed.original_text


@pytest.mark.django_db
def test_it_rejects_bad_files_with_their_reasons_while_the_good_ones_go_in(tmp_path, seeds_dir):
    for name in ("001_e85774afd2b191b1.txt", "002_32804eb77b22d83d.txt"):
        shutil.copy(seeds_dir / name, tmp_path / name)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "header_only.txt").write_bytes(b"Ru En\r\n\r\n")
    (tmp_path / "random.txt").write_bytes(random.Random(7).randbytes(4096))

    with pytest.raises(CommandError, match="3 inputs failed"):
        out, err = StringIO(), StringIO()
        with translation.override("en"):
            call_command("ingest", str(tmp_path), stdout=out, stderr=err)

    assert "Created: 2, updated: 0, unchanged: 0, duplicates: 0, failed: 3" in out.getvalue()
    errors = err.getvalue().splitlines()
    assert f"Failed: {tmp_path / 'empty.txt'}: empty file" in errors
    assert f"Failed: {tmp_path / 'header_only.txt'}: only a header, no article text" in errors
    assert any(line.startswith(f"Failed: {tmp_path / 'random.txt'}: binary content") for line in errors)
    assert sorted(Article.objects.values_list("origin", flat=True)) == [
        "001_e85774afd2b191b1.txt",
        "002_32804eb77b22d83d.txt",
    ]


@pytest.mark.django_db
def test_it_reports_a_missing_path(tmp_path):
    with pytest.raises(CommandError, match="1 input failed"), translation.override("en"):
        call_command("ingest", str(tmp_path / "nowhere"), stdout=StringIO(), stderr=StringIO())


@pytest.mark.django_db
def test_it_writes_nothing_on_a_dry_run(seeds_dir):
    out, _err = ingest("--dry-run", str(seeds_dir))

    assert "Created: 5, updated: 0, unchanged: 0" in out
    assert "Dry run: nothing was written." in out
    assert Article.objects.count() == 0
    assert len(search_engine().indexed_stamps()) == 0


@pytest.mark.django_db
def test_it_skips_the_same_text_under_another_name_as_a_duplicate(tmp_path, seeds_dir):
    shutil.copy(seeds_dir / "003_ca72089d0cf560ca.txt", tmp_path / "copy-of-003.txt")
    ingest(str(seeds_dir))

    out, _err = ingest("-v", "2", str(tmp_path))

    assert "has the same text as 003_ca72089d0cf560ca.txt" in out
    assert "duplicates: 1, failed: 0" in out
    assert Article.objects.count() == 5
