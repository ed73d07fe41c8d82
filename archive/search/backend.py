"""Haystack's Whoosh engine with an Arabic analyzer (filled in by the search work)."""

from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend


class ArabicWhooshSearchBackend(WhooshSearchBackend):
    pass


class ArabicWhooshEngine(WhooshEngine):
    backend = ArabicWhooshSearchBackend
