"""/api/…: version 1 of the API, and a JSON 404 for every other path under /api/.

Every pattern, django-ninja's included, is wrapped by http.finishing, so headers, conditional
GET, HEAD and JSON errors are the same for all of them.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path, re_path

from huiwen.api import errors
from huiwen.api.api import api
from huiwen.api.http import finishing


def _finished(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    wrapped: list[URLPattern | URLResolver] = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern = URLPattern(pattern.pattern, finishing(pattern.callback), pattern.default_args, pattern.name)
        wrapped.append(pattern)
    return wrapped


def unknown(request: HttpRequest, rest: str = "") -> HttpResponse:
    return errors.response(404, "not_found")


_v1, _app_name, _namespace = api.urls

urlpatterns = [
    path("v1/", include((_finished(_v1), _app_name), namespace=_namespace)),
    re_path(r"^(?P<rest>.*)$", finishing(unknown)),
]
