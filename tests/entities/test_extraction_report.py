"""`manage.py extraction_report`: what is stored per article, and precision/recall against an annotation."""

import json
from io import StringIO

from django.core.management import call_command
from django.utils import translation

from tests.entities.conftest import ANNOTATIONS


def run(*args: str) -> str:
    """The report as an English-speaking editor reads it (the archive's default language is Arabic)."""
    out = StringIO()
    with translation.override("en"):
        call_command("extraction_report", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_stored_officials_and_meetings_as_json(ingested_seeds):
    report = json.loads(run("--json"))

    article = next(a for a in report["articles"] if a["origin"] == "001_e85774afd2b191b1.txt")
    lavrov = next(o for o in article["officials"] if o["name_en"] == "Sergey Lavrov")
    assert {"id", "name_ar", "name_en", "aliases", "role"} <= set(lavrov)
    assert "Lavrov" in lavrov["aliases"]
    (meeting,) = article["meetings"]
    assert {k: meeting[k] for k in ("date", "place", "kind")} == {
        "date": "2025-02-13",
        "place": "Moscow",
        "kind": "talks",
    }
    assert sorted(p["name_en"] for p in meeting["participants"]) == ["Sergey Lavrov", "Sirojiddin Muhriddin"]
    # Proposals are included: the ambassador is nobody's curated entry yet.
    assert any(o["name_ar"] == "سيميون غريغورييف" and o["status"] == "proposed" for o in article["officials"])


def test_it_scores_the_archive_against_the_annotation(ingested_all):
    report = json.loads(run("--json", "--annotations", str(ANNOTATIONS)))

    evaluation = report["evaluation"]
    assert evaluation["officials_expected"] == 36
    assert evaluation["meetings_expected"] == 14  # interviews and lone officials are not
    assert (evaluation["officials_recall"], evaluation["meetings_recall"]) == (1.0, 1.0)


def test_it_prints_a_readable_summary(ingested_seeds):
    text = run("--annotations", str(ANNOTATIONS / "003_ca72089d0cf560ca.json"))

    assert "003_ca72089d0cf560ca.txt" in text
    assert "visit 2023-06-06 Dushanbe" in text
    assert "officials: precision" in text


def test_it_lists_what_the_annotation_expects_but_the_archive_lacks(db):
    text = run("--annotations", str(ANNOTATIONS / "003_ca72089d0cf560ca.json"))

    assert "  missed: 003_ca72089d0cf560ca.txt: not in the archive" in text
    assert "places right: 0/0" in text


def test_it_prints_role_precision_on_the_annotated_set(ingested_all):
    report = json.loads(run("--json", "--annotations", str(ANNOTATIONS)))
    evaluation = report["evaluation"]
    assert evaluation["roles_stored"] == 29
    assert evaluation["roles_precision"] >= 0.95

    text = run("--annotations", str(ANNOTATIONS))
    line = next(line for line in text.splitlines() if line.startswith("roles: precision"))
    assert float(line.split()[2]) >= 0.95
