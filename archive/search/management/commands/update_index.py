"""Haystack's `update_index`, as this project's: the live index brought in line with the database.

Haystack's own re-indexes every object through the backend's `update`; here the database is the truth and
the index already follows it through the outbox, so this writes what is still pending and repairs what
drifted (entries missing, stale, or of articles hidden or deleted since: haystack's `--remove`, always).
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from archive.search.engine import IndexBusy
from archive.search.indexing import search_index_check, search_index_repair, search_index_sync


class Command(BaseCommand):
    help = (
        "Bring the live search index in line with the database: write the changes waiting in the outbox, "
        "then re-index the articles that drifted (missing, stale, or hidden or deleted since). "
        "rebuild_index builds the whole index anew instead."
    )

    def handle(self, *args, **options):
        try:
            written = search_index_sync()
            drift = search_index_check()
            search_index_repair(drift=drift)
        except IndexBusy:
            message = _("Another writer (a rebuild?) keeps the search index locked: try again later.")
            raise CommandError(message) from None
        repaired = len(drift.missing) + len(drift.stale) + len(drift.extra)
        self.stdout.write(
            _("Wrote %(written)d pending changes and repaired %(repaired)d articles that drifted.")
            % {"written": written, "repaired": repaired}
        )
