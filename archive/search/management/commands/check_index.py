from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from archive.search.engine import search_engine
from archive.search.indexing import IndexDrift, search_index_check, search_index_repair

SHOWN_IDS = 20


class Command(BaseCommand):
    help = (
        "Compare the search index with the database: articles missing from the index, indexed before "
        "their last change (stale), or indexed although hidden or deleted (extra), and the changes still "
        "waiting in the outbox. Exits non-zero on drift."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Re-index the articles that drifted.")

    def handle(self, *args, fix, **options):
        drift = search_index_check()
        self._report(drift)
        engine = search_engine()
        derived = engine.derived_files()
        if fix and not all(files.complete for files in derived):
            engine.derived_files_complete()
        if not drift.clean and fix:
            search_index_repair(drift=drift)
            drift = search_index_check()
            self.stdout.write(_("After repair:"))
            self._report(drift)
        # Not drift either: what is missing there is read from the entries, only slower.
        for files in engine.derived_files() if fix else derived:
            line = _("%(name)s: %(present)d of %(expected)d") % {
                "name": files.name,
                "present": files.present,
                "expected": files.expected,
            }
            if not files.complete:
                line += " " + _("(run with --fix to write the rest)")
            self.stdout.write(line)
        if not drift.clean:
            raise CommandError(_("The search index differs from the database (run with --fix to repair)."))
        self.stdout.write(_("The search index matches the database."))

    def _report(self, drift: IndexDrift) -> None:
        for label, ids in (
            (_("missing"), drift.missing),
            (_("stale"), drift.stale),
            (_("extra"), drift.extra),
        ):
            shown = ", ".join(str(pk) for pk in ids[:SHOWN_IDS])
            more = " …" if len(ids) > SHOWN_IDS else ""
            self.stdout.write(f"{label}: {len(ids)}" + (f" ({shown}{more})" if ids else ""))
        # Changes on their way (an index writer not running, or busy) are not drift, but worth knowing.
        self.stdout.write(_("pending in the outbox: %(count)d") % {"count": drift.pending})
