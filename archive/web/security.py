"""The security headers Django's SecurityMiddleware does not send: Content-Security-Policy and
Permissions-Policy (Django 5.2 has no CSP of its own; X-Content-Type-Options, Referrer-Policy and HSTS come
from SecurityMiddleware and settings).

The policy allows scripts and styles from this site only, with no 'unsafe-inline': templates keep their
styles in static files and the Django admin (5.2) ships none inline. A view may set its own header value,
which is then left alone.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.headers = {
            "Content-Security-Policy": settings.CONTENT_SECURITY_POLICY,
            "Permissions-Policy": settings.PERMISSIONS_POLICY,
        }

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        for name, value in self.headers.items():
            response.headers.setdefault(name, value)
        return response
