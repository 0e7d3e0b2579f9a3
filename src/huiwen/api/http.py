"""What every API answer carries, added in one place: CORS, Cache-Control, ETag, 304, HEAD.

The API's URL patterns are all wrapped by `finishing` (urls.py), so the OpenAPI document,
errors and the answers of views get the same treatment:

- `Access-Control-Allow-Origin: *` — the API is public and read-only, no credentials are ever
  involved, so any page may read it with a simple GET; ETag is exposed for clients that revalidate.
- `Cache-Control: public, max-age=HUIWEN_API_MAX_AGE` on everything but server errors: short,
  because a withdrawal must reach API clients soon (the 410 itself is cached as briefly).
- ETag from the body (so it changes when anything shown changes: a renamed publisher, a moved
  channel), and Last-Modified where a view set one from ArticleQuerySet.last_change(); a
  matching If-None-Match / If-Modified-Since gets 304 (Django's own conditional rules).
- HEAD answers as GET without the body.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import http_date, parse_http_date_safe

from huiwen.api import errors

View = Callable[..., HttpResponse]


def set_last_modified(response: HttpResponse, moment: datetime | None) -> None:
    if moment is not None:
        response.headers["Last-Modified"] = http_date(moment.timestamp())


def _cors(response: HttpResponse) -> None:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = "ETag"


def _cache(response: HttpResponse) -> None:
    if response.status_code >= 500:
        patch_cache_control(response, no_store=True)
    else:
        patch_cache_control(response, public=True, max_age=settings.HUIWEN["API_MAX_AGE"])


def _conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if request.method not in ("GET", "HEAD") or not 200 <= response.status_code < 300 or response.streaming:
        return response
    if not response.has_header("ETag"):
        set_response_etag(response)
    last_modified = parse_http_date_safe(response.headers.get("Last-Modified", ""))
    answered = get_conditional_response(
        request, etag=response.headers["ETag"], last_modified=last_modified, response=response
    )
    assert answered is not None  # given a response, Django answers with it or with a 304/412
    return answered


def _without_body(response: HttpResponse) -> None:
    # HEAD: the headers of the GET answer, its length included, and no body.
    if not response.streaming:
        response.headers["Content-Length"] = str(len(response.content))
        response.content = b""


def finish(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if response.status_code == 405 and not response.headers.get("Content-Type", "").startswith("application/json"):
        allow = response.headers.get("Allow", "GET, HEAD")
        response = errors.response(405, "method_not_allowed")
        response.headers["Allow"] = allow
    _cache(response)
    response = _conditional(request, response)
    _cors(response)
    if request.method == "HEAD":
        _without_body(response)
    return response


def finishing(view: View) -> View:
    """Wrap a view of the API so that its answers, errors included, are finished as above."""

    @wraps(view)  # keeps csrf_exempt and the other marks django-ninja sets on its views
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except Http404:  # raised outside django-ninja's handlers (its root view does)
            response = errors.response(404, "not_found")
        return finish(request, response)

    return wrapped
