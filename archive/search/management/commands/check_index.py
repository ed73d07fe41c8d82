from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from archive.search.engine import IndexBusy, search_engine
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
        if not drift.clean and fix:
            search_index_repair(drift=drift)
            drift = search_index_check()
            self.stdout.write(_("After repair:"))
            self._report(drift)
        self._report_derived(fix=fix)
        if not drift.clean:
            raise CommandError(_("The search index differs from the database (run with --fix to repair)."))
        self.stdout.write(_("The search index matches the database."))

    def _report_derived(self, *, fix: bool) -> None:
        """The engine's derived files: not drift (where one is missing, search reads the entries, only
        slower), so they never change the exit status, and a failure to write them is only reported."""
        engine = search_engine()
        derived = engine.derived_files()
        if fix and not all(files.complete for files in derived):
            try:
                engine.derived_files_complete()
            except (IndexBusy, OSError) as error:  # another writer kept the lock; a full disk
                self.stderr.write(_("The derived files were not written: %(error)s") % {"error": error})
            derived = engine.derived_files()
        for files in derived:
            figures = {"name": files.name, "present": files.present, "expected": files.expected}
            if files.complete:
                self.stdout.write(_("%(name)s: %(present)d of %(expected)d") % figures)
            elif fix:
                message = _("%(name)s: %(present)d of %(expected)d (the rest could not be written)")
                self.stdout.write(message % figures)
            else:
                message = _("%(name)s: %(present)d of %(expected)d (run with --fix to write the rest)")
                self.stdout.write(message % figures)

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
