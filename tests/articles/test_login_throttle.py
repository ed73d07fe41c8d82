"""The admin login throttle (django-axes) seen through a real client: wrong passwords lock the login out."""

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-passphrase"
LOGIN = "/{language}/admin/login/"


@pytest.fixture
def admin_user() -> User:
    return User.objects.create_superuser("editor", "editor@example.com", PASSWORD)


def log_in(client, password: str, *, username: str = "editor", language: str = "en"):
    url = LOGIN.format(language=language)
    return client.post(url, {"username": username, "password": password, "next": f"/{language}/admin/"})


def test_it_locks_the_login_out_after_the_stated_number_of_failures(client, admin_user, settings):
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT - 1):
        response = log_in(client, "wrong")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()

    locked = log_in(client, "wrong")
    assert locked.status_code == 429
    assert "Too many failed logins with this user name from your address" in locked.content.decode()
    assert f"Try again in {settings.LOGIN_LOCKOUT_MINUTES} minutes" in locked.content.decode()

    # Even the right password is refused while the lock lasts.
    right = log_in(client, PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_it_says_so_in_arabic_on_arabic_pages(client, admin_user, settings):
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT):
        response = log_in(client, "wrong", language="ar")

    assert response.status_code == 429
    assert "محاولات دخول فاشلة كثيرة" in response.content.decode()


def test_it_resets_the_count_after_a_successful_login(client, admin_user, settings):
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT - 1):
        log_in(client, "wrong")
    assert log_in(client, PASSWORD).status_code == 302
    client.logout()

    # The count started again: as many failures as before are still not a lock-out.
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT - 1):
        assert log_in(client, "wrong").status_code == 200
    success = log_in(client, PASSWORD)
    assert success.status_code == 302 and success["Location"] == "/en/admin/"


def test_it_locks_only_the_user_name_that_failed(client, admin_user, settings):
    User.objects.create_superuser("other", "other@example.com", PASSWORD)
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT):
        log_in(client, "wrong")

    assert log_in(client, PASSWORD, username="other").status_code == 302
