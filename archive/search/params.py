"""Search parameters: read from a query string (page, feed, export, API) and checked in one place."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from archive.entities.errors import ParamError
from archive.search.syntax import query_cost
from archive.text.arabic import fold_digits

MODES = ("stemmed", "normalized", "exact")
MATCHES = ("all", "any")
SORTS = ("relevance", "newest", "oldest")
VARIANTS = ("on", "off")  # off: the words as typed, without the other spellings of officials' names
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_VALUE_CHARS = 200
# Numbers are read whole (never cut to a prefix); more significant digits than this cannot name anything
# the archive holds, and the database's integers stop at 19 digits.
MAX_NUMBER_DIGITS = 18
# Any page past the last shows the last; capping keeps the engine's result limit (page x per_page) small.
MAX_PAGE = 1_000_000_000


# A parameter the search cannot use: the archive's one parameter error, under the name search callers know.
SearchParamError = ParamError


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    mode: str = "stemmed"
    match: str = "all"
    sort: str = "relevance"
    variants: str = "on"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    year: int | None = None
    official: int | None = None
    meeting: int | None = None
    source: str = ""
    place: str = ""


def search_params_from_query(data: Mapping) -> SearchParams:
    """SearchParams from a QueryDict or a plain mapping; raises SearchParamError naming the parameter."""

    def get(name: str) -> str:
        value = data.get(name, "")
        if isinstance(value, list | tuple):
            value = value[-1] if value else ""
        return str(value if value is not None else "").replace("\x00", "").strip()

    q = get("q")
    _check_cost(q)
    date_from = _date(get("date_from"), "date_from")
    date_to = _date(get("date_to"), "date_to")
    if date_from and date_to and date_from > date_to:
        raise SearchParamError("date_to", str(_("The end date is before the start date.")))
    per_page = _integer(get("per_page"), "per_page", default=DEFAULT_PER_PAGE)
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise SearchParamError(
            "per_page", str(_("Results per page must be between 1 and %d.") % MAX_PER_PAGE)
        )
    year = _integer(get("year"), "year", default=None)
    if year is not None and not 1 <= year <= 9999:
        raise SearchParamError("year", str(_("The year must be between 1 and 9999.")))
    return SearchParams(
        q=q,
        mode=_choice(get("mode"), "mode", MODES),
        match=_choice(get("match"), "match", MATCHES),
        sort=_choice(get("sort"), "sort", SORTS),
        variants=_choice(get("variants"), "variants", VARIANTS),
        page=_page(get("page")),
        per_page=per_page,
        date_from=date_from,
        date_to=date_to,
        year=year,
        official=_identifier(get("official"), "official"),
        meeting=_identifier(get("meeting"), "meeting"),
        source=_text(get("source"), "source"),
        place=_text(get("place"), "place"),
    )


def _check_cost(q: str) -> None:
    """A query beyond the limits in settings is refused, naming the limit, rather than left to run long."""
    cost = query_cost(q)
    checks = (
        (
            cost.chars,
            settings.SEARCH_MAX_QUERY_CHARS,
            _("The query is too long: at most %(limit)d characters."),
        ),
        (cost.words, settings.SEARCH_MAX_QUERY_WORDS, _("The query has too many words: at most %(limit)d.")),
        (
            cost.operators,
            settings.SEARCH_MAX_QUERY_OPERATORS,
            _("The query has too many operators (OR, AND, NOT, -, *, field:): at most %(limit)d."),
        ),
        (
            cost.longest_phrase,
            settings.SEARCH_MAX_PHRASE_WORDS,
            _("A phrase in quotation marks has too many words: at most %(limit)d."),
        ),
    )
    for count, limit, message in checks:
        if count > limit:
            raise SearchParamError("q", str(message) % {"limit": limit})


def _choice(value: str, param: str, choices: tuple[str, ...]) -> str:
    if not value:
        return choices[0]
    if value not in choices:
        raise SearchParamError(param, str(_("Use one of: %s.") % ", ".join(choices)))
    return value


def _whole_number(value: str) -> int | None:
    """The whole value as a number (leading zeros allowed), or None if it is not one or is too long."""
    digits = fold_digits(value)
    if not digits.isascii() or not digits.isdigit() or len(digits.lstrip("0")) > MAX_NUMBER_DIGITS:
        return None
    return int(digits)


def _integer(value: str, param: str, *, default):
    if not value:
        return default
    number = _whole_number(value)
    if number is None:
        raise SearchParamError(param, str(_("Use a whole number of at most %d digits.") % MAX_NUMBER_DIGITS))
    return number


def _identifier(value: str, param: str) -> int | None:
    number = _integer(value, param, default=None)
    if number is not None and number < 1:
        raise SearchParamError(param, str(_("Use the number of an existing record.")))
    return number


def _page(value: str) -> int:
    # A bad page number never fails: the search falls back to the first page (or the last one that exists).
    number = _whole_number(value)
    return 1 if number is None else min(max(1, number), MAX_PAGE)


def _date(value: str, param: str) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(fold_digits(value))
    except ValueError:
        raise SearchParamError(param, str(_("Use a date written as YYYY-MM-DD."))) from None


def _text(value: str, param: str) -> str:
    if len(value) > MAX_VALUE_CHARS:
        raise SearchParamError(param, str(_("At most %d characters.") % MAX_VALUE_CHARS))
    return value


# Arabic-Indic and Persian digits are digits too: ?page=٢ is page 2.
