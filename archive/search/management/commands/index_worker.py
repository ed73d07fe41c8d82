import signal
import threading

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from archive.search.indexing import POLL_SECONDS, search_index_worker


class Command(BaseCommand):
    help = (
        "Write the changes recorded in the outbox to the search index, until stopped (SIGTERM or Ctrl-C). "
        "For deployments with several web processes, run with SEARCH_INDEX_WRITER=worker; a killed "
        "worker loses nothing: the next one finishes its work."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--poll", type=float, default=POLL_SECONDS, help="Seconds between looks at the outbox."
        )

    def handle(self, *args, poll, **options):
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_args: stop.set())
        self.stdout.write(_("Index worker started; waiting for changes."))
        search_index_worker(stop=stop, poll_seconds=poll)
        self.stdout.write(_("Index worker stopped."))
