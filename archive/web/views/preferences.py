"""The analyst's display preferences, kept in a cookie (no account needed)."""

from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from archive.web.presenters import DIGIT_STYLES, DIGITS_COOKIE

ONE_YEAR = 365 * 24 * 3600


@require_POST
def digits_preference(request: HttpRequest) -> HttpResponseRedirect:
    """Arabic-Indic (٠١٢) or Western (012) digits on Arabic pages; back to the page the analyst was on."""
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = reverse("web:home")
    response = HttpResponseRedirect(next_url)
    style = request.POST.get("digits", "")
    if style in DIGIT_STYLES:
        response.set_cookie(DIGITS_COOKIE, style, max_age=ONE_YEAR, samesite="Lax", httponly=True)
    return response
