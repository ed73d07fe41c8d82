import pytest
from django.test import override_settings
from django.urls import path

from archive.urls import urlpatterns as archive_urlpatterns

pytestmark = pytest.mark.django_db


def failing_view(request):
    raise RuntimeError("boom")


urlpatterns = [*archive_urlpatterns, path("boom/", failing_view)]


def test_it_answers_a_missing_page_with_a_404_in_the_pages_language(client):
    english = client.get("/en/articles/999999/")
    arabic = client.get("/ar/articles/999999/")

    assert english.status_code == 404 and "Page not found" in english.content.decode()
    assert arabic.status_code == 404 and "الصفحة غير موجودة" in arabic.content.decode()
    assert '<html lang="ar" dir="rtl">' in arabic.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_it_answers_a_server_error_with_the_500_page(client):
    client.raise_request_exception = False

    response = client.get("/boom/", headers={"accept-language": "ar"})

    assert response.status_code == 500
    assert "خطأ في الخادم" in response.content.decode()
