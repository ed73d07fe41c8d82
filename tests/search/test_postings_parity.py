"""The PostgreSQL engine answers alike whether it ranks from the compiled postings or from the entries.

The corpus is the vector parity test's: the seeds, a few hundred made-up articles in batches, some
deleted, some edited, two officials' spellings approved. Each query form the parser builds (words,
phrases, OR, exclusion, title:, prefixes, the three modes, names with their spellings, the typed and the
chosen filters, the relaxed any-word query) and each sort goes through the engine twice: with
`SEARCH_POSTGRES_POSTINGS` off (every match ranked from its entry, the path the postings replace) and
on. The same hits in the same order, scores equal within SCORE_TOLERANCE (relative: the SQL computes
the length norm in exact decimals, numpy in binary floating point), the same total and facet counts;
and again once some entries changed after the compile, so that both kinds of entry meet in one answer.
"""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import transaction
from django.test import override_settings

from archive.articles.models import Article
from archive.ingest.services import articles_ingest
from archive.search.engine import EngineQuery, search_engine
from archive.search.models import SearchEntry, SearchPostings, SearchRemoved
from archive.search.postgres_engine.postings import maintenance, postings_compile
from archive.search.querytree import Every
from archive.search.service import SearchParams, _filters, _understand, article_search
from tests.search.conftest import LAVROV_SPELLINGS, MINISTER_SPELLINGS, SEEDS, _approve
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

pytestmark = pytest.mark.postgres_engine

SCORE_TOLERANCE = 1e-9
GENERATED = 330


@pytest.fixture(scope="module")
def _corpus(django_db_setup, django_db_blocker, tmp_path_factory):
    """The corpus, its entries and their compiled postings for the module's tests, rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        assert not articles_ingest(paths=[SEEDS]).failed
        folder = tmp_path_factory.mktemp("postings-corpus")
        vocabulary = seed_vocabulary()
        path = folder / "made-up.jsonl"
        rows = [made_up_article(n, vocabulary) for n in range(GENERATED)]
        path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows), encoding="utf-8")
        assert not articles_ingest(paths=[path]).failed
        made_up = list(Article.objects.filter(origin__startswith="made-up-").order_by("pk"))
        Article.objects.filter(pk__in=[a.pk for a in made_up[5::29]]).delete()
        _approve("سراج الدين مهر الدين", "Sirojiddin Muhriddin", MINISTER_SPELLINGS)
        _approve("سيرغي لافروف", "Sergey Lavrov", LAVROV_SPELLINGS)
        assert postings_compile(alias="default")
        yield made_up
        transaction.set_rollback(True)


@pytest.fixture
def corpus(_corpus, db):
    return _corpus


def requests(params: SearchParams) -> list[EngineQuery]:
    """The engine requests the search service makes for `params`: the query and its relaxed form."""
    built = _understand(params)
    query = built.query if params.q.strip() else Every()
    return [
        EngineQuery(query=node, filters=_filters(params), sort=params.sort, limit=None, facets=True)
        for node in (query, built.any_query)
        if node is not None
    ]


def assert_same(params: SearchParams, label: str) -> int:
    """Both paths give the same answers to `params`; returns how many articles matched."""
    matched = 0
    for request in requests(params):
        with override_settings(SEARCH_POSTGRES_POSTINGS=False):
            expected = search_engine().execute(request)
        found = search_engine().execute(request)
        assert [pk for pk, _ in found.hits] == [pk for pk, _ in expected.hits], label
        for (_, score), (_, reference) in zip(found.hits, expected.hits, strict=True):
            assert score == pytest.approx(reference, rel=SCORE_TOLERANCE, abs=1e-12), label
        assert found.total == expected.total, label
        assert found.facets == expected.facets, label
        matched += found.total
    return matched


def test_it_compiled_every_entry_and_the_postings_hold_long_lists(corpus):
    assert not SearchEntry.objects.filter(compiled=False).exists()
    longest = max(len(bytes(postings.articles)) // 4 for postings in SearchPostings.objects.all())
    assert longest > 200


@pytest.mark.parametrize("mode", MODES)
def test_every_query_form_finds_and_ranks_as_the_entries_do(corpus, mode):
    matched = 0
    for text in [*WORDS, *PHRASES, *OPERATORS, *PREFIXES, *NAMES, *TYPED_FILTERS, *RELAXED]:
        for match in ("all", "any"):
            matched += assert_same(SearchParams(q=text, mode=mode, match=match), f"{text} {match}")
    assert matched > 1000  # the forms match articles: the comparison is not of empty answers


@pytest.mark.parametrize("sort", SORTS)
def test_each_sort_orders_as_the_entries_do(corpus, sort):
    for text in ["", "موسكو", '"وزير الخارجية"', "-لافروف", "مو*", "مهر الدين", "year:2022"]:
        assert_same(SearchParams(q=text, sort=sort), f"{text!r} {sort}")


def test_the_filters_chosen_beside_the_query_restrict_as_the_entries_do(corpus):
    choices = [
        {"date_from": datetime.date(2021, 6, 1), "date_to": datetime.date(2022, 3, 31)},
        {"date_from": datetime.date(2022, 1, 1)},
        {"date_to": datetime.date(2021, 12, 31)},
        {"year": 2022},
        {"source": "العربية"},
        {"place": "موسكو"},
        {"year": 2021, "source": "فرانس 24"},
    ]
    for choice in choices:
        for text in ["الخارجية", "لافروف OR موسكو", '"وزير الخارجية"', "موسكو -لافروف"]:
            assert assert_same(SearchParams(q=text, **choice), f"{text!r} {choice}") >= 0


def test_entries_written_after_the_compile_rank_alongside_the_compiled_ones(corpus):
    for article in corpus[11::31]:
        article.title = f"{article.title} موسكو وزير الخارجية"
        article.save()
    stale = SearchEntry.objects.filter(compiled=False).count()
    assert 0 < stale < SearchEntry.objects.count()
    for text in ["موسكو", '"وزير الخارجية"', "الخارجية -موسكو", "مهر الدين", "year:2022 موسكو"]:
        assert assert_same(SearchParams(q=text), text) > 0


def test_an_edit_is_found_at_once_though_the_postings_are_older(corpus):
    article = corpus[3]
    article.body = f"{article.body}\nالزعفرانية الذهبية"
    article.save()
    results = article_search(params=SearchParams(q='"الزعفرانية الذهبية"'))
    assert [hit.article.pk for hit in results.hits] == [article.pk]


def test_the_writer_compiles_again_once_enough_entries_changed(corpus, monkeypatch):
    from archive.search.postgres_engine import postings

    for article in corpus[:40]:
        article.title = f"{article.title} دوشنبه"
        article.save()
    monkeypatch.setattr(postings, "RECOMPILE_MIN_STALE", 50)
    monkeypatch.setattr(maintenance, "checked", -postings.RECOMPILE_CHECK_SECONDS)
    search_engine().maintain()
    assert SearchEntry.objects.filter(compiled=False).count() >= 40  # 40 of ~330 is not yet enough

    monkeypatch.setattr(postings, "RECOMPILE_MIN_STALE", 20)
    monkeypatch.setattr(postings, "RECOMPILE_STALE_SHARE", 0.05)
    monkeypatch.setattr(maintenance, "checked", -postings.RECOMPILE_CHECK_SECONDS)
    search_engine().maintain()
    assert not SearchEntry.objects.filter(compiled=False).exists()
    assert_same(SearchParams(q="دوشنبه"), "after the compile")


def test_articles_deleted_or_hidden_after_the_compile_leave_the_answers_at_once(corpus):
    texts = ["موسكو", '"وزير الخارجية"', "لافروف OR دوشنبه", "مهر الدين", "year:2022", "place:موسكو"]
    before = {text: article_search(params=SearchParams(q=text)).count for text in texts}
    edited_then_deleted = corpus[13]
    edited_then_deleted.title = f"{edited_then_deleted.title} موسكو"
    edited_then_deleted.save()  # written since the compile, then deleted: in neither part of an answer
    Article.objects.filter(pk__in=[a.pk for a in [*corpus[7::23], edited_then_deleted]]).delete()
    for article in corpus[9::23]:
        article.is_visible = False
        article.save()
    assert SearchRemoved.objects.exists()
    for text in texts:
        assert_same(SearchParams(q=text), text)
    after = {text: article_search(params=SearchParams(q=text)).count for text in texts}
    assert sum(after.values()) < sum(before.values())
    postings_compile(alias="default")
    assert not SearchRemoved.objects.exists()
    assert {text: article_search(params=SearchParams(q=text)).count for text in texts} == after
