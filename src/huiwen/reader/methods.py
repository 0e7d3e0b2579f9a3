"""Reader URLs answer GET and HEAD; any other method gets a branded 405 with `Allow`.

Django's `require_safe` answers 405 with an empty body, and only once the request has passed the
CSRF check, so a POST to an article page used to get Django's unbranded 403 "CSRF verification
failed" page. These views change nothing and read no form, so CSRF protection has nothing to
protect: they are exempt, and the method is checked first, answered with the site's own page (in
the reader's edition: the Traditional middleware converts it like any page).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string
from django.views.decorators.csrf import csrf_exempt

SAFE_METHODS = ("GET", "HEAD")
ALLOW = ", ".join(SAFE_METHODS)


def not_allowed(request: HttpRequest) -> HttpResponse:
    page = render_to_string("reader/405.html", {"method": request.method, "allow": ALLOW}, request=request)
    response = HttpResponse(page, status=405)
    response.headers["Allow"] = ALLOW
    return response


_Response = TypeVar("_Response", bound=HttpResponseBase)


def safe_only(view: Callable[..., _Response]) -> Callable[..., _Response | HttpResponse]:
    """GET and HEAD only, anything else a branded 405; works on functions and on Feed instances."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> _Response | HttpResponse:
        if request.method not in SAFE_METHODS:
            return not_allowed(request)
        return view(request, *args, **kwargs)

    return csrf_exempt(guarded)
