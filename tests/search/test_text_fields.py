"""A text field's postings are those Whoosh's own TEXT field makes from the same analyzer.

`ArabicText` computes its postings from the Arabic text module's word caches instead of running its
analyzer token by token, and a rebuild's worker processes pack them (`Analysed`) for the writer's pool.
Both must give what Whoosh's `TEXT.index` gives: the terms in the same order, their frequencies and
weights, and the positions encoded as Whoosh's format encodes them (which its readers decode for phrases).
"""

import itertools
from array import array

import pytest
from haystack import connections
from whoosh.fields import TEXT

from archive.search import schema
from tests.search.conftest import SEEDS

pytestmark = pytest.mark.whoosh_only

TEXTS = [
    *(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))),
    "وزير الخارجية الروسي سيرغي لافروف، ووزير الخارجية الطاجيكي سراج الدين مهر الدين: وزير وزير وزير",
    "محمد ﷺ في المدينة، والمؤتمر الصحفي في ٢٠٢٢ في موسكو",  # a ligature of several words, Indic digits
    "",
]


def whoosh_postings(field, text: str) -> list[tuple]:
    """The postings Whoosh's own TEXT field makes with the field's analyzer, format and boost."""
    plain = TEXT(analyzer=field.analyzer, phrase=field.format.__class__.__name__ == "Positions")
    plain.format = field.format
    return list(plain.index(text))


@pytest.mark.parametrize("name", list(schema.TEXT_FIELDS))
def test_it_indexes_what_whoosh_indexes_with_the_same_analyzer(name):
    field = connections["default"].get_backend().store.schema[name]

    for text in TEXTS:
        assert field.index(text) == whoosh_postings(field, text), (name, text[:40])
    assert any(field.index(text) for text in TEXTS)


class Packed:
    """`index`'s (term, frequency, weight, value) items packed column by column, as `Analysed` holds them."""

    def __init__(self, items: list):
        self.terms = [tbytes for tbytes, _freq, _weight, _vbytes in items]
        self.weights = array("d", [weight for _tbytes, _freq, weight, _vbytes in items]).tobytes()
        self.values = b"".join(vbytes for _tbytes, _freq, _weight, vbytes in items)
        self.ends = array("I", itertools.accumulate(len(vbytes) for *_rest, vbytes in items)).tobytes()
        self.length = sum(freq for _tbytes, freq, _weight, _vbytes in items)


@pytest.mark.parametrize("name", list(schema.TEXT_FIELDS))
def test_it_packs_for_a_worker_what_it_indexes(name):
    field = connections["default"].get_backend().store.schema[name]

    for text in TEXTS:
        packed, unpacked = field.analysed(text), Packed(field.index(text))
        assert [packed.terms, packed.weights, packed.values, packed.ends, packed.length] == [
            unpacked.terms,
            unpacked.weights,
            unpacked.values,
            unpacked.ends,
            unpacked.length,
        ], (name, text[:40])
