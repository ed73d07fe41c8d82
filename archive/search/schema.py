"""Every field of a search document, how its text is analysed, and what a match in it weighs.

Engine-neutral: `ArticleIndex` (search_indexes.py) declares the document with these fields, `query.py`
builds queries over them, the facets count them, and each engine maps them onto its own storage.

The title and body are analysed three ways. Stemmed, with positions (the default mode; every mode's
phrases check word order there); normalised, without positions (the stricter modes, and a small bonus in
the stemmed mode); and the written forms: for each word whose written form differs from its normalised
one (hamza seats, ة, ى), only that written form (the exact mode looks there, beside the normalised field).
An exact query for `إمام` thus finds only words written so; an exact query written without them (`امام`)
looks up the normalised term, matching every spelling that folds to it, since the index cannot tell a
bare alef the writer chose from one normalisation made. A third full copy for the exact mode nearly
doubled build time and index size; kept apart, the written forms do not lengthen the normalised field,
whose length normalisation then is that of the normalised text alone (see `benchmarks/RESULTS-search.md`).
"""

from __future__ import annotations

from dataclasses import dataclass

from archive.text.arabic import word_term

# --- the fields of a document ------------------------------------------------------------------------

TEXT = "text"  # title and body, stemmed, with positions
TITLE = "title"  # the title, stemmed, with positions
TEXT_NORM = "text_norm"  # title and body, normalised
TITLE_NORM = "title_norm"
TEXT_WRITTEN = "text_written"  # the written forms that normalisation changed
TITLE_WRITTEN = "title_written"
NAMES = "official_names"  # every approved spelling of the officials the article mentions, normalised
DATE = "date"  # the publication date (filters, date sort)
YEAR = "year"  # its year (the year facet and filter)
SOURCE = "source"  # one keyword: the source's Arabic name
OFFICIALS = "officials"  # keywords: the ids of the officials the article mentions
PLACES = "places"  # keywords: the Arabic places of the meetings the article reports
MEETINGS = "meetings"  # keywords: the ids of those meetings
UPDATED = "updated"  # the row's last change (microseconds), stored and never searched: drift checks

# A match in the title counts twice a match in the body.
TITLE_BOOST = 2.0


@dataclass(frozen=True)
class TextField:
    mode: str  # the analysis: "stemmed", "normalized", or "written" (the written forms only)
    positions: bool = True  # False saves a third of the field's size where no phrase query needs them
    boost: float = 1.0


TEXT_FIELDS = {
    TEXT: TextField("stemmed"),
    TITLE: TextField("stemmed", boost=TITLE_BOOST),
    TEXT_NORM: TextField("normalized", positions=False),
    TITLE_NORM: TextField("normalized", positions=False, boost=TITLE_BOOST),
    TEXT_WRITTEN: TextField("written", positions=False),
    TITLE_WRITTEN: TextField("written", positions=False, boost=TITLE_BOOST),
    NAMES: TextField("normalized"),
}
TEXT_MODES = ("stemmed", "normalized", "written")
KEYWORD_LISTS = (OFFICIALS, PLACES, MEETINGS)  # several values per document
DOCUMENT_FIELDS = (*TEXT_FIELDS, DATE, YEAR, SOURCE, *KEYWORD_LISTS, UPDATED)

# --- facets ------------------------------------------------------------------------------------------

# Facet name in results -> the field it counts; an article can have several officials and places.
FACETS = {"year": YEAR, "source": SOURCE, "official": OFFICIALS, "place": PLACES}
MULTI_VALUED = {"official", "place"}

# --- the fields each strictness mode searches --------------------------------------------------------


@dataclass(frozen=True)
class FieldSpec:
    name: str
    analysis: str  # how query words become this field's terms
    phrases_via: str = ""  # a field without positions checks word order in this (stemmed) field
    boost: float = 1.0
    written: str = ""  # exact terms that normalisation would change are looked up in this field
    title: bool = False  # searched by `title:` clauses


# How much a match of the normalised (unstemmed) word adds to the stemmed mode's score: the word as
# written ranks above other words of its stem. Chosen on the training questions (ARCD train, Qur'an QA
# train); see benchmarks/RESULTS-search.md.
NORMALIZED_BONUS = 0.2

MODE_FIELDS = {
    "stemmed": (
        FieldSpec(TEXT, "stemmed"),
        FieldSpec(TITLE, "stemmed", title=True),
        FieldSpec(TEXT_NORM, "normalized", TEXT, boost=NORMALIZED_BONUS),
        FieldSpec(TITLE_NORM, "normalized", TITLE, boost=NORMALIZED_BONUS, title=True),
        FieldSpec(NAMES, "normalized"),
    ),
    # The stricter modes search the text alone: officials' other spellings widen the default mode only.
    "normalized": (
        FieldSpec(TEXT_NORM, "normalized", TEXT),
        FieldSpec(TITLE_NORM, "normalized", TITLE, title=True),
    ),
    "exact": (
        FieldSpec(TEXT_NORM, "exact", TEXT, written=TEXT_WRITTEN),
        FieldSpec(TITLE_NORM, "exact", TITLE, written=TITLE_WRITTEN, title=True),
    ),
}


def is_written_form(term: str) -> bool:
    """Whether an exact-mode term lives in the written-forms fields (its normalised form differs)."""
    return word_term(term, "normalized", stopwords=False) != term
