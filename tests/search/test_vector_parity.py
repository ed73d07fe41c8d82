"""The vectorised executor answers every query the parser builds as Whoosh's own searcher does.

The corpus: the seed articles through the ingest service, then a few hundred articles made up
deterministically from the seeds' own words (some sharing a day, some without a date), ingested in
batches so that the index has several segments, then some deleted and some edited (deleted documents in
older segments), then an editor approves two officials' spellings (the name widening). For each query form
the parser produces (words, phrases, OR, exclusion, title:, prefixes, the three modes, names with their
spellings, the filters typed and chosen, the relaxed any-word query) and each sort, Whoosh's
`searcher.search(query, limit=None, filter=..., sortedby=...)` is compared with `vector_search`: the same
documents, the same count, the same order, scores equal within SCORE_TOLERANCE (relative; both add the same
floating-point terms, in another order), and the same facet counts from the matching documents.
"""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import transaction
from django.test import override_settings
from haystack import connections
from whoosh import query as wq

from archive.articles.models import Article
from archive.ingest.services import articles_ingest
from archive.search.engine import EngineQuery
from archive.search.indexing import search_index_sync
from archive.search.querytree import Every
from archive.search.service import SearchParams, _filters, _understand
from archive.search.whoosh_engine.backend import _sort
from archive.search.whoosh_engine.compile import query_compile
from archive.search.whoosh_engine.facets import facet_pass_count
from archive.search.whoosh_engine.posting_store import stored_postings
from archive.search.whoosh_engine.vector import vector_search
from tests.search.conftest import LAVROV_SPELLINGS, MINISTER_SPELLINGS, SEEDS, _approve, whoosh_index_in
from tests.search.made_up import (
    MODES,
    NAMES,
    OPERATORS,
    PHRASES,
    PREFIXES,
    RELAXED,
    SORTS,
    TYPED_FILTERS,
    WORDS,
    made_up_article,
    seed_vocabulary,
)

pytestmark = pytest.mark.whoosh_only

SCORE_TOLERANCE = 1e-9
GENERATED = 330
STORE_MIN_POSTINGS = 100
BATCHES = 3


@pytest.fixture(scope="module")
def _search_index_in_tmp(tmp_path_factory):
    with whoosh_index_in(tmp_path_factory.mktemp("vector-parity") / "whoosh"):
        yield


@pytest.fixture(scope="module")
def _corpus_rows(_search_index_in_tmp, django_db_setup, django_db_blocker, tmp_path_factory):
    """The corpus in the database and the index for the module's tests, rolled back after them."""
    # Terms of STORE_MIN_POSTINGS postings and more come from the segments' posting stores, the rest from
    # Whoosh's blocks: a query mixes both.
    with (
        override_settings(SEARCH_POSTING_STORE_MIN_POSTINGS=STORE_MIN_POSTINGS),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        _ingest_corpus(tmp_path_factory.mktemp("vector-corpus"))
        yield
        transaction.set_rollback(True)


@pytest.fixture
def corpus(_corpus_rows, db):
    return connections["default"].get_backend().store.searcher()


def _ingest_corpus(folder) -> None:
    assert not articles_ingest(paths=[SEEDS]).failed
    vocabulary = seed_vocabulary()
    per_batch = GENERATED // BATCHES
    for batch in range(BATCHES):
        path = folder / f"batch-{batch}.jsonl"
        rows = [made_up_article(n, vocabulary) for n in range(batch * per_batch, (batch + 1) * per_batch)]
        path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows), encoding="utf-8")
        assert not articles_ingest(paths=[path]).failed
    made_up = list(Article.objects.filter(origin__startswith="made-up-").order_by("pk"))
    Article.objects.filter(pk__in=[a.pk for a in made_up[5::29]]).delete()
    for article in made_up[11::31]:
        article.title = f"{article.title} موسكو"
        article.save()
    _approve("سراج الدين مهر الدين", "Sirojiddin Muhriddin", MINISTER_SPELLINGS)
    _approve("سيرغي لافروف", "Sergey Lavrov", LAVROV_SPELLINGS)
    search_index_sync()


def whoosh_query(params: SearchParams):
    """The Whoosh queries the search service runs for `params`: the query, its relaxed form, the filter."""
    built = _understand(params)
    query = built.query if params.q.strip() else Every()
    filters = _filters(params)
    return tuple(
        query_compile(node=node) if node is not None else None for node in (query, built.any_query, filters)
    )


def _sorting(query, params: SearchParams) -> dict:
    """The engine's Whoosh sort arguments for `params` (it reads the sort and whether the query is Every)."""
    return _sort(EngineQuery(query=Every() if isinstance(query, wq.Every) else query, sort=params.sort))


def whoosh_reference(searcher, query, *, filter, params: SearchParams) -> list[tuple[int, float]]:
    results = searcher.search(query, limit=None, filter=filter, **_sorting(query, params))
    return [(hit.docnum, hit.score if isinstance(hit.score, float) else 0.0) for hit in results]


def assert_same(searcher, query, *, filter, params: SearchParams, label: str) -> int:
    """Whoosh's and the vectorised answer agree on `query`; returns how many documents matched."""
    reference = whoosh_reference(searcher, query, filter=filter, params=params)
    found = vector_search(searcher, query, filter=filter, sort=params.sort)
    assert found.fallback is None, label
    assert found.total == len(reference), label
    assert found.docnums.tolist() == sorted(docnum for docnum, _ in reference), label
    assert [docnum for docnum, _ in found.hits] == [docnum for docnum, _ in reference], label
    by_date = "sortedby" in _sorting(query, params)
    for (_, score), (_, expected) in zip(found.hits, reference, strict=True):
        assert score == (0.0 if by_date else pytest.approx(expected, rel=SCORE_TOLERANCE)), label
    top = vector_search(searcher, query, filter=filter, sort=params.sort, limit=10)
    assert top.hits == found.hits[:10], label
    assert top.total == found.total, label
    if by_date:  # Whoosh's own limited date sort: the same first ten
        limited = searcher.search(query, limit=10, filter=filter, **_sorting(query, params))
        assert [docnum for docnum, _ in top.hits] == [hit.docnum for hit in limited], label
    return found.total


def test_the_corpus_has_several_segments_deleted_documents_and_long_postings(corpus):
    leaves = [subsearcher.reader() for subsearcher, _ in corpus.leaf_searchers()]
    assert len(leaves) >= 3
    assert any(reader.has_deletions() for reader in leaves)
    assert Article.objects.filter(published_on__isnull=True).exists()
    # A term read from several of Whoosh's posting blocks (256 postings each), not only inlined ones.
    assert max(corpus.doc_frequency("text", term) for term in corpus.lexicon("text")) > 256
    # The long lists of each segment from its posting store, the shorter ones from Whoosh's blocks.
    stored = {True: 0, False: 0}
    for reader in leaves:
        for btext, info in reader.iter_field("text"):
            long = info.doc_frequency() >= STORE_MIN_POSTINGS
            assert (stored_postings(reader, "text", btext) is not None) == long
            stored[long] += 1
    assert stored[True] and stored[False]


@pytest.mark.parametrize("mode", MODES)
def test_every_query_form_finds_and_ranks_what_whoosh_does(corpus, mode):
    matched = 0
    for text in [*WORDS, *PHRASES, *OPERATORS, *PREFIXES, *NAMES, *TYPED_FILTERS]:
        for match in ("all", "any"):
            params = SearchParams(q=text, mode=mode, match=match)
            query, _, filter_ = whoosh_query(params)
            if query is not None:
                matched += assert_same(corpus, query, filter=filter_, params=params, label=f"{text} {match}")
    assert matched > 1000  # the forms match documents: the comparison is not of empty answers


@pytest.mark.parametrize("sort", SORTS)
def test_each_sort_orders_as_whoosh_does(corpus, sort):
    for text in ["", "موسكو", '"وزير الخارجية"', "-لافروف", "مو*", "مهر الدين", "year:2022"]:
        params = SearchParams(q=text, sort=sort)
        query, _, filter_ = whoosh_query(params)
        assert_same(corpus, query, filter=filter_, params=params, label=f"{text!r} {sort}")


def test_the_filters_chosen_beside_the_query_restrict_as_whoosh_does(corpus):
    minister = Article.objects.filter(mentions__official__name_ar="سراج الدين مهر الدين").first()
    official = minister.mentions.first().official_id if minister else 1
    choices = [
        {"date_from": datetime.date(2021, 6, 1), "date_to": datetime.date(2022, 3, 31)},
        {"date_from": datetime.date(2022, 1, 1)},
        {"date_to": datetime.date(2021, 12, 31)},
        {"year": 2022},
        {"official": official},
        {"source": "العربية"},
        {"place": "موسكو"},
        {"year": 2021, "source": "فرانس 24"},
    ]
    for choice in choices:
        for text in ["", "الخارجية", "لافروف OR موسكو", '"وزير الخارجية"']:
            for sort in SORTS:
                params = SearchParams(q=text, sort=sort, **choice)
                query, _, filter_ = whoosh_query(params)
                assert_same(corpus, query, filter=filter_, params=params, label=f"{text!r} {choice} {sort}")


def test_the_relaxed_any_word_query_ranks_as_whoosh_does(corpus):
    for text in RELAXED:
        for mode in MODES:
            params = SearchParams(q=text, mode=mode)
            query, any_query, filter_ = whoosh_query(params)
            assert vector_search(corpus, query).total == 0, text
            assert assert_same(corpus, any_query, filter=filter_, params=params, label=text) > 0


def test_the_facet_counts_of_the_matches_are_whoosh_s(corpus):
    folder = connections["default"].get_backend().store.index.storage.folder
    for text in ["", "موسكو", "لافروف OR دوشنبه", '"وزير الخارجية"']:
        query, _, _ = whoosh_query(SearchParams(q=text))
        expected = facet_pass_count(
            corpus, list(corpus.search(query, limit=None).docs()), index_folder=folder
        )
        found = vector_search(corpus, query, limit=10)
        assert facet_pass_count(corpus, found.docnums.tolist(), index_folder=folder) == expected, text
        assert expected.total > 0


def test_a_query_it_cannot_make_exact_is_answered_by_whoosh_and_says_so(corpus):
    query = wq.FuzzyTerm("text", "لافروف", maxdist=1)
    found = vector_search(corpus, query, limit=5)

    reference = corpus.search(query, limit=None)
    assert found.fallback == "FuzzyTerm"
    assert found.total == len(reference) > 0
    assert found.hits == [(hit.docnum, hit.score) for hit in reference[:5]]
