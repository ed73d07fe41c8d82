import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from archive.entities.evaluation import compare, extraction_report, load_annotations


class Command(BaseCommand):
    help = (
        "Print, per article, the officials mentioned, the meetings reported with their agenda topics and "
        "the statements quoted (as stored, proposals included); with --annotations, precision and recall "
        "against a hand annotation."
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
            self.stdout.write(article["origin"])
            for official in article["officials"]:
                self.stdout.write(self._official_line(official))
            for meeting in article["meetings"]:
                self.stdout.write(self._meeting_line(meeting))
            for statement in article["statements"]:
                self.stdout.write(self._statement_line(statement))
        evaluation = report.get("evaluation")
        if evaluation:
            self._write_evaluation(evaluation)

    @staticmethod
    def _official_line(official: dict) -> str:
        name = official["name_ar"] + (f" ({official['name_en']})" if official["name_en"] else "")
        return _("  official #%(id)s %(name)s — %(role)s ×%(count)s [%(status)s]") % {
            "id": official["id"],
            "name": name,
            "role": official["role"],
            "count": official["count"],
            "status": official["status"],
        }

    @staticmethod
    def _meeting_line(meeting: dict) -> str:
        line = _("  meeting #%(id)s %(kind)s %(date)s %(place)s: %(people)s [%(status)s]") % {
            "id": meeting["id"],
            "kind": meeting["kind"],
            "date": meeting["date"] or "?",
            "place": meeting["place"] or "?",
            "people": ", ".join(p["name_en"] or p["name_ar"] for p in meeting["participants"]),
            "status": meeting["status"],
        }
        if meeting["topics"]:
            line += " " + _("topics: %(topics)s") % {"topics": ", ".join(meeting["topics"])}
        return line

    @staticmethod
    def _statement_line(statement: dict) -> str:
        return _("  statement #%(id)s %(speaker)s %(verb)s: «%(text)s» [%(status)s]") % {
            "id": statement["id"],
            "speaker": (statement["speaker"] or ["?"])[0],
            "verb": statement["verb"],
            "text": statement["text"],
            "status": statement["status"],
        }

    def _write_evaluation(self, evaluation: dict) -> None:
        self.stdout.write("")
        scores = {
            "officials": _("officials: precision %(precision).3f, recall %(recall).3f"),
            "meetings": _("meetings: precision %(precision).3f, recall %(recall).3f"),
            "statements": _("statements: precision %(precision).3f, recall %(recall).3f"),
            "topics": _("topics: precision %(precision).3f, recall %(recall).3f"),
        }
        for field, line in scores.items():
            precision, recall = evaluation[f"{field}_precision"], evaluation[f"{field}_recall"]
            self.stdout.write(line % {"precision": precision, "recall": recall})
        self.stdout.write(
            _("roles: precision %(precision).3f (%(right)d/%(stored)d right)")
            % {
                "precision": evaluation["roles_precision"],
                "right": evaluation["roles_right"],
                "stored": evaluation["roles_stored"],
            }
        )
        self.stdout.write(
            _("places right: %(right)d/%(found)d")
            % {"right": evaluation["places_right"], "found": evaluation["meetings_found"]}
        )
        for miss in evaluation["misses"] + evaluation["statement_misses"] + evaluation["topic_misses"]:
            self.stdout.write(_("  missed: %(miss)s") % {"miss": miss})
