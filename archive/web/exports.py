from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    raise Http404


search_csv = _todo


search_json = _todo
