import pytest
from django.urls import reverse
from django.utils import translation

from archive.articles.models import Article
from archive.search.engine import search_engine
from archive.search.indexing import search_index_flush

MIGRATION_TITLE = "وزيرا الخارجية في روسيا وطاجيكستان يبحثان قضايا الهجرة والمهام الأمنية"


def changelist_url(language: str = "ar") -> str:
    with translation.override(language):
        return reverse("admin:articles_article_changelist")


def test_it_redirects_an_anonymous_visitor_to_the_login_page(client, ingested_seeds):
    response = client.get(changelist_url())

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize(("language", "direction"), [("ar", 'dir="rtl"'), ("en", 'dir="ltr"')])
def test_it_lists_the_articles_for_an_editor_in_both_languages(
    client, editor, ingested_seeds, language, direction
):
    client.force_login(editor)

    response = client.get(changelist_url(language))

    assert response.status_code == 200
    html = response.content.decode()
    assert direction in html
    assert MIGRATION_TITLE in html
    # The title-less seed is listed under its derived headline.
    assert "يلتقي وزير الخارجية الروسي سيرغي لافروف" in html
    assert "تاس" in html


def test_it_finds_spelling_variants_in_the_admin_search(client, editor, ingested_seeds):
    client.force_login(editor)

    response = client.get(changelist_url("en"), {"q": "هجره"})

    listed = {article.pk for article in response.context["cl"].result_list}
    expected = {a.pk for a in Article.objects.all() if "الهجرة" in a.title + a.body}
    assert listed == expected
    assert Article.objects.get(title=MIGRATION_TITLE).pk in listed
    assert len(listed) < Article.objects.count()


def test_it_finds_hidden_articles_and_vocalised_words_in_the_admin_search(client, editor, ingested_seeds):
    client.force_login(editor)
    article = Article.objects.get(title=MIGRATION_TITLE)
    Article.objects.filter(pk=article.pk).update(is_visible=False)

    response = client.get(changelist_url("en"), {"q": "الهِجْرَةُ"})

    listed = {a.pk for a in response.context["cl"].result_list}
    assert article.pk in listed
    assert listed == {a.pk for a in Article.objects.all() if "الهجرة" in a.title + a.body}


# Committed for real: the index writer thread reads the database through its own connection.
@pytest.mark.django_db(transaction=True)
def test_it_hides_and_shows_articles_with_the_admin_actions(client, editor, ingested_seeds):
    client.force_login(editor)
    article = Article.objects.get(title=MIGRATION_TITLE)

    response = client.post(
        changelist_url("en"),
        {"action": "hide_articles", "_selected_action": [article.pk]},
        follow=True,
    )
    assert search_index_flush()

    assert "1 article hidden." in response.content.decode()
    assert not Article.objects.get(pk=article.pk).is_visible
    assert article not in Article.objects.visible()
    assert len(search_engine().indexed_stamps()) == 4

    client.post(changelist_url("en"), {"action": "show_articles", "_selected_action": [article.pk]})
    assert search_index_flush()

    assert Article.objects.get(pk=article.pk).is_visible
    assert len(search_engine().indexed_stamps()) == 5


def test_it_shows_the_provenance_read_only_on_the_change_page(client, editor, ingested_seeds):
    client.force_login(editor)
    article = Article.objects.get(title=MIGRATION_TITLE)
    with translation.override("en"):
        url = reverse("admin:articles_article_change", args=[article.pk])

    html = client.get(url).content.decode()

    assert article.origin in html
    assert article.content_hash in html
    assert 'name="origin"' not in html
    assert 'name="content_hash"' not in html
    assert "<h3>قضايا الهجرة</h3>" in html


def test_it_keeps_the_search_column_in_step_when_an_editor_renames_an_article(client, editor, ingested_seeds):
    client.force_login(editor)
    article = Article.objects.get(origin="000_900ead7f2c160cfd.txt")
    with translation.override("en"):
        url = reverse("admin:articles_article_change", args=[article.pk])

    response = client.post(
        url,
        {
            "title": "لقاء لافروف ومهر الدين",
            "published_on": "2022-09-05",
            "source": "تاس",
            "is_visible": "on",
            "photo_credit": article.photo_credit,
            "publisher": article.publisher,
            "url": "",
            "language": "ar",
        },
    )

    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).title == "لقاء لافروف ومهر الدين"
