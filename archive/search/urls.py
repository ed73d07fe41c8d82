from django.urls import path

from archive.search import api

app_name = "api"

urlpatterns = [
    path("search", api.search, name="search"),
]
