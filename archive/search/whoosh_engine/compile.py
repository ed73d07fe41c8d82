"""The query tree (`archive.search.querytree`) in Whoosh's terms.

The translation is one to one, so that a tree scores as the Whoosh query `query.py` used to build did:
an `Or` adds up its parts, an `AndNot`'s negative adds nothing. Two things are Whoosh's own here: a prefix
stands for at most MAX_PREFIX_TERMS words, and `Nothing` is Whoosh's `NullQuery`.
"""

from __future__ import annotations

import itertools

from whoosh import query as wq

from archive.search import querytree as qt

# A prefix stands for at most this many words (the first in the index's order): `ال*` would otherwise
# expand to most of the vocabulary before the time budget can stop anything.
MAX_PREFIX_TERMS = 200


class BoundedPrefix(wq.Prefix):
    def _btexts(self, ixreader):
        return itertools.islice(super()._btexts(ixreader), MAX_PREFIX_TERMS)


def query_compile(*, node: qt.Node) -> wq.Query:
    """The Whoosh query that matches and scores as `node` says."""
    return _compile(node)


def _compile(node: qt.Node) -> wq.Query:
    match node:
        case qt.Term(field, text, boost):
            return wq.Term(field, text, boost=boost)
        case qt.Phrase(field, terms, boost):
            return wq.Phrase(field, list(terms), boost=boost)
        case qt.Prefix(field, text, boost):
            return BoundedPrefix(field, text, boost=boost)
        case qt.DateRange(field, start, end):
            return wq.DateRange(field, start, end)
        case qt.And(parts):
            return wq.And([_compile(part) for part in parts])
        case qt.Or(parts):
            return wq.Or([_compile(part) for part in parts])
        case qt.AndNot(positive, negative):
            return wq.AndNot(_compile(positive), _compile(negative))
        case qt.Every():
            return wq.Every()
        case qt.Nothing():
            return wq.NullQuery
    raise TypeError(f"Not a query tree node: {node!r}")
