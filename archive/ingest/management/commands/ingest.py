import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from archive.ingest.services import IngestSummary, articles_ingest
from archive.ingest.sources import FORMATS


class Command(BaseCommand):
    help = "Import articles from seed text files, JSON Lines files and folders of them (default: seeds/)."

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="*", type=Path, help="Files or folders to import (default: the seeds/ folder)."
        )
        parser.add_argument(
            "--format",
            dest="fmt",
            choices=FORMATS,
            help="Read every input in this format (default: by extension, .jsonl is JSON Lines).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Parse and compare, but write nothing.")
        parser.add_argument(
            "--no-extract",
            dest="extract",
            action="store_false",
            help=(
                "Store the articles without looking for officials and meetings: faster for large "
                "imports. Run 'extract_entities' afterwards (an updated article keeps its earlier "
                "entities until then)."
            ),
        )
        parser.add_argument(
            "--no-index",
            dest="index",
            action="store_false",
            help=(
                "Leave the search index as it is: for loading in several steps before one "
                "'rebuild_search_index'. Without it, a large import rebuilds the index beside the live one."
            ),
        )

        parser.add_argument(
            "--jobs",
            type=int,
            default=None,
            help=(
                "Worker processes that parse and read the articles (default: one per core for an "
                "import of more than one batch); 1 does everything in this process."
            ),
        )

    def handle(self, *args, paths, fmt, dry_run, extract, index, jobs, verbosity, **options):
        if jobs is not None and jobs < 1:
            raise CommandError(_("--jobs must be at least 1."))
        self.verbosity = verbosity
        paths = paths or [settings.BASE_DIR / "seeds"]
        # The bar goes to stderr and only on a terminal, so logs and pipes get the summary alone.
        with tqdm(unit=_("article"), file=sys.stderr, disable=not self.stdout.isatty()) as bar:

            def progress(done: int, total: int | None) -> None:
                bar.total = total
                bar.update(done - bar.n)

            summary = articles_ingest(
                paths=paths,
                fmt=fmt,
                dry_run=dry_run,
                progress=progress,
                extract=extract,
                index=index,
                jobs=jobs,
            )
        self._report(summary)
        if summary.failed:
            raise CommandError(
                ngettext(
                    "%(count)d input failed; the others were imported.",
                    "%(count)d inputs failed; the others were imported.",
                    len(summary.failed),
                )
                % {"count": len(summary.failed)}
            )

    def _report(self, summary: IngestSummary) -> None:
        for failure in summary.failed:
            self.stderr.write(_("Failed: %(failure)s") % {"failure": failure})
        # Large corpora repeat articles: the count is in the summary, the names on request (-v 2).
        for label, owner in summary.duplicates if self.verbosity >= 2 else []:
            self.stdout.write(
                _("Duplicate: %(input)s has the same text as %(origin)s") % {"input": label, "origin": owner}
            )
        self.stdout.write(
            _(
                "Created: %(created)d, updated: %(updated)d, unchanged: %(unchanged)d, "
                "duplicates: %(duplicates)d, failed: %(failed)d"
            )
            % {
                "created": summary.created,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
                "duplicates": len(summary.duplicates),
                "failed": len(summary.failed),
            }
        )
        if summary.dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
