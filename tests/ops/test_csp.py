"""The policy headers built once (ops.csp) are what django-csp's own middleware writes, case by case."""

from __future__ import annotations

import pytest
from csp.decorators import csp_exempt, csp_update
from csp.middleware import CSPMiddleware
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from huiwen.ops.csp import PolicyMiddleware

HEADERS = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")


def _headers(middleware_class: type[CSPMiddleware], view, path: str = "/a/1.html",
             ask_nonce: bool = False) -> dict[str, str | None]:
    def respond(request: HttpRequest) -> HttpResponse:
        if ask_nonce:
            str(request.csp_nonce)  # type: ignore[attr-defined]
        return view(request)

    middleware = middleware_class(respond)
    request = RequestFactory().get(path)
    response = middleware(request)
    return {name: response.headers.get(name) for name in HEADERS}


def plain(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<p>页</p>")


@csp_update({"img-src": ["https://img.example.org"]})
def updated(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<p>页</p>")


@csp_exempt()
def exempt(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<p>页</p>")


def preset(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("<p>页</p>")
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


@pytest.mark.parametrize("view", [plain, updated, exempt, preset])
@pytest.mark.parametrize("ask_nonce", [False, True])
def test_the_same_headers_as_django_csp(view, ask_nonce: bool) -> None:
    ours = _headers(PolicyMiddleware, view, ask_nonce=ask_nonce)
    theirs = _headers(CSPMiddleware, view, ask_nonce=ask_nonce)
    if ask_nonce:  # a fresh nonce each time: compare the policies without it
        ours = {name: value and value.split("'nonce-")[0] for name, value in ours.items()}
        theirs = {name: value and value.split("'nonce-")[0] for name, value in theirs.items()}
    assert ours == theirs
    if view is plain and not ask_nonce:
        assert ours["Content-Security-Policy"] and "object-src 'none'" in ours["Content-Security-Policy"]


def test_a_changed_setting_is_seen() -> None:
    before = _headers(PolicyMiddleware, plain)
    policy = {"DIRECTIVES": {"default-src": ["'self'"], "img-src": ["https://elsewhere.example"]},
              "EXCLUDE_URL_PREFIXES": ["/excluded/"]}
    with override_settings(CONTENT_SECURITY_POLICY=policy, CONTENT_SECURITY_POLICY_REPORT_ONLY=policy):
        changed = _headers(PolicyMiddleware, plain)
        assert changed == _headers(CSPMiddleware, plain)
        assert changed["Content-Security-Policy"] != before["Content-Security-Policy"]
        assert "https://elsewhere.example" in (changed["Content-Security-Policy-Report-Only"] or "")
        assert _headers(PolicyMiddleware, plain, "/excluded/x") == {name: None for name in HEADERS}
    assert _headers(PolicyMiddleware, plain) == before


def test_a_nonce_asked_for_after_the_header_is_an_error() -> None:
    from csp.exceptions import CSPNonceError

    request = RequestFactory().get("/")
    PolicyMiddleware(plain)(request)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)  # type: ignore[attr-defined]
