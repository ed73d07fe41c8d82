from django.urls import path

from archive.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<int:pk>/", views.article_detail, name="article"),
    path("officials/<int:pk>/", views.official_detail, name="official"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
]
