"""The Whoosh field types and analysis of the document `archive.search.schema` describes.

Analysis is the one Arabic text module's (`archive.text.arabic`): `arabic_analyzer(mode)` gives its terms
as a Whoosh analyzer (queries through Whoosh's own parser, tests), and `ArabicText` indexes a field from
`index_terms` directly. Whoosh pickles the schema with the index, so the analyzers are compositions of
module-level classes with plain attributes (no lambdas or closures). Tokens keep positions (phrase
queries) and character offsets into the original text.
"""

from __future__ import annotations

import pickle
from collections import Counter

from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from whoosh.analysis import Composable, CompositeAnalyzer, Filter, Token, Tokenizer
from whoosh.columns import VarBytesListColumn
from whoosh.fields import DATETIME, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.fields import ID as WHOOSH_ID
from whoosh.formats import Positions
from whoosh.system import pack_uint

from archive.search import schema
from archive.search.analysis import index_terms
from archive.search.schema import is_written_form
from archive.search.whoosh_engine.analysers import Analysed
from archive.text.arabic import MODES, WORD_PATTERN, is_stopword, term, word_term

# --- analyzers ---------------------------------------------------------------------------------------


class ArabicTokenizer(Tokenizer):
    """Words as `archive.text.arabic.tokenize` finds them: never split at a diacritic."""

    def __eq__(self, other):
        return other.__class__ is self.__class__

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            # Whoosh asks for the untokenized value for e.g. prefix/wildcard text: pass it through whole.
            t.original = t.text = value
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar = start_char
                t.endchar = start_char + len(value)
            yield t
            return
        t.boost = 1.0
        for pos, match in enumerate(WORD_PATTERN.finditer(value)):
            t.text = match.group()
            t.stopped = False
            if keeporiginal:
                t.original = t.text
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar = start_char + match.start()
                t.endchar = start_char + match.end()
            yield t


class ArabicTermFilter(Filter):
    """Maps each surface word to its term in one mode and drops (or marks) stop words.

    Positions are renumbered over the words kept, like Whoosh's StopFilter: Whoosh builds a phrase query from
    the kept words only, so a stop word inside a phrase ("وزير في موسكو") must not leave a gap in the index.
    Stop words are dropped in the exact mode too, as `terms(q, mode="exact")` drops them from the query.
    """

    def __init__(self, mode: str = "stemmed", stopwords: bool = True):
        if mode not in MODES:
            raise ValueError(f"unknown analysis mode: {mode!r}")
        self.mode = mode
        self.stopwords = stopwords

    def __eq__(self, other):
        return (
            other.__class__ is self.__class__
            and self.mode == other.mode
            and self.stopwords == other.stopwords
        )

    def __call__(self, tokens):
        mode, stopwords = self.mode, self.stopwords
        pos = None
        for t in tokens:
            if pos is None:
                pos = t.pos if t.positions else 0
            text = word_term(t.text, mode, stopwords)
            if not text:
                if stopwords and not t.removestops and is_stopword(t.text):
                    # Highlighting asks for stopped tokens too; give them their term so nothing odd matches.
                    t.text = term(t.text, mode) or t.text
                    t.stopped = True
                    yield t
                continue
            # A ligature such as ﷺ decomposes to several words: each becomes a term of its own.
            for part in text.split() if " " in text else (text,):
                t.text = part
                t.stopped = False
                if t.positions:
                    t.pos = pos
                pos += 1
                yield t


class WrittenFormsFilter(Filter):
    """The exact (as written) term of each word whose written form differs from its normalised one."""

    def __eq__(self, other):
        return other.__class__ is self.__class__

    def __call__(self, tokens):
        for token in tokens:
            exact = word_term(token.text, "exact")
            if not exact:
                continue
            # A ligature such as ﷺ decomposes to several words: each is a term of its own.
            for part in exact.split(" ") if " " in exact else (exact,):
                if is_written_form(part):
                    token.text = part
                    token.stopped = False
                    yield token


def arabic_analyzer(mode: str = "stemmed") -> Composable:
    """The analyzer of one analysis mode: "stemmed", "normalized", "exact", or "written" (only the written
    forms that normalisation changed; see archive/search/schema.py)."""
    if mode == "written":
        return CompositeAnalyzer(ArabicTokenizer(), WrittenFormsFilter())
    return CompositeAnalyzer(ArabicTokenizer(), ArabicTermFilter(mode=mode))


# --- indexing without Token objects: the terms come from archive/search/analysis.py -------------------


class ArabicText(TEXT):
    """A TEXT field whose postings come from `index_terms` (same terms and positions as its analyzer)."""

    def __init__(self, *, mode: str, **kwargs):
        super().__init__(analyzer=arabic_analyzer(mode), **kwargs)
        self.term_mode = mode

    def index(self, value, **kwargs):
        if isinstance(value, Analysed):  # analysed in a rebuild's worker process (analysers.py)
            return [value.as_item()]
        terms, frequencies, values = self._postings(value)
        boost = self.format.field_boost
        return [
            (found.encode("utf-8"), n, n * boost, encoded)
            for found, n, encoded in zip(terms, frequencies, values, strict=True)
        ]

    def analysed(self, value) -> Analysed:
        """What `index` gives for `value`, packed for the writer's pool (a rebuild's worker processes)."""
        terms, frequencies, values = self._postings(value)
        return Analysed(
            terms=[found.encode("utf-8") for found in terms],
            frequencies=frequencies,
            boost=self.format.field_boost,
            values=values,
        )

    def _postings(self, value) -> tuple[list[str], list[int], list[bytes]]:
        """Each term of `value` in order of first occurrence, its frequency, and its value as the field's
        format encodes it (`Positions.encode`: the count, then the pickled gaps between positions;
        otherwise the count alone), the gaps taken as the terms come."""
        if not isinstance(value, str):
            raise ValueError(f"{value!r} is not unicode")
        terms = index_terms(value, self.term_mode)
        if isinstance(self.format, Positions):
            gaps: dict[str, list[int]] = {}
            last: dict[str, int] = {}
            for pos, found in enumerate(terms):
                found_gaps = gaps.get(found)
                if found_gaps is None:
                    gaps[found] = [pos]
                else:
                    found_gaps.append(pos - last[found])
                last[found] = pos
            frequencies = [len(found_gaps) for found_gaps in gaps.values()]
            values = [pack_uint(len(g)) + pickle.dumps(g, 2) for g in gaps.values()]
            return list(gaps), frequencies, values
        counts = Counter(terms)  # in order of first occurrence, as the positions above
        return list(counts), list(counts.values()), [pack_uint(n) for n in counts.values()]


class KeywordList(KEYWORD):
    """Comma-separated values, also kept as a per-document list column so facets count them fast."""

    def __init__(self):
        super().__init__(stored=False, commas=True, scorable=False)
        self.column_type = VarBytesListColumn()

    def to_column_value(self, value):
        values = value.split(",") if isinstance(value, str) else list(value or ())
        return [item.strip().encode("utf-8") for item in values if item and item.strip()]

    def from_column_value(self, value):
        return [item.decode("utf-8") for item in value]


# --- the schema --------------------------------------------------------------------------------------


def schema_build(*, fields: dict) -> tuple[str, Schema]:
    """The Whoosh schema of haystack's fields (`ArticleIndex`), and the name of its document field.

    Only identifiers are stored: snippets are cut from the database text.
    """
    schema_fields = {
        ID: WHOOSH_ID(stored=True, unique=True),
        DJANGO_CT: WHOOSH_ID(stored=True),
        DJANGO_ID: WHOOSH_ID(stored=True, sortable=True),
    }
    content_field_name = ""
    for field in fields.values():
        name = field.index_fieldname
        if name in schema.TEXT_FIELDS:
            spec = schema.TEXT_FIELDS[name]
            schema_fields[name] = ArabicText(
                mode=spec.mode, stored=False, field_boost=spec.boost, phrase=spec.positions
            )
        elif name in schema.KEYWORD_LISTS:
            schema_fields[name] = KeywordList()
        elif name == schema.SOURCE:
            schema_fields[name] = WHOOSH_ID(stored=False, sortable=True)
        elif name == schema.DATE:
            schema_fields[name] = DATETIME(stored=False, sortable=True)
        elif name == schema.YEAR:
            schema_fields[name] = NUMERIC(stored=False, numtype=int, bits=64, sortable=True)
        elif name == schema.UPDATED:
            # Read back, never searched: no terms, no postings.
            schema_fields[name] = STORED()
        else:
            raise ValueError(f"Field {name!r} is not in archive.search.schema.")
        if field.document:
            content_field_name = name
    if not content_field_name:
        raise ValueError("The search index needs a document=True field.")
    return content_field_name, Schema(**schema_fields)
