"""The query language analysts type, read into clauses, with a note for every part that was not understood.

Syntax (documented in the README's search section):
- words: all must match by default (`match=all`), any may match with `match=any`;
- `"a phrase"`: the words in that order;
- `OR` (or `أو`) between two words or phrases: either may match;
- `AND` between two: both must match, also with `match=any`, and the fallback for queries that no
  article matches whole keeps them together (a detached `و` stays a stop word: it keeps that fallback);
- `-word` or `NOT word`: articles containing it are left out. No Arabic word stands for NOT: `دون`
  and `ليس` ("without", "under", "is not") are common in questions and pasted sentences, where
  reading them as exclusions dropped the very articles sought (8 questions of the evaluation sets);
- `word*`: any word starting with these letters (at least two; the first 200 such words of the index);
- `field:value` or `field:"two words"`: `title:`/`عنوان:` searches the title only; `source:`/`مصدر:`,
  `date:`/`تاريخ:` (YYYY, YYYY-MM or YYYY-MM-DD), `year:`/`سنة:`, `place:`/`مكان:` and
  `official:`/`مسؤول:` (a name or a number) keep the articles the facets of the same name would.
The Arabic operator words are stop words, so reading them as operators never loses a search term.
Nothing a user types raises: what is not understood is read as plain words or left out, and a note
says which.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

OR_WORDS = {"OR", "أو", "او", "|", "||"}
AND_WORDS = {"AND", "&&", "&"}
NOT_WORDS = {"NOT"}
# The names analysts type before a colon, and the filter each stands for.
FIELD_NAMES = {
    "title": "title",
    "عنوان": "title",
    "العنوان": "title",
    "source": "source",
    "مصدر": "source",
    "المصدر": "source",
    "date": "date",
    "تاريخ": "date",
    "التاريخ": "date",
    "year": "year",
    "سنة": "year",
    "السنة": "year",
    "عام": "year",
    "place": "place",
    "مكان": "place",
    "المكان": "place",
    "official": "official",
    "مسؤول": "official",
    "المسؤول": "official",
}
FILTER_FIELDS = ("source", "date", "year", "place", "official")
MIN_PREFIX_LETTERS = 2  # `ل*` would expand to most of the vocabulary

_TOKEN = re.compile(
    r'(?P<neg>-)?(?:(?P<field>[^\W\d_]+):)?(?:"(?P<phrase>[^"]*)(?P<close>"?)|(?P<word>[^\s"]+))'
)
_BRACKETS = re.compile(r"[()\[\]{}]")


@dataclass(frozen=True)
class Clause:
    text: str
    phrase: bool = False
    title_only: bool = False
    alias: object | None = None  # an AliasMatch once names are attached (names.py)
    prefix: bool = False  # `word*`
    field: str = ""  # one of FILTER_FIELDS: a filter, not words to search


@dataclass(frozen=True)
class Note:
    """A part of the query that was not read as typed, and what was done with it instead."""

    part: str
    message: str


@dataclass
class ParsedQuery:
    groups: list[list[Clause]] = field(default_factory=list)  # AND (or ANY) of groups; OR inside one
    excluded: list[Clause] = field(default_factory=list)
    filters: list[Clause] = field(default_factory=list)
    joined: set[int] = field(default_factory=set)  # groups tied to the one before them by AND
    notes: list[Note] = field(default_factory=list)


@dataclass(frozen=True)
class QueryCost:
    """What a query asks of the index, compared with the limits in settings (params.py)."""

    chars: int
    words: int
    operators: int
    longest_phrase: int


def query_cost(text: str) -> QueryCost:
    words = operators = longest = 0
    for match in _TOKEN.finditer(_BRACKETS.sub(" ", text or "")):
        phrase, word = match.group("phrase"), match.group("word")
        if word is not None and not match.group("field") and word in OR_WORDS | AND_WORDS | NOT_WORDS:
            operators += 1
            continue
        body = phrase if phrase is not None else word or ""
        count = len(body.split())
        words += count
        operators += bool(match.group("neg")) + bool(match.group("field")) + body.count("*")
        if phrase is not None:
            longest = max(longest, count)
    return QueryCost(chars=len(text or ""), words=words, operators=operators, longest_phrase=longest)


def parse_query(text: str) -> ParsedQuery:
    """Split what the user typed into clauses; never raises."""
    parsed = ParsedQuery()
    text = text or ""
    if _BRACKETS.search(text):
        parsed.notes.append(Note("( )", _("Brackets do not group words: they were read as spaces.")))
        text = _BRACKETS.sub(" ", text)
    pending: str = ""  # the operator word waiting for its right-hand side
    pending_word = ""
    for match in _TOKEN.finditer(text):
        phrase, word = match.group("phrase"), match.group("word")
        negated, field_name = bool(match.group("neg")), match.group("field")
        if word is not None and not negated and not field_name:
            operator = _operator(word)
            if operator:
                if pending or (not parsed.groups and operator != "not"):
                    _dangling(parsed, pending_word or word)
                pending, pending_word = operator, word
                continue
        if phrase is not None and not match.group("close"):
            parsed.notes.append(Note('"', _("A quotation mark was not closed: the phrase runs to the end.")))
        clause = _clause(parsed, field_name, phrase, word)
        if clause is None:
            pending, pending_word = "", ""
            continue
        if pending == "not":
            negated = True
        if negated:
            parsed.excluded.append(clause)
        elif clause.field:
            parsed.filters.append(clause)
        elif pending == "or" and parsed.groups:
            parsed.groups[-1].append(clause)
        else:
            if pending == "and" and parsed.groups:
                parsed.joined.add(len(parsed.groups))
            parsed.groups.append([clause])
        pending, pending_word = "", ""
    if pending:
        _dangling(parsed, pending_word)
    return parsed


def _operator(word: str) -> str:
    if word in OR_WORDS:
        return "or"
    if word in AND_WORDS:
        return "and"
    if word in NOT_WORDS:
        return "not"
    return ""


def _dangling(parsed: ParsedQuery, word: str) -> None:
    parsed.notes.append(
        Note(word, _("“%(word)s” has nothing to join on one side: it was left out.") % {"word": word})
    )


def _clause(parsed: ParsedQuery, field_name: str | None, phrase: str | None, word: str | None):
    body = (phrase if phrase is not None else word or "").strip()
    target = ""
    if field_name:
        target = FIELD_NAMES.get(field_name.lower(), "")
        if not target:
            parsed.notes.append(
                Note(
                    f"{field_name}:",
                    _("“%(field)s:” is not a field (use %(fields)s): it was searched as words.")
                    % {"field": field_name, "fields": ", ".join(f"{n}:" for n in ("title", *FILTER_FIELDS))},
                )
            )
            body = f"{field_name} {body}"
    elif word is not None and word.endswith(":") and FIELD_NAMES.get(word[:-1].lower()):
        parsed.notes.append(
            Note(
                word, _("“%(field)s” needs a value right after the colon: it was left out.") % {"field": word}
            )
        )
        return None
    if not body or body == "-":
        return None
    if target and target != "title":
        return Clause(text=body, phrase=phrase is not None, field=target)
    prefix = False
    if phrase is None and "*" in body:
        stem = body.rstrip("*")
        if "*" in stem or not stem:
            parsed.notes.append(
                Note(
                    body,
                    _("“*” works only at the end of a word: “%(word)s” was searched without it.")
                    % {"word": body},
                )
            )
        elif len(stem) < MIN_PREFIX_LETTERS:
            parsed.notes.append(
                Note(
                    body,
                    _("“%(word)s”: a prefix needs at least %(count)d letters; it was searched as a word.")
                    % {"word": body, "count": MIN_PREFIX_LETTERS},
                )
            )
        else:
            prefix = True
        body = stem.replace("*", "") if prefix else body.replace("*", " ").strip()
        if not body:
            return None
    return Clause(text=body, phrase=phrase is not None, title_only=target == "title", prefix=prefix)
