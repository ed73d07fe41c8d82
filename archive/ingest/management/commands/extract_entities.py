import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from archive.ingest.services import articles_extract_entities


class Command(BaseCommand):
    help = (
        "Find the officials and meetings of stored articles and record them as proposals (editors' "
        "decisions are kept). The second pass of a large import: 'ingest --no-extract' loads the "
        "articles quickly, this command then reads them; running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "ids", nargs="*", type=int, help="Only these articles (database ids; default: every article)."
        )

    def handle(self, *args, ids, **options):
        with tqdm(unit=_("article"), file=sys.stderr, disable=not self.stdout.isatty()) as bar:

            def progress(done: int, total: int | None) -> None:
                bar.total = total
                bar.update(done - bar.n)

            summary = articles_extract_entities(article_ids=ids or None, progress=progress)
        for failure in summary.failed:
            self.stderr.write(_("Failed: %(failure)s") % {"failure": failure})
        self.stdout.write(
            _("Read: %(done)d, failed: %(failed)d") % {"done": summary.done, "failed": len(summary.failed)}
        )
        if summary.failed:
            raise CommandError(
                ngettext(
                    "%(count)d article failed; the others were read.",
                    "%(count)d articles failed; the others were read.",
                    len(summary.failed),
                )
                % {"count": len(summary.failed)}
            )
