"""Every HTTP entry point of the archive: the pages (namespace ``web``, under a language prefix) and the
JSON API (namespace ``api``, at ``/api/``, wired by ``archive/urls.py``)."""

from django.urls import path

from archive.web import views
from archive.web.views import api, charts, exports, feeds, statements

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("search/statements/", statements.statement_search, name="statements"),
    path("articles/<int:pk>/", views.article_detail, name="article"),
    path("officials/", views.official_list, name="officials"),
    path("officials/<int:pk>/", views.official_detail, name="official"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("network/", views.network, name="network"),
    path("preferences/digits/", views.digits_preference, name="digits"),
    path("feeds/latest/", feeds.LatestArticlesFeed(), name="feed-latest"),
    path("feeds/search/", feeds.SearchFeed(), name="feed-search"),
    path("feeds/officials/<int:pk>/", feeds.OfficialFeed(), name="feed-official"),
    path(
        "feeds/officials/<int:pk>/statements/",
        statements.OfficialStatementsFeed(),
        name="feed-official-statements",
    ),
    path("export/search.csv", exports.search_csv, name="export-csv"),
    path("export/search.json", exports.search_json, name="export-json"),
    path("export/statements.csv", statements.statements_csv, name="export-statements-csv"),
    path("export/statements.json", statements.statements_json, name="export-statements-json"),
    path("charts/meetings-per-year.svg", charts.meetings_per_period, name="chart-meetings"),
    path("charts/who-met-whom.svg", charts.who_met_whom, name="chart-graph"),
]

# The JSON API: one address whatever the language (``include((api_urlpatterns, "api"))`` in archive/urls.py).
api_urlpatterns = [
    path("search", api.search, name="search"),
    path("statements", api.statements, name="statements"),
    path("meetings", api.meetings, name="meetings"),
]
