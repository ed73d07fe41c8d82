"""Which spelling changes reach the index: only approved spellings are in the entries, so a proposed one
(an ingest adds them by the thousand) leaves the articles alone; approving or un-approving one does not.
The same for an official: a save of fields no entry holds records nothing."""

from archive.articles.changes import article_changes_pending_ids
from archive.articles.models import ArticleChange
from archive.entities.models import Mention, Official, OfficialAlias, ReviewStatus
from archive.search.names import name_key


def _minister_with_articles(seeded) -> tuple[Official, set[int]]:
    official = Official.objects.filter(mentions__isnull=False).distinct().first()
    articles = set(Mention.objects.filter(official=official).values_list("article_id", flat=True))
    ArticleChange.objects.all().delete()
    return official, articles


def _alias(official: Official, status: str) -> OfficialAlias:
    return OfficialAlias.objects.create(
        official=official, name="مخردينوف", key=name_key("مخردينوف"), status=status
    )


def test_it_records_nothing_for_a_proposed_spelling(seeded):
    official, _articles = _minister_with_articles(seeded)
    _alias(official, ReviewStatus.PROPOSED)
    assert article_changes_pending_ids() == set()


def test_it_records_the_officials_articles_when_a_spelling_is_approved_and_when_it_no_longer_is(seeded):
    official, articles = _minister_with_articles(seeded)
    alias = _alias(official, ReviewStatus.PROPOSED)
    alias = OfficialAlias.objects.get(pk=alias.pk)
    alias.status = ReviewStatus.APPROVED
    alias.save()
    assert article_changes_pending_ids() == articles

    ArticleChange.objects.all().delete()
    alias = OfficialAlias.objects.get(pk=alias.pk)
    alias.status = ReviewStatus.REJECTED
    alias.save()
    assert article_changes_pending_ids() == articles

    ArticleChange.objects.all().delete()
    OfficialAlias.objects.filter(pk=alias.pk).delete()  # rejected: in no entry
    assert article_changes_pending_ids() == set()


def test_it_records_the_articles_when_an_approved_spelling_is_deleted(seeded):
    official, articles = _minister_with_articles(seeded)
    alias = _alias(official, ReviewStatus.APPROVED)
    ArticleChange.objects.all().delete()
    OfficialAlias.objects.filter(pk=alias.pk).delete()
    assert article_changes_pending_ids() == articles


def test_it_records_nothing_when_only_an_officials_post_is_completed(seeded):
    official, _articles = _minister_with_articles(seeded)
    official.role_ar = "وزير الخارجية"
    official.save(update_fields=["role_ar", "updated_at"])
    assert article_changes_pending_ids() == set()


def test_it_records_the_officials_articles_when_a_name_is_saved(seeded):
    official, articles = _minister_with_articles(seeded)
    official.name_en = "Sergey Lavrov (minister)"
    official.save(update_fields=["name_en", "updated_at"])
    assert article_changes_pending_ids() == articles

    ArticleChange.objects.all().delete()
    official.save()  # every field
    assert article_changes_pending_ids() == articles
