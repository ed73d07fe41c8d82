"""Every spelling of an official finds every spelling until an editor rejects one; exact mode never widens.

Nothing is approved here beyond what ingest itself decides: the seeds spell the Tajik foreign minister
three ways, and the extraction links the two unknown spellings to him (same post, same country).
"""

import pytest

from archive.entities.curation import alias_reject
from archive.entities.models import OfficialAlias, ReviewStatus
from archive.search.names import AliasMatch
from archive.search.service import SearchParams, article_search
from tests.search.conftest import MINISTER_ARTICLES

FULL_SPELLINGS = {
    "سراج الدين مهر الدين": "001_e85774afd2b191b1.txt",
    "سراج الدين مهر الديين": "000_900ead7f2c160cfd.txt",
    "سيروجد الدين مخردين": "003_ca72089d0cf560ca.txt",
}
SURNAMES = {
    "مهر الدين": "001_e85774afd2b191b1.txt",
    "مهر الديين": "000_900ead7f2c160cfd.txt",
    "مخردين": "003_ca72089d0cf560ca.txt",
}


def found(q: str, **params) -> set[str]:
    results = article_search(params=SearchParams(q=q, **params))
    return {hit.article.origin.rsplit("/", 1)[-1] for hit in results.hits}


@pytest.mark.parametrize("spelling", [*FULL_SPELLINGS, *SURNAMES])
def test_it_finds_the_same_three_articles_from_every_seed_spelling_in_the_default_mode(seeded, spelling):
    assert found(spelling) == MINISTER_ARTICLES


# Exact phrases check word order on stems (text_norm has no positions): `"مهر الدين"` also matches
# `مهر الديين`, whose stem is the same, so the exact mode is checked on the whole spellings.
@pytest.mark.parametrize(("spelling", "origin"), [*FULL_SPELLINGS.items(), ("مخردين", SURNAMES["مخردين"])])
def test_it_finds_only_the_article_spelling_it_so_in_the_exact_mode(seeded, spelling, origin):
    assert found(f'"{spelling}"', mode="exact") == {origin}
    assert article_search(params=SearchParams(q=spelling, mode="exact")).understood_as.spellings == []


def test_it_lists_every_spelling_searched_marked_approved_or_proposed(seeded):
    spellings = article_search(params=SearchParams(q="مخردين")).understood_as.spellings

    marked = {s.text: s.proposed for s in spellings}
    assert marked["سراج الدين مهر الدين"] is False  # the name an editor approved
    assert marked["سيروجد الدين مخردين"] is True
    assert marked["سراج الدين مهر الديين"] is True


def test_it_searches_the_words_as_typed_when_asked_to_leave_the_variants_out(seeded):
    results = article_search(params=SearchParams(q="مخردين", variants="off"))

    assert {h.article.origin.rsplit("/", 1)[-1] for h in results.hits} == {"003_ca72089d0cf560ca.txt"}
    assert results.understood_as.spellings == []


def test_it_stops_widening_with_a_spelling_at_once_when_an_editor_rejects_it(seeded, settings):
    settings.SEARCH_NAMES_CACHE_SECONDS = 600  # the cache is on, as in production
    assert found("مخردين") == MINISTER_ARTICLES

    alias_reject(aliases=OfficialAlias.objects.filter(name="سيروجد الدين مخردين"), user=None)

    assert found("مخردين") == {"003_ca72089d0cf560ca.txt"}
    texts = [s.text for s in article_search(params=SearchParams(q="مهر الدين")).understood_as.spellings]
    assert "سيروجد الدين مخردين" not in texts


def test_it_sees_a_rejection_made_by_another_process_at_once(seeded, settings):
    settings.SEARCH_NAMES_CACHE_SECONDS = 600
    assert found("مهر الديين") == MINISTER_ARTICLES

    # No signal reaches this process: as when an editor rejects the spelling through another worker.
    OfficialAlias.objects.filter(name="سراج الدين مهر الديين").update(status=ReviewStatus.REJECTED)

    assert found("مهر الديين") == {"000_900ead7f2c160cfd.txt"}


def test_it_never_widens_with_a_proposal_whose_post_or_country_is_unknown(seeded):
    # The deputy minister Galuzin is extracted without a country: his spelling is searched as typed.
    assert article_search(params=SearchParams(q="ميخائيل غالوزين")).understood_as.spellings == []


def test_it_shows_the_spellings_on_the_page_with_a_link_to_search_without_them(client, seeded):
    page = client.get("/en/search/", {"q": "مخردين"}).content.decode()

    assert "Spellings of the name searched" in page
    assert '<bdi>سيروجد الدين مخردين</bdi> <span class="badge">proposed</span>' in page
    assert '<bdi>سراج الدين مهر الدين</bdi> <span class="badge">approved</span>' in page
    assert "variants=off" in page

    without = client.get("/en/search/", {"q": "مخردين", "variants": "off"}).content.decode()
    assert "1 article found" in without
    assert "Search all spellings of the names" in without


def test_it_lists_the_spellings_in_the_api(client, seeded):
    data = client.get("/api/search", {"q": "مخردين"}).json()

    assert data["count"] == 3
    statuses = {s["spelling"]: s["status"] for s in data["understood_as"]["spellings"]}
    assert statuses["سيروجد الدين مخردين"] == "proposed"
    assert statuses["سراج الدين مهر الدين"] == "approved"


def test_it_searches_no_spelling_that_holds_a_shorter_one_it_already_searches():

    putin = AliasMatch(
        official_id=1,
        spellings=(
            "فلاديمير بوتين",
            "بوتين",
            "بُوتين",
            "ترامب فلاديمير بوتين",
            "بوتن",
            "Vladimir Putin",
            "Putin",
        ),
    )

    # Every article with `فلاديمير بوتين` has `بوتين`; `بوتن` is another word and stays.
    assert putin.searched == ("بوتين", "بوتن", "Putin")


def test_it_lists_the_long_spellings_it_leaves_out_of_the_query_all_the_same(seeded):
    spellings = {s.text for s in article_search(params=SearchParams(q="مخردين")).understood_as.spellings}

    assert "سيروجد الدين مخردين" in spellings  # holds `مخردين`, searched only through it
