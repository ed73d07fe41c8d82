"""What a search asks the index for, in terms no engine owns.

`query.py` builds these nodes from what an analyst typed (words, phrases, names with their spellings,
filters); each engine translates them into its own language: the Whoosh engine into Whoosh queries, the
PostgreSQL engine into `tsquery` expressions and SQL conditions. Field names and boosts are those of
`archive/search/schema.py`. Nodes are frozen and hashable, so a query can key a cache of its counts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """Documents whose `field` holds `text` (an analysed term, or a keyword value)."""

    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Phrase:
    """Documents whose `field` holds `terms` next to each other, in this order."""

    field: str
    terms: tuple[str, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class Prefix:
    """Documents whose `field` holds a term starting with `text` (an engine may bound the expansion)."""

    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class DateRange:
    """Documents whose date `field` lies in [start, end]; an open end is None."""

    field: str
    start: datetime.datetime | None
    end: datetime.datetime | None


@dataclass(frozen=True)
class And:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """Any of the parts; a document's score adds up the parts it matches."""

    parts: tuple[Node, ...]


@dataclass(frozen=True)
class AndNot:
    """What `positive` matches, less what `negative` matches (which adds nothing to the score)."""

    positive: Node
    negative: Node


@dataclass(frozen=True)
class Every:
    """Every document (a search with filters only)."""


@dataclass(frozen=True)
class Nothing:
    """No document (a filter naming an official who does not exist)."""


Node = Term | Phrase | Prefix | DateRange | And | Or | AndNot | Every | Nothing


def any_of(nodes: list[Node]) -> Node:
    return nodes[0] if len(nodes) == 1 else Or(tuple(nodes))


def all_of(nodes: list[Node]) -> Node:
    return nodes[0] if len(nodes) == 1 else And(tuple(nodes))
