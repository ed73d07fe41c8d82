from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    raise Http404


meetings_per_period = _todo


who_met_whom = _todo
