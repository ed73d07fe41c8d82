from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "archive.search"
    verbose_name = _("Search")

    def ready(self):
        from archive.articles.changes import article_changes_write_through
        from archive.search import signals
        from archive.search.indexing import search_index_write_through

        # Every change the index must hear of is recorded in the outbox (see signals.py). Who writes it to
        # the index: a web process's writer thread (archive/wsgi.py), `index_worker`, or the command
        # that made the change (ingest).
        signals.connect()
        article_changes_write_through(search_index_write_through)
