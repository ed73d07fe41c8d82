"""What an article's index entry says of its officials and meetings: `ArticleIndex` reads them from the
lists `index_queryset()` prefetches, for every engine and for rebuilds and single updates alike."""

from haystack import connections

from archive.articles.models import Article
from archive.entities.models import Meeting, Mention, Official, OfficialAlias, ReviewStatus
from archive.search.names import name_key


def _document(article: Article) -> dict:
    index = connections["default"].get_unified_index().get_index(Article)
    return index.full_prepare(index.index_queryset().get(pk=article.pk))


def _spelling(official: Official, name: str, status: str) -> None:
    OfficialAlias.objects.create(official=official, name=name, key=name_key(name), status=status)


def test_it_holds_the_approved_spellings_of_the_survivor_of_a_merge_and_the_meetings_not_rejected(seeded):
    article = Article.objects.get(pk=next(iter(seeded.values())))
    mentioned = Official.objects.create(name_ar="نيكولاي بطرس", status=ReviewStatus.APPROVED)
    duplicate = Official.objects.create(name_ar="نيقولاي بيتروف", status=ReviewStatus.APPROVED)
    survivor = Official.objects.create(
        name_ar="نيكولاي بتروف", name_en="Nikolai Petrov", status=ReviewStatus.APPROVED
    )
    duplicate.merged_into = survivor
    duplicate.save()
    rejected = Official.objects.create(name_ar="فلان الفلاني", status=ReviewStatus.REJECTED)
    for official in (mentioned, duplicate, rejected):
        Mention.objects.create(article=article, official=official, surface=official.name_ar)
    _spelling(mentioned, "نيكولاي بيطرس", ReviewStatus.APPROVED)
    _spelling(mentioned, "نكولاي بطرس", ReviewStatus.PROPOSED)
    _spelling(survivor, "Nikolay Petrov", ReviewStatus.APPROVED)
    _spelling(duplicate, "نيقولاي بتروف", ReviewStatus.APPROVED)  # the merged record's: not the survivor's
    held = Meeting.objects.create(place_ar="دوشنبه", status=ReviewStatus.APPROVED)
    called_off = Meeting.objects.create(place_ar="بخارى", status=ReviewStatus.REJECTED)
    held.articles.add(article)
    called_off.articles.add(article)

    document = _document(article)

    officials = set(document["officials"])
    assert {str(mentioned.pk), str(survivor.pk)} <= officials
    assert not {str(duplicate.pk), str(rejected.pk)} & officials
    names = document["official_names"].split("\n")
    assert {"نيكولاي بطرس", "نيكولاي بيطرس", "نيكولاي بتروف", "Nikolai Petrov", "Nikolay Petrov"} <= set(
        names
    )
    assert not {"نكولاي بطرس", "نيقولاي بتروف", "نيقولاي بيتروف", "فلان الفلاني"} & set(names)
    assert str(held.pk) in document["meetings"] and str(called_off.pk) not in document["meetings"]
    assert "دوشنبه" in document["places"] and "بخارى" not in document["places"]
