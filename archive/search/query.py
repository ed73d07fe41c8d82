"""The query language analysts type, and its translation into a Whoosh query.

Syntax (documented in the README's search section):
- words: all must match by default (`match=all`), any may match with `match=any`;
- `"a phrase"`: the words in that order;
- `OR` (or the Arabic `أو`) between two words or phrases: either may match. `أو` is a stop word, so
  reading it as an operator never loses a search term; the conjunction `و` is never an operator because
  it is written attached to the next word;
- `-word` or `-"a phrase"`: articles containing it are left out;
- `title:word` or `title:"a phrase"` (also `عنوان:`): only in the title.
Nothing a user types raises: unbalanced quotes close at the end, unknown prefixes are read as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import query as wq

from archive.search import textops
from archive.search.fields import is_written_form
from archive.search.names import AliasMatch, NameIndex

OR_WORDS = {"OR", "أو", "او", "|"}
TITLE_PREFIXES = ("title:", "عنوان:")
MAX_CLAUSES = 32  # a pasted paragraph is still a query, but a bounded one
MAX_ALIAS_WORDS = 4


@dataclass(frozen=True)
class FieldSpec:
    name: str
    analysis: str  # how query words become this field's terms
    phrases_via: str = ""  # a field without positions checks word order in this (stemmed) field
    boost: float = 1.0
    written: str = ""  # exact terms that normalisation would change are looked up in this field


# How much a match of the normalised (unstemmed) word adds to the stemmed mode's score: the word as
# written ranks above other words of its stem. Chosen on the training questions (ARCD train, Qur'an QA
# train); see benchmarks/RESULTS-search.md.
NORMALIZED_BONUS = 0.2

# The index fields each strictness mode searches.
MODE_FIELDS = {
    "stemmed": (
        FieldSpec("text", "stemmed"),
        FieldSpec("title", "stemmed"),
        FieldSpec("text_norm", "normalized", "text", boost=NORMALIZED_BONUS),
        FieldSpec("title_norm", "normalized", "title", boost=NORMALIZED_BONUS),
        FieldSpec("official_names", "normalized"),
    ),
    "normalized": (
        FieldSpec("text_norm", "normalized", "text"),
        FieldSpec("title_norm", "normalized", "title"),
        FieldSpec("official_names", "normalized"),
    ),
    "exact": (
        FieldSpec("text_norm", "exact", "text", written="text_written"),
        FieldSpec("title_norm", "exact", "title", written="title_written"),
    ),
}
TITLE_FIELDS = {
    mode: tuple(f for f in fields if f.name.startswith("title")) for mode, fields in MODE_FIELDS.items()
}
OFFICIALS_FIELD = "officials"

_TOKEN = re.compile(r'(?P<neg>-)?(?P<prefix>title:|عنوان:)?(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')


@dataclass(frozen=True)
class Clause:
    text: str
    phrase: bool = False
    title_only: bool = False
    alias: AliasMatch | None = None


@dataclass
class ParsedQuery:
    groups: list[list[Clause]] = field(default_factory=list)  # AND (or ANY) of groups; OR inside one
    excluded: list[Clause] = field(default_factory=list)


@dataclass
class BuiltQuery:
    query: wq.Query | None  # None: nothing searchable was left (only stop words)
    any_query: wq.Query | None  # the same clauses OR-ed: the fallback when nothing has them all
    units: list[tuple[str, ...]]  # term sequences to highlight, in the query's mode
    variants: list[str]
    ignored: list[str]
    has_positive: bool


def parse_query(text: str) -> ParsedQuery:
    """Split what the user typed into clauses; never raises."""
    parsed = ParsedQuery()
    pending_or = False
    clauses = 0
    for match in _TOKEN.finditer(text or ""):
        if clauses >= MAX_CLAUSES:
            break
        phrase, word = match.group("phrase"), match.group("word")
        negated, prefixed = bool(match.group("neg")), bool(match.group("prefix"))
        if word is not None and not negated and not prefixed and word in OR_WORDS:
            pending_or = bool(parsed.groups)
            continue
        body = phrase if phrase is not None else word
        if body is None or not body.strip() or body.strip() == "-":
            continue
        clause = Clause(text=body.strip(), phrase=phrase is not None, title_only=prefixed)
        clauses += 1
        if negated:
            parsed.excluded.append(clause)
        elif pending_or:
            parsed.groups[-1].append(clause)
        else:
            parsed.groups.append([clause])
        pending_or = False
    return parsed


def attach_aliases(parsed: ParsedQuery, names: NameIndex) -> ParsedQuery:
    """Replace words and phrases that spell an approved name of an official by that official.

    Consecutive single words are tried longest first, so `مهر الدين` matches as one name.
    """
    groups: list[list[Clause]] = []
    index = 0
    source = parsed.groups
    while index < len(source):
        group = source[index]
        if _is_plain_word(group):
            for size in range(min(MAX_ALIAS_WORDS, len(source) - index), 0, -1):
                window = source[index : index + size]
                if not all(_is_plain_word(g) for g in window):
                    continue
                words = " ".join(g[0].text for g in window)
                found = names.match(words)
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
    return ParsedQuery(groups=groups, excluded=parsed.excluded)


def _is_plain_word(group: list[Clause]) -> bool:
    return len(group) == 1 and not group[0].phrase and not group[0].title_only


def _with_alias(clause: Clause, names: NameIndex) -> Clause:
    if clause.title_only:
        return clause
    found = names.match(clause.text)
    return Clause(text=clause.text, phrase=clause.phrase, alias=found) if found else clause


def build_query(parsed: ParsedQuery, *, mode: str, match: str) -> BuiltQuery:
    units: list[tuple[str, ...]] = []
    variants: list[str] = []
    ignored: list[str] = []
    positives = []
    for group in parsed.groups:
        alternatives = []
        for clause in group:
            built = _clause_query(clause, mode=mode, units=units, variants=variants)
            if built is None:
                ignored.append(clause.text)
            else:
                alternatives.append(built)
        if alternatives:
            positives.append(alternatives[0] if len(alternatives) == 1 else wq.Or(alternatives))
    negatives = []
    for clause in parsed.excluded:
        built = _clause_query(clause, mode=mode, units=None, variants=None)
        if built is None:
            ignored.append("-" + clause.text)
        else:
            negatives.append(built)

    if positives:
        combined = wq.And(positives) if match == "all" and len(positives) > 1 else _or(positives)
        any_query = _or(positives) if len(positives) > 1 and match == "all" else None
    elif negatives and not parsed.groups:
        combined, any_query = wq.Every(), None
    else:
        combined, any_query = None, None
    if combined is not None and negatives:
        exclusion = _or(negatives)
        combined = wq.AndNot(combined, exclusion)
        any_query = wq.AndNot(any_query, exclusion) if any_query is not None else None
    return BuiltQuery(
        query=combined,
        any_query=any_query,
        units=units,
        variants=variants,
        ignored=ignored,
        has_positive=bool(positives),
    )


def _or(queries: list[wq.Query]) -> wq.Query:
    return queries[0] if len(queries) == 1 else wq.Or(queries)


def _clause_query(clause: Clause, *, mode: str, units: list | None, variants: list | None):
    fields = TITLE_FIELDS[mode] if clause.title_only else MODE_FIELDS[mode]
    if clause.alias is not None:
        spellings = clause.alias.spellings
        options = [q for s in spellings if (q := _text_query(s, fields, True, mode, units)) is not None]
        options.append(wq.Term(OFFICIALS_FIELD, str(clause.alias.official_id)))
        if variants is not None:
            variants.extend(s for s in spellings if s not in variants and s != clause.text)
        return wq.Or(options)
    return _text_query(clause.text, fields, clause.phrase, mode, units)


def _term(spec: FieldSpec, term: str) -> wq.Term:
    field = spec.written if spec.written and is_written_form(term) else spec.name
    return wq.Term(field, term, boost=spec.boost)


def _text_query(text: str, fields, phrase: bool, mode: str, units: list | None):
    per_field = []
    for spec in fields:
        terms = textops.word_terms(text, spec.analysis)
        if not terms:
            continue
        if len(terms) == 1:
            per_field.append(_term(spec, terms[0]))
        elif not phrase:
            per_field.append(wq.And([_term(spec, term) for term in terms]))
        elif not spec.phrases_via:
            per_field.append(wq.Phrase(spec.name, list(terms), boost=spec.boost))
        else:
            # Word order from the stemmed field's positions, spelling from this field's terms.
            stems = list(textops.word_terms(text, "stemmed"))
            in_order = wq.Phrase(spec.phrases_via, stems, boost=spec.boost)
            per_field.append(wq.And([in_order, *(_term(spec, term) for term in terms)]))
    if not per_field:
        return None
    if units is not None:
        terms = textops.word_terms(text, mode)
        if terms:
            if phrase:
                units.append(terms)
            else:
                units.extend((term,) for term in terms)
    return _or(per_field)
