"""Haystack's `clear_index`, as this project's: the index is emptied by swapping in an empty version.

Searches running at that moment finish on the previous version; the ones after it find nothing until
`rebuild_index` (or `update_index`) brings the articles back from the database, which keeps them all.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from archive.search.indexing import search_index_clear

YES = ("y", "yes")


class Command(BaseCommand):
    help = (
        "Empty the search index: an empty version replaces the live one in one step. The database keeps "
        "every article; search finds nothing until rebuild_index or update_index brings them back."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Clear without asking first.",
        )

    def handle(self, *args, interactive, **options):
        if interactive:
            answer = input(_("Search will find nothing until the index is rebuilt. Clear it? [y/N] "))
            if answer.strip().lower() not in YES:
                self.stdout.write(_("Nothing was cleared."))
                return
        search_index_clear()
        self.stdout.write(_("The search index is empty; rebuild_index brings the articles back."))
