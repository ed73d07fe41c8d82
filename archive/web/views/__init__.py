"""The pages of the web interface (wired in ``archive/web/urls.py``)."""

from archive.web.views.network import network
from archive.web.views.pages import (
    article_detail,
    home,
    meeting_detail,
    meeting_list,
    official_detail,
    official_list,
)
from archive.web.views.preferences import digits_preference
from archive.web.views.search import search

__all__ = [
    "article_detail",
    "digits_preference",
    "home",
    "meeting_detail",
    "meeting_list",
    "network",
    "official_detail",
    "official_list",
    "search",
]
