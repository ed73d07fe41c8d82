"""Haystack's `rebuild_index`, as this project's: one build beside the live index, then the swap.

Haystack's own runs `clear_index` then `update_index`; here that would build twice and empty search in
between. This is `rebuild_search_index` under haystack's name (this app comes before haystack in
INSTALLED_APPS, so Django runs this one).
"""

from archive.search.management.commands import rebuild_search_index


class Command(rebuild_search_index.Command):
    help = (
        "The same as rebuild_search_index: build a new search index from the database beside the live one, "
        "then swap it in (search keeps answering meanwhile, so nothing is asked first)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Accepted as haystack's rebuild_index accepts it; a rebuild asks nothing anyway.",
        )

    def handle(self, *args, interactive, **options):
        super().handle(*args, **options)
