from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from archive.articles.services import articles_export


class Command(BaseCommand):
    help = "Write every article as JSON Lines (the import schema plus provenance and structure)."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="File to write (default: standard output).")

    def handle(self, *args, output, **options):
        if output is None:
            count = articles_export(stream=self.stdout)
        else:
            with output.open("w", encoding="utf-8") as stream:
                count = articles_export(stream=stream)
        self.stderr.write(_("Exported %(count)d articles.") % {"count": count})
