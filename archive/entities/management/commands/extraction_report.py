import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from archive.entities.evaluation import compare, extraction_report, load_annotations


class Command(BaseCommand):
    help = (
        "Print, per article, the officials mentioned and the meetings reported (as stored, proposals "
        "included); with --annotations, precision and recall against a hand annotation."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print JSON instead of text.")
        parser.add_argument(
            "--annotations",
            type=Path,
            help="An annotation JSON file, or a folder of them (e.g. tests/fixtures/annotations).",
        )

    def handle(self, *args, **options) -> None:
        report = extraction_report()
        if options["annotations"]:
            report["evaluation"] = compare(
                report=report, annotations=load_annotations(options["annotations"])
            )
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        for article in report["articles"]:
            self.stdout.write(f"{article['origin']}")
            for official in article["officials"]:
                name = official["name_ar"] + (f" ({official['name_en']})" if official["name_en"] else "")
                self.stdout.write(
                    f"  official #{official['id']} {name} — {official['role']} ×{official['count']} "
                    f"[{official['status']}]"
                )
            for meeting in article["meetings"]:
                people = ", ".join(p["name_en"] or p["name_ar"] for p in meeting["participants"])
                self.stdout.write(
                    f"  meeting #{meeting['id']} {meeting['kind']} {meeting['date'] or '?'} "
                    f"{meeting['place'] or '?'}: {people} [{meeting['status']}]"
                )
        evaluation = report.get("evaluation")
        if evaluation:
            self.stdout.write("")
            for field in ("officials", "meetings"):
                self.stdout.write(
                    f"{field}: precision {evaluation[f'{field}_precision']:.3f}, "
                    f"recall {evaluation[f'{field}_recall']:.3f}"
                )
            self.stdout.write(f"places right: {evaluation['places_right']}/{evaluation['meetings_found']}")
            for miss in evaluation["misses"]:
                self.stdout.write(f"  missed: {miss}")
