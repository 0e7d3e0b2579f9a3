"""The policy headers huiwen's middleware writes (ops.csp) are what django-csp's own middleware
writes, and nothing in huiwen needs what only django-csp's middleware gives (a nonce, a view's own policy)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from csp.middleware import CSPMiddleware
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.test import RequestFactory, override_settings

from huiwen.ops.csp import PolicyMiddleware

HEADERS = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")
SRC = Path(__file__).resolve().parents[2] / "src" / "huiwen"


def _headers(middleware_class, view, path: str = "/a/1.html") -> dict[str, str | None]:
    response = middleware_class(view)(RequestFactory().get(path))
    return {name: response.headers.get(name) for name in HEADERS}


def plain(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<p>页</p>")


def missing(request: HttpRequest) -> HttpResponse:
    return HttpResponseNotFound("<p>没有这一页</p>")


def preset(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("<p>页</p>")
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("view", [plain, missing, preset])
def test_the_same_headers_as_django_csp(view, debug: bool) -> None:
    with override_settings(DEBUG=debug):
        ours, theirs = _headers(PolicyMiddleware, view), _headers(CSPMiddleware, view)
    assert ours == theirs
    if view is plain:
        assert ours["Content-Security-Policy"] and "object-src 'none'" in ours["Content-Security-Policy"]
    if view is missing and debug:  # Django's technical 404 page keeps its inline styles
        assert ours == {name: None for name in HEADERS}


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


def test_nothing_asks_for_a_nonce_or_a_per_view_policy() -> None:
    """What only django-csp's middleware would honour: its decorators, a nonce in a template."""
    imported = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
    assert not {name for name in imported if name in ("csp.decorators", "csp.middleware")}
    templates = [path for path in SRC.rglob("templates/**/*") if path.is_file()]
    assert templates
    assert not [path for path in templates if re.search(r"csp_nonce", path.read_text(encoding="utf-8"))]
