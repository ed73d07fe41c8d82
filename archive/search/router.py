"""Searches read from a replica when one is configured (`DATABASE_REPLICA_URL`, PostgreSQL engine).

Only the search entries are read there: pages, the admin and every write use the primary, so an
editor's change is on the page at once, and in search results as soon as the replica has replayed it.
"""

from __future__ import annotations

from django.conf import settings

REPLICA = "replica"


class SearchReplicaRouter:
    def db_for_read(self, model, **hints):
        if model._meta.label == "search.SearchEntry" and REPLICA in settings.DATABASES:
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # migrated on the primary, replicated from it
