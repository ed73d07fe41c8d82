from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from archive.articles.models import Article
from archive.entities.models import Meeting, Official


def home(request: HttpRequest) -> HttpResponse:
    articles = Article.objects.visible()[:50]
    return render(request, "web/home.html", {"articles": articles})


def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.visible(), pk=pk)
    return render(request, "web/article.html", {"article": article})


def official_detail(request: HttpRequest, pk: int) -> HttpResponse:
    official = get_object_or_404(Official.objects.listed(), pk=pk)
    return render(request, "web/official.html", {"official": official})


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    return render(request, "web/meeting.html", {"meeting": meeting})


def search(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"articles": []})


def official_list(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"articles": []})


def meeting_list(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"articles": []})
