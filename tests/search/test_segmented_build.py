"""A rebuild too large for one segment in memory writes several, and searching them answers as one does.

`SEARCH_BUILD_SEGMENT_ARTICLES` bounds the articles of one segment of a rebuild (its postings are held in
memory until the segment is written). The corpus is the parity tests' (the seeds, a few hundred made-up
articles, some deleted, two officials' spellings approved), rebuilt once in one segment and once with the
bound at 100 articles. Each query form the parser builds, in the three modes, each sort and the chosen
filters give the same hits in the same order, scores within SCORE_TOLERANCE (relative: Whoosh sums the
statistics over the segments), the same totals and facet counts. A prefix matches the same articles but
ranks by the words each segment holds, as in any index of several segments; `ال*`, which reaches the
bound of words a prefix stands for in each segment, is left out.
"""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import transaction
from django.test import override_settings
from haystack import connections

from archive.articles.models import Article
from archive.ingest.services import articles_ingest
from archive.search.engine import EngineQuery, search_engine
from archive.search.indexing import search_index_rebuild
from archive.search.querytree import Every
from archive.search.service import SearchParams, _filters, _understand
from archive.search.whoosh_engine.backend import build_segment_size
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
SEGMENT_ARTICLES = 100
CHOICES = [
    {"date_from": datetime.date(2021, 6, 1), "date_to": datetime.date(2022, 3, 31)},
    {"year": 2022},
    {"source": "العربية"},
    {"place": "موسكو"},
]


def all_params() -> list[SearchParams]:
    params = []
    for mode in MODES:
        for text in [*WORDS, *PHRASES, *OPERATORS, *PREFIXES, *NAMES, *TYPED_FILTERS, *RELAXED]:
            params += [SearchParams(q=text, mode=mode, match=match) for match in ("all", "any")]
    for sort in SORTS:
        for text in ["", "موسكو", '"وزير الخارجية"', "-لافروف", "مو*", "مهر الدين", "year:2022"]:
            params.append(SearchParams(q=text, sort=sort))
    for choice in CHOICES:
        for text in ["الخارجية", "لافروف OR موسكو", '"وزير الخارجية"', "موسكو -لافروف"]:
            params.append(SearchParams(q=text, **choice))
    return params


def answers() -> dict[str, tuple]:
    """Every request of `all_params` answered by the live index: hits with scores, total, facets."""
    found = {}
    for params in all_params():
        built = _understand(params)
        query = built.query if params.q.strip() else Every()
        for kind, node in (("query", query), ("relaxed", built.any_query)):
            if node is None:
                continue
            request = EngineQuery(
                query=node, filters=_filters(params), sort=params.sort, limit=None, facets=True
            )
            results = search_engine().execute(request)
            found[f"{params} {kind}"] = (results.hits, results.total, results.facets)
    return found


def live_segment_sizes() -> list[int]:
    index = connections["default"].get_backend().store.live_index()
    return sorted(segment.doc_count() for segment in index._segments())


@pytest.fixture(scope="module")
def _search_index_in_tmp(tmp_path_factory):
    with whoosh_index_in(tmp_path_factory.mktemp("segmented-build") / "whoosh"):
        yield


@pytest.fixture(scope="module")
def _builds(_search_index_in_tmp, django_db_setup, django_db_blocker, tmp_path_factory):
    """The corpus, rebuilt in one segment and then in segments of at most SEGMENT_ARTICLES, with the
    answers of each build; the database rolled back after the module."""
    no_budget = override_settings(SEARCH_TIME_BUDGET_MS=0)  # no answer cut short on a busy machine
    with django_db_blocker.unblock(), transaction.atomic(), no_budget:
        assert not articles_ingest(paths=[SEEDS]).failed
        vocabulary = seed_vocabulary()
        path = tmp_path_factory.mktemp("segmented-corpus") / "made-up.jsonl"
        rows = [made_up_article(n, vocabulary) for n in range(GENERATED)]
        path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows), encoding="utf-8")
        assert not articles_ingest(paths=[path]).failed
        made_up = list(Article.objects.filter(origin__startswith="made-up-").order_by("pk"))
        Article.objects.filter(pk__in=[a.pk for a in made_up[5::29]]).delete()
        _approve("سراج الدين مهر الدين", "Sirojiddin Muhriddin", MINISTER_SPELLINGS)
        _approve("سيرغي لافروف", "Sergey Lavrov", LAVROV_SPELLINGS)
        articles = Article.objects.count()
        assert search_index_rebuild() == articles
        whole = {"segments": live_segment_sizes(), "answers": answers()}
        with override_settings(SEARCH_BUILD_SEGMENT_ARTICLES=SEGMENT_ARTICLES):
            assert search_index_rebuild() == articles
        split = {"segments": live_segment_sizes(), "answers": answers()}
        yield {"articles": articles, "whole": whole, "split": split}
        transaction.set_rollback(True)


@pytest.fixture
def builds(_builds, db):
    return _builds


def test_it_writes_as_few_equal_segments_as_the_bound_allows(builds):
    articles = builds["articles"]
    assert builds["whole"]["segments"] == [articles]
    sizes = builds["split"]["segments"]
    assert len(sizes) == -(-articles // SEGMENT_ARTICLES) > 1
    assert sum(sizes) == articles
    assert max(sizes) <= SEGMENT_ARTICLES
    assert max(sizes) - min(sizes) <= len(sizes)


def test_every_request_answers_as_from_one_segment(builds):
    whole, split = builds["whole"]["answers"], builds["split"]["answers"]
    assert whole.keys() == split.keys()
    assert sum(total for _hits, total, _facets in whole.values()) > 5000  # not a comparison of empty answers
    compared = 0
    for label, (hits, total, facets) in split.items():
        expected_hits, expected_total, expected_facets = whole[label]
        if "ال*" in label:
            # A prefix stands for at most MAX_PREFIX_TERMS words of each segment: `ال*` reaches the bound.
            continue
        compared += 1
        assert (total, facets) == (expected_total, expected_facets), label
        if "*" in label and "relevance" in label:
            # Whoosh expands a prefix in each segment to that segment's words (vector.py): the same
            # articles match, their scores depend on how the words fall into segments.
            assert sorted(pk for pk, _ in hits) == sorted(pk for pk, _ in expected_hits), label
            continue
        assert [pk for pk, _ in hits] == [pk for pk, _ in expected_hits], label
        for (_, score), (_, reference) in zip(hits, expected_hits, strict=True):
            assert score == pytest.approx(reference, rel=SCORE_TOLERANCE, abs=1e-12), label
    assert compared > 200


@override_settings(SEARCH_BUILD_SEGMENT_ARTICLES=40_000)
@pytest.mark.parametrize(
    ("articles", "per_segment"),
    [(0, 1), (1, 1), (40_000, 40_000), (40_001, 20_001), (157_615, 39_404)],
)
def test_it_sizes_the_segments_of_an_archive_of_any_size(articles, per_segment):
    assert build_segment_size(articles) == per_segment
