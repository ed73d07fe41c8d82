from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "archive.search"
    verbose_name = _("Search")

    def ready(self):
        # Edits made through the admin or the ORM reach the index through a queue (see signals.py).
        if getattr(settings, "SEARCH_REALTIME", True):
            from archive.search import signals

            signals.connect()
