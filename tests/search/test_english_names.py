"""English names of places, countries and sources (the curated table) find the Arabic articles."""

from archive.entities.models import BilingualName
from archive.search.service import SearchParams, article_search


def found(q: str, **params) -> set[str]:
    results = article_search(params=SearchParams(q=q, **params))
    return {hit.article.origin.rsplit("/", 1)[-1] for hit in results.hits}


def arabic_found(word: str) -> set[str]:
    return found(word, mode="normalized")


def test_it_finds_the_arabic_articles_from_an_english_place_name(seeded):
    assert found("Moscow") == arabic_found("موسكو")
    assert len(found("Moscow")) >= 2


def test_it_finds_the_arabic_articles_from_an_english_country_name_in_any_letter_case(seeded):
    assert found("tajikistan") == found("Tajikistan") == arabic_found("طاجيكستان")
    assert found("Tajikistan")


def test_it_reads_a_name_of_two_words_as_one_place(seeded):
    BilingualName.objects.create(kind="place", name_ar="رابطة الدول المستقلة", name_en="Commonwealth States")

    assert found("Commonwealth States") == found('"رابطة الدول المستقلة"')
    assert found("Commonwealth States")


def test_it_lists_the_arabic_name_searched_in_the_explanation(seeded):
    understood = article_search(params=SearchParams(q="Dushanbe")).understood_as

    names = [(n.text, n.name_ar, n.kind) for n in understood.english_names]
    assert names == [("Dushanbe", "دوشنبه", "place")]
    assert "دوشنبه" in understood.variants


def test_it_searches_an_english_name_as_typed_in_the_stricter_modes_and_without_variants(seeded):
    assert found("Moscow", mode="exact") == set()
    assert found("Moscow", variants="off") == set()


def test_it_finds_an_edited_english_name_at_once(seeded):
    assert found("Dushanbe")
    row = BilingualName.objects.get(kind="place", name_ar="دوشنبه")
    row.name_en = "Duschanbe"
    row.save()  # as the admin saves it

    assert found("Dushanbe") == set()
    assert found("Duschanbe") == arabic_found("دوشنبه")


def test_it_filters_on_an_english_source_and_place_name(seeded):
    assert found("source:TASS") == found("source:تاس") != set()
    assert found("لافروف place:Moscow") == found("لافروف place:موسكو")


def test_it_lists_the_english_names_in_the_api(client, seeded):
    data = client.get("/api/search", {"q": "Tajikistan"}).json()

    assert data["understood_as"]["english_names"] == [
        {"typed": "Tajikistan", "arabic": "طاجيكستان", "kind": "country"}
    ]
    assert data["count"] == len(arabic_found("طاجيكستان"))
