from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from archive.web.urls import api_urlpatterns

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include((api_urlpatterns, "api"))),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("archive.web.urls")),
)
