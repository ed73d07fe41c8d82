from django.urls import path

from archive.search import api, statements_api

app_name = "api"

urlpatterns = [
    path("search", api.search, name="search"),
]

urlpatterns += [
    path("statements", statements_api.statements, name="statements"),
    path("meetings", statements_api.meetings, name="meetings"),
]
