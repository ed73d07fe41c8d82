"""The page django-axes shows when a login is locked out (settings.AXES_LOCKOUT_CALLABLE)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

TOO_MANY_REQUESTS = 429


def login_locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """A translated admin page saying the login is locked and for how long; nothing about the password."""
    context = {"title": _("Too many failed logins"), "minutes": settings.LOGIN_LOCKOUT_MINUTES}
    return render(request, "admin/locked_out.html", context, status=TOO_MANY_REQUESTS)
