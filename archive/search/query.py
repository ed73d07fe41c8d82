"""A parsed query (syntax.py) translated into a query tree (querytree.py), with name variants and filters.

The tree names fields and boosts only: each engine compiles it (archive/search/whoosh_engine/compile.py).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from archive.search.names import BilingualMatch, NameIndex
from archive.search.querytree import And, AndNot, DateRange, Every, Node, Nothing, Or, Phrase, Prefix, Term
from archive.search.schema import (
    DATE,
    MODE_FIELDS,
    NAMES,
    OFFICIALS,
    PLACES,
    SOURCE,
    FieldSpec,
    is_written_form,
)
from archive.search.syntax import Clause, Note, ParsedQuery, parse_query
from archive.text import arabic
from archive.text.arabic import fold_digits, normalize

__all__ = ["BuiltQuery", "EnglishName", "Spelling", "attach_aliases", "build_query", "parse_query"]

MAX_ALIAS_WORDS = 4
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


@dataclass(frozen=True)
class Spelling:
    """A spelling of an official's name that a query searched, as the explanation lists it."""

    text: str
    proposed: bool
    official_id: int


@dataclass(frozen=True)
class EnglishName:
    """An English place, country or source name of a query, and the Arabic name it was searched as."""

    text: str  # as typed
    name_ar: str
    kind: str  # "place", "country" or "source"


@dataclass
class BuiltQuery:
    query: Node | None  # None: nothing searchable was left (only stop words)
    any_query: Node | None  # the same clauses OR-ed: the fallback when nothing has them all
    units: list[tuple[str, ...]]  # term sequences to highlight, in the query's mode
    variants: list[str]
    ignored: list[str]
    spellings: list[Spelling] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    english_names: list[EnglishName] = field(default_factory=list)


def attach_aliases(parsed: ParsedQuery, names: NameIndex) -> ParsedQuery:
    """Replace words and phrases that spell a name of an official by that official, and English names of
    places, countries and sources by their Arabic names.

    Consecutive single words are tried longest first, so `مهر الدين` and `New Delhi` match as one name.
    """
    groups: list[list[Clause]] = []
    joined: set[int] = set()
    index = 0
    source = parsed.groups
    while index < len(source):
        if index in parsed.joined:
            joined.add(len(groups))
        group = source[index]
        if _is_plain_word(group):
            for size in range(min(MAX_ALIAS_WORDS, len(source) - index), 0, -1):
                window = source[index : index + size]
                if not all(_is_plain_word(g) for g in window):
                    continue
                words = " ".join(g[0].text for g in window)
                found = names.match(words) or names.match_english(words)
                if found is not None:
                    groups.append([Clause(text=words, alias=found)])
                    index += size
                    break
            else:
                groups.append(group)
                index += 1
            continue
        groups.append([_with_alias(clause, names) for clause in group])
        index += 1
    return ParsedQuery(
        groups=groups, excluded=parsed.excluded, filters=parsed.filters, joined=joined, notes=parsed.notes
    )


def _is_plain_word(group: list[Clause]) -> bool:
    return len(group) == 1 and not (group[0].phrase or group[0].title_only or group[0].prefix)


def _with_alias(clause: Clause, names: NameIndex) -> Clause:
    if clause.title_only or clause.prefix:
        return clause
    found = names.match(clause.text) or names.match_english(clause.text)
    return Clause(text=clause.text, phrase=clause.phrase, alias=found) if found else clause


def build_query(
    parsed: ParsedQuery, *, mode: str, match: str, names: NameIndex | None = None, widen: bool = True
) -> BuiltQuery:
    """The query tree; `widen=False` searches the words as typed, without the officials' names."""
    built = BuiltQuery(None, None, [], [], [], notes=list(parsed.notes))
    fields = MODE_FIELDS[mode] if widen else tuple(f for f in MODE_FIELDS[mode] if f.name != NAMES)
    runs: list[list[Node]] = []  # groups tied together by an explicit AND
    for index, group in enumerate(parsed.groups):
        alternatives = []
        for clause in group:
            query = _clause_query(clause, mode=mode, fields=fields, built=built)
            if query is None:
                built.ignored.append(clause.text)
            else:
                alternatives.append(query)
        if alternatives:
            if runs and index in parsed.joined:
                runs[-1].append(_or(alternatives))
            else:
                runs.append([_or(alternatives)])
    negatives = []
    for clause in parsed.excluded:
        if clause.field:
            query = _filter_query(clause, names=names, built=built)
        else:
            query = _clause_query(clause, mode=mode, fields=fields, built=None)
        if query is None:
            built.ignored.append("-" + clause.text)
        else:
            negatives.append(query)
    filters = [q for c in parsed.filters if (q := _filter_query(c, names=names, built=built)) is not None]

    if runs:
        tied = [_and(run) for run in runs]
        if match == "all":
            combined = _and([query for run in runs for query in run])
            # The fallback when no article has every word: any of them, keeping what AND ties together.
            built.any_query = _flat_or(tied) if len(tied) > 1 else None
        else:
            combined = _or(tied)
    elif (negatives or filters) and not parsed.groups:
        combined = Every()
    else:
        combined = None
    if combined is not None and filters:
        combined = _and([combined, *filters]) if not isinstance(combined, Every) else _and(filters)
        built.any_query = _and([built.any_query, *filters]) if built.any_query is not None else None
    if combined is not None and negatives:
        exclusion = _or(negatives)
        combined = AndNot(combined, exclusion)
        built.any_query = AndNot(built.any_query, exclusion) if built.any_query is not None else None
    built.query = combined
    return built


def _or(queries: list[Node]) -> Node:
    return queries[0] if len(queries) == 1 else Or(tuple(queries))


def _flat_or(queries: list[Node]) -> Node:
    """`_or` with the ORs inside it opened: the same matches and scores (an OR adds up its parts), read by one
    union matcher instead of a union of unions, which Whoosh fills twice."""
    flat: list[Node] = []
    for query in queries:
        if isinstance(query, Or):
            flat.extend(query.parts)
        else:
            flat.append(query)
    return _or(flat)


def _and(queries: list[Node]) -> Node:
    return queries[0] if len(queries) == 1 else And(tuple(queries))


def _clause_query(clause: Clause, *, mode: str, fields, built: BuiltQuery | None):
    if clause.title_only:
        fields = tuple(f for f in fields if f.title)
    units = built.units if built is not None else None
    if clause.prefix:
        return _prefix_query(clause.text, fields)
    if isinstance(clause.alias, BilingualMatch):
        return _english_name_query(clause, fields=fields, mode=mode, built=built)
    if clause.alias is not None:
        alias = clause.alias
        typed = _text_query(clause.text, fields, clause.phrase, mode, units)
        options = [typed] if typed is not None else []
        options += [q for s in alias.searched if (q := _text_query(s, fields, True, mode, units)) is not None]
        options.append(Term(OFFICIALS, str(alias.official_id)))
        if built is not None:
            built.variants.extend(s for s in alias.spellings if s not in built.variants and s != clause.text)
            known = {s.text for s in built.spellings}
            built.spellings.extend(
                Spelling(s, s in alias.proposed, alias.official_id) for s in alias.spellings if s not in known
            )
        return Or(tuple(options))
    return _text_query(clause.text, fields, clause.phrase, mode, units)


def _english_name_query(clause: Clause, *, fields, mode: str, built: BuiltQuery | None) -> Node:
    """The name as typed, or its Arabic names in the text, or the meetings held there, or the source."""
    units = built.units if built is not None else None
    typed = _text_query(clause.text, fields, clause.phrase, mode, units)
    options = [typed] if typed is not None else []
    for kind, name_ar in clause.alias.names:
        if kind == "source":
            # A source's name in the text is a common word (العربية): only the articles it published.
            options.append(Term(SOURCE, name_ar))
            continue
        if (query := _text_query(name_ar, fields, True, mode, units)) is not None:
            options.append(query)
        options.append(Term(PLACES, name_ar))
        if built is not None:
            if name_ar not in built.variants:
                built.variants.append(name_ar)
            entry = EnglishName(clause.text, name_ar, kind)
            if entry not in built.english_names:
                built.english_names.append(entry)
    return _or(options)


def _prefix_query(text: str, fields) -> Node | None:
    """Words starting with `text`, in the unstemmed fields (a stem is not where a word starts); the engine
    bounds how many words a prefix stands for."""
    options = []
    for spec in fields:
        if spec.analysis == "stemmed":
            continue
        terms = _terms(text, spec.analysis) or (normalize(text).strip(),)
        if len(terms) != 1 or not terms[0]:
            continue
        name = spec.written if spec.written and is_written_form(terms[0]) else spec.name
        options.append(Prefix(name, terms[0], boost=spec.boost))
    return _or(options) if options else None


def _filter_query(clause: Clause, *, names: NameIndex | None, built: BuiltQuery) -> Node | None:
    """A `field:value` clause as the facet filter of the same name; a note when the value is unusable."""
    value = fold_digits(clause.text).strip()
    if clause.field in ("source", "place"):
        # An English name (`place:Moscow`) filters on the Arabic names the table gives it.
        found = names.match_english(clause.text, kind=clause.field) if names is not None else None
        fieldname = SOURCE if clause.field == "source" else PLACES
        values = found.arabic() if found is not None else [clause.text]
        if found is not None:
            built.english_names.extend(EnglishName(clause.text, v, clause.field) for v in values)
        return _or([Term(fieldname, v) for v in values])
    if clause.field == "official":
        if value.isascii() and value.isdigit():
            return Term(OFFICIALS, str(int(value)))
        found = names.match(clause.text) if names is not None else None
        if found is not None:
            return Term(OFFICIALS, str(found.official_id))
        built.notes.append(
            Note(f"official:{clause.text}", _("No official is named “%(name)s”.") % {"name": clause.text})
        )
        return Nothing()
    span = _date_span(value, year_only=clause.field == "year")
    if span is None:
        message = (
            _("“%(value)s” is not a year (use four digits, e.g. 2023): this filter was left out.")
            if clause.field == "year"
            else _("“%(value)s” is not a date (use YYYY, YYYY-MM or YYYY-MM-DD): this filter was left out.")
        )
        built.notes.append(Note(f"{clause.field}:{clause.text}", message % {"value": clause.text}))
        return None
    start, end = span
    return DateRange(DATE, start, end)


def _date_span(value: str, *, year_only: bool) -> tuple[datetime.datetime, datetime.datetime] | None:
    found = _DATE.match(value)
    if found is None or (year_only and found.group(2)):
        return None
    year, month, day = (int(part) if part else None for part in found.groups())
    try:
        first = datetime.date(year, month or 1, day or 1)
        if day:
            last = first
        elif month:
            last = datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)
        else:
            last = datetime.date(year, 12, 31)
    except (ValueError, OverflowError):
        return None
    return datetime.datetime.combine(first, datetime.time.min), datetime.datetime.combine(
        last, datetime.time.max
    )


def _terms(text: str, mode: str) -> tuple[str, ...]:
    """The index terms a query word or phrase becomes in `mode`; empty for a stop word (function words are
    indexed in no mode, so they are dropped from queries in every mode too)."""
    return tuple(arabic.terms(text, mode=mode))


def _term(spec: FieldSpec, term: str) -> Term:
    field = spec.written if spec.written and is_written_form(term) else spec.name
    return Term(field, term, boost=spec.boost)


def _text_query(text: str, fields, phrase: bool, mode: str, units: list | None):
    per_field = []
    for spec in fields:
        terms = _terms(text, spec.analysis)
        if not terms:
            continue
        if len(terms) == 1:
            per_field.append(_term(spec, terms[0]))
        elif not phrase:
            per_field.append(And(tuple(_term(spec, term) for term in terms)))
        elif not spec.phrases_via:
            per_field.append(Phrase(spec.name, tuple(terms), boost=spec.boost))
        else:
            # Word order from the stemmed field's positions, spelling from this field's terms.
            stems = _terms(text, "stemmed")
            in_order = Phrase(spec.phrases_via, stems, boost=spec.boost)
            per_field.append(And((in_order, *(_term(spec, term) for term in terms))))
    if not per_field:
        return None
    if units is not None:
        terms = _terms(text, mode)
        if terms:
            if phrase:
                units.append(terms)
            else:
                units.extend((term,) for term in terms)
    return _or(per_field)
