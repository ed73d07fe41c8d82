"""Curation of officials, spellings and meetings: a review queue with approve/reject/merge actions.

The admin only calls the services in `archive.entities.curation`; they write the admin log and mark the
records curated, so that a later ingest leaves the editor's decision alone. Each module registers the
admins of one part of the curation (Django imports this package when it discovers the admins).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from archive.entities.admin import articles, meetings, officials

__all__ = ["articles", "meetings", "officials"]

# The admin is Diwan's: its name in the header and the window title, in the editor's language.
admin.site.site_header = _("Diwan curation")
admin.site.site_title = _("Diwan")
