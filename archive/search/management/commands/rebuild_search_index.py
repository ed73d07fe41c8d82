import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from archive.search.indexing import search_index_rebuild


class Command(BaseCommand):
    help = (
        "Build a new search index from the database beside the live one, then swap it in: "
        "search keeps answering from the old index until the new one is complete."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--procs",
            type=int,
            default=1,
            help="Writer processes (Whoosh multiprocessing), one index segment each; 1 writes the "
            "smallest index.",
        )

        parser.add_argument(
            "--jobs",
            type=int,
            default=None,
            help="Processes analysing the text beside the one writer (0: the writer analyses it and "
            "writes each segment alone; default: one per core, for 2,000 articles or more; with two "
            "cores or more, a second process also writes half of each large segment).",
        )
        parser.add_argument(
            "--limitmb",
            type=int,
            default=None,
            help="Memory for each writer process's posting pool in MB (default: 70 per 1,000 articles, "
            "at most 768 for all processes together; held only during the build); more is faster on "
            "large archives.",
        )

    def handle(self, *args, procs, limitmb, jobs, **options):
        if procs < 1:
            raise CommandError(_("--procs must be at least 1."))
        if jobs is not None and jobs < 0:
            raise CommandError(_("--jobs must be 0 or more."))
        if jobs and procs > 1:
            raise CommandError(_("--jobs goes with one writer: --procs analyses in each writer process."))
        # The bar goes to stderr and only on a terminal, so logs and pipes get the summary alone.
        with tqdm(unit=_("article"), file=sys.stderr, disable=not self.stdout.isatty()) as bar:

            def progress(done: int, total: int | None) -> None:
                bar.total = total
                bar.update(done - bar.n)

            try:
                count = search_index_rebuild(progress=progress, procs=procs, limitmb=limitmb, jobs=jobs)
            except KeyboardInterrupt:
                raise CommandError(_("Interrupted: the live index was left as it was.")) from None
        self.stdout.write(_("Indexed %(count)d articles; the new index is live.") % {"count": count})
