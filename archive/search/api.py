from django.http import HttpRequest, JsonResponse


def search(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"count": 0, "results": []})
