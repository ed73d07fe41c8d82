"""Whoosh analyzers built on `archive.text.arabic`, one per strictness mode.

Whoosh pickles the schema with the index, so the analyzers are compositions of module-level classes with
plain attributes (no lambdas or closures). Tokens keep positions (phrase queries) and character offsets
into the original text (highlighting cuts snippets from the text as written, diacritics included).
"""

from whoosh.analysis import Composable, CompositeAnalyzer, Filter, Token, Tokenizer

from archive.text.arabic import MODES, WORD_PATTERN, is_stopword, term, word_term


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
            if " " in text:
                # A ligature such as ﷺ decomposes to several words: each becomes a term of its own.
                for part in text.split():
                    t.text = part
                    t.stopped = False
                    if t.positions:
                        t.pos = pos
                    pos += 1
                    yield t
                continue
            t.text = text
            t.stopped = False
            if t.positions:
                t.pos = pos
            pos += 1
            yield t


def arabic_analyzer(mode: str = "stemmed", stopwords: bool = True) -> Composable:
    """The analyzer for one strictness mode: "stemmed" (default), "normalized" or "exact"."""
    return CompositeAnalyzer(ArabicTokenizer(), ArabicTermFilter(mode=mode, stopwords=stopwords))


def StemmedArabicAnalyzer() -> Composable:
    return arabic_analyzer("stemmed")


def NormalizedArabicAnalyzer() -> Composable:
    return arabic_analyzer("normalized")


def ExactArabicAnalyzer() -> Composable:
    # Stop words are dropped here too, as `terms(q, mode="exact")` drops them from the query: otherwise a
    # phrase with a stop word inside would find a gap in the index positions and match nothing.
    return arabic_analyzer("exact")


_FACTORIES = {
    "stemmed": StemmedArabicAnalyzer,
    "normalized": NormalizedArabicAnalyzer,
    "exact": ExactArabicAnalyzer,
}


def analyzer_for(mode: str) -> Composable:
    """The field analyzer for a strictness mode (query words: `terms(q, mode=mode)` gives the same terms)."""
    try:
        return _FACTORIES[mode]()
    except KeyError:
        raise ValueError(f"unknown analysis mode: {mode!r}") from None
