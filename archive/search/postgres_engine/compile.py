"""The query tree (`archive.search.querytree`) as SQL over `search_entry`.

A subtree of terms, phrases and prefixes becomes one `tsquery` (`&`, `|`, `!`, `<->`, `:*`) matched with
one GIN lookup; date ranges and `Every`/`Nothing` become plain SQL around it. Scoring is a sum over the
positive leaves (those not under an `AndNot`'s negative), as Whoosh's `Or` adds up its parts: BM25F per
leaf, as backend.py computes it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from archive.search import querytree as qt
from archive.search import schema
from archive.search.postgres_engine.documents import FIELD_CODES, lexeme


@dataclass(frozen=True)
class Leaf:
    """A part of the query that adds to the score."""

    tsquery: str
    field: str
    boost: float  # the node's (query-time) boost; the field's boost weighs its frequency, as in Whoosh
    kind: str = "term"  # "term", "prefix" or "phrase": how its frequency is read (ranking.py)
    lexeme: str = ""  # a term's lexeme as the entries and the compiled postings hold it
    terms: tuple[str, ...] = ()  # a phrase's words


@dataclass(frozen=True)
class Condition:
    sql: str
    params: tuple


def query_condition(node: qt.Node) -> Condition:
    """The WHERE condition matching what `node` matches."""
    sql, params = _condition(node)
    return Condition(sql, tuple(params))


def query_leaves(node: qt.Node) -> list[Leaf]:
    """The scoring leaves of `node`, in order, each once."""
    found: dict[tuple[str, str], Leaf] = {}
    for leaf in _leaves(node):
        key = (leaf.tsquery, leaf.field)
        if key in found:
            leaf = replace(leaf, boost=found[key].boost + leaf.boost)
        found[key] = leaf
    return list(found.values())


def tsquery(node: qt.Node) -> str | None:
    """The `tsquery` text of `node`, or None when it holds what a `tsquery` cannot say."""
    match node:
        case qt.Term(field, text, _boost):
            return lexeme(field, text) if field in FIELD_CODES else None
        case qt.Prefix(field, text, _boost):
            return f"{lexeme(field, text)}:*" if field in FIELD_CODES and text else None
        case qt.Phrase(field, terms, _boost):
            if field not in FIELD_CODES or not terms:
                return None
            return "(" + " <-> ".join(lexeme(field, term) for term in terms) + ")"
        case qt.And(parts) | qt.Or(parts):
            texts = [tsquery(part) for part in parts]
            if not texts or None in texts:
                return None
            operator = " & " if isinstance(node, qt.And) else " | "
            return "(" + operator.join(texts) + ")"
        case qt.AndNot(positive, negative):
            positive_text, negative_text = tsquery(positive), tsquery(negative)
            if positive_text is None or negative_text is None:
                return None
            return f"({positive_text} & !{negative_text})"
    return None


def _condition(node: qt.Node) -> tuple[str, list]:
    text = tsquery(node)
    if text is not None:
        return "document @@ %s::tsquery", [text]
    match node:
        case qt.Every():
            return "TRUE", []
        case qt.Nothing():
            return "FALSE", []
        case qt.DateRange(_field, start, end):
            sql, params = [], []
            if start is not None:
                sql.append("date >= %s")
                params.append(start.date() if hasattr(start, "date") else start)
            if end is not None:
                sql.append("date <= %s")
                params.append(end.date() if hasattr(end, "date") else end)
            return ("(" + " AND ".join(sql) + ")" if sql else "date IS NOT NULL"), params
        case qt.And(parts) | qt.Or(parts):
            compiled = [_condition(part) for part in parts]
            operator = " AND " if isinstance(node, qt.And) else " OR "
            return "(" + operator.join(sql for sql, _ in compiled) + ")", [
                p for _, ps in compiled for p in ps
            ]
        case qt.AndNot(positive, negative):
            positive_sql, positive_params = _condition(positive)
            negative_sql, negative_params = _condition(negative)
            return f"({positive_sql} AND NOT {negative_sql})", positive_params + negative_params
        case qt.Term() | qt.Prefix() | qt.Phrase():
            return "FALSE", []  # a field no entry holds
    raise TypeError(f"Not a query tree node: {node!r}")


def _leaves(node: qt.Node):
    match node:
        case qt.Term(field, value, boost) | qt.Prefix(field, value, boost) | qt.Phrase(field, value, boost):
            text = tsquery(node)
            if field in schema.TEXT_FIELDS and text is not None:
                kind = {qt.Term: "term", qt.Prefix: "prefix", qt.Phrase: "phrase"}[type(node)]
                term = FIELD_CODES[field] + value if kind == "term" else ""
                yield Leaf(text, field, boost, kind, term, tuple(value) if kind == "phrase" else ())
        case qt.And(parts) | qt.Or(parts):
            for part in parts:
                yield from _leaves(part)
        case qt.AndNot(positive, _negative):
            yield from _leaves(positive)
