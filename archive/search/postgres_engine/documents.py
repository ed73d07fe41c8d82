"""An article's search entry in PostgreSQL terms: one `tsvector` holding every field.

Each term is prefixed with a one-letter code of its field (`aوزير` is the stemmed body's `وزير`, `bوزير`
the title's), so that one vector and one GIN index answer a whole query tree, phrases included: `<->`
compares positions of the same prefixed lexemes only. The terms are those the Whoosh engine indexes
(`archive.search.analysis.index_terms`); keyword values (source, year, officials, places, meetings) are
lexemes without positions. Literals are built here rather than by `to_tsvector`, whose parser would split
and fold terms that Diwan's own analysis already made.
"""

from __future__ import annotations

from archive.search import schema
from archive.search.analysis import index_terms

FIELD_CODES = {
    schema.TEXT: "a",
    schema.TITLE: "b",
    schema.TEXT_NORM: "c",
    schema.TITLE_NORM: "d",
    schema.TEXT_WRITTEN: "e",
    schema.TITLE_WRITTEN: "f",
    schema.NAMES: "g",
    schema.SOURCE: "s",
    schema.YEAR: "y",
    schema.OFFICIALS: "o",
    schema.PLACES: "p",
    schema.MEETINGS: "m",
}
KEYWORD_FIELDS = (schema.SOURCE, schema.YEAR, *schema.KEYWORD_LISTS)
# PostgreSQL keeps positions 1..16383 (larger ones become 16383) and at most 256 per lexeme.
MAX_POSITION = 16383
MAX_POSITIONS = 256


def lexeme(field: str, text: str) -> str:
    """The quoted `tsvector`/`tsquery` literal of one term of `field`."""
    value = FIELD_CODES[field] + text
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


def entry_row(document: dict) -> dict:
    """The `SearchEntry` columns of one prepared document (`ArticleIndex.full_prepare`)."""
    parts: list[str] = []
    lengths = {}
    for name, spec in schema.TEXT_FIELDS.items():
        terms = index_terms(str(document.get(name) or ""), spec.mode)
        lengths[name] = len(terms)
        positions: dict[str, list[int]] = {}
        for position, found in enumerate(terms, start=1):
            positions.setdefault(found, []).append(min(position, MAX_POSITION))
        for found, poses in positions.items():
            parts.append(f"{lexeme(name, found)}:{','.join(map(str, poses[:MAX_POSITIONS]))}")
    for name in KEYWORD_FIELDS:
        for value in _values(document.get(name)):
            parts.append(lexeme(name, value))
    date = document.get(schema.DATE)
    return {
        "document": " ".join(parts),
        "date": date.date() if hasattr(date, "date") else date,
        "year": document.get(schema.YEAR),
        "source": str(document.get(schema.SOURCE) or ""),
        "officials": "\n".join(_values(document.get(schema.OFFICIALS))),
        "places": "\n".join(_values(document.get(schema.PLACES))),
        "text_length": lengths[schema.TEXT],
        "title_length": lengths[schema.TITLE],
        "updated": int(document.get(schema.UPDATED) or 0),
    }


def normalized_terms(document: dict) -> set[str]:
    """The normalised words of the title and body: the vocabulary "did you mean" picks from."""
    return set(index_terms(str(document.get(schema.TEXT_NORM) or ""), "normalized")) | set(
        index_terms(str(document.get(schema.TITLE_NORM) or ""), "normalized")
    )


def _values(value) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple | set):
        return [str(item) for item in value if str(item).strip()]
    return [str(value)]
