"""The Whoosh analyzers: picklable, positions and offsets kept, same terms as the text module."""

import pickle

from hypothesis import given
from hypothesis import strategies as st
from whoosh import fields, highlight
from whoosh.filedb.filestore import RamStorage
from whoosh.qparser import QueryParser

from archive.search.whoosh_engine.fields import arabic_analyzer
from archive.text.arabic import terms

TEXT = "أعلن وزيرُ الخارجيةِ في موسكو عن الهِجْرَة عام ٢٠٢٥."


def test_it_survives_pickling_as_whoosh_does_with_the_schema():
    for analyzer in map(arabic_analyzer, ("stemmed", "normalized", "exact", "written")):
        assert pickle.loads(pickle.dumps(analyzer)) == analyzer


def test_it_yields_the_same_terms_as_the_text_module():
    for mode in ("stemmed", "normalized"):
        assert [t.text for t in arabic_analyzer(mode)(TEXT)] == terms(TEXT, mode=mode)


def test_it_keeps_offsets_into_the_original_text():
    tokens = [(t.text, t.startchar, t.endchar) for t in arabic_analyzer("stemmed")(TEXT, chars=True)]
    for _, start, end in tokens:
        assert TEXT[start:end].strip() == TEXT[start:end]
    assert TEXT[tokens[2][1] : tokens[2][2]] == "الخارجيةِ"


def _index(docs):
    schema = fields.Schema(
        id=fields.ID(stored=True), body=fields.TEXT(analyzer=arabic_analyzer("stemmed"), stored=True)
    )
    ix = RamStorage().create_index(schema)
    with ix.writer() as writer:
        for i, body in enumerate(docs):
            writer.add_document(id=str(i), body=body)
    return ix


def test_it_finds_words_across_spellings_and_phrases_across_stop_words():
    ix = _index([TEXT, "وزير الزراعة في دوشنبه"])
    parser = QueryParser("body", ix.schema)
    with ix.searcher() as searcher:

        def ids(q):
            return sorted(hit["id"] for hit in searcher.search(parser.parse(q)))

        assert ids("هجره") == ["0"]
        assert ids("2025") == ["0"]
        assert ids('"الخارجية في موسكو"') == ["0"]
        assert ids('"وزير موسكو"') == []
        assert ids("وزير") == ["0", "1"]


def test_it_highlights_the_word_as_written():
    ix = _index([TEXT])
    with ix.searcher() as searcher:
        hits = searcher.search(QueryParser("body", ix.schema).parse("هجره"))
        hits.formatter = highlight.HtmlFormatter(tagname="mark")
        assert "<mark" in hits[0].highlights("body")
        assert "الهِجْرَة</mark>" in hits[0].highlights("body")


@given(
    st.text(
        st.one_of(st.characters(min_codepoint=0x0600, max_codepoint=0x06FF), st.characters()), max_size=80
    )
)
def test_it_agrees_with_the_query_side_on_any_text(text):
    for mode in ("stemmed", "normalized", "exact"):
        tokens = [
            (t.text, t.pos, t.startchar, t.endchar)
            for t in arabic_analyzer(mode)(text, positions=True, chars=True)
        ]
        assert [t[0] for t in tokens] == terms(text, mode=mode)
        assert [t[1] for t in tokens] == list(range(len(tokens)))
        for _, _, start, end in tokens:
            assert 0 <= start < end <= len(text)
