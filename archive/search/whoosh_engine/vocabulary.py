"""The Whoosh index as the `archive.search.suggest.Vocabulary` that "did you mean" reads."""

from __future__ import annotations


class WhooshVocabulary:
    def __init__(self, reader):
        self.reader = reader

    def doc_frequency(self, fieldname: str, text: str) -> int:
        return self.reader.doc_frequency(fieldname, text)

    def terms_within(self, fieldname: str, text: str, maxdist: int, prefix: int) -> list[str]:
        """Segment by segment: a segment's reader walks its term table with a Levenshtein automaton; an
        index of several segments (after incremental writes) would otherwise fall back to Whoosh's generic
        version, which computes the distance to every term sharing the prefix: ten times slower on an
        archive of 5,000 articles."""
        found: set[str] = set()
        for segment, _ in self.reader.leaf_readers():
            found.update(segment.terms_within(fieldname, text, maxdist, prefix=prefix))
        return sorted(found)  # in term order, as one segment gives them
