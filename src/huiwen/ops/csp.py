"""The Content-Security-Policy headers, written by huiwen's own middleware from django-csp's settings.

The policies are declared in django-csp's settings format (CONTENT_SECURITY_POLICY and
CONTENT_SECURITY_POLICY_REPORT_ONLY: directives and EXCLUDE_URL_PREFIXES) and built by its
documented `csp.utils.build_policy`, which the nginx site file uses too; django-csp's system checks
still read the settings. Its middleware is not used: it builds both policies from the settings on
every response (copies of every directive, sorted, joined), about 3 % of an uncached article page,
for the same two strings each time. huiwen asks for no nonce and changes no policy per view, so the
two headers are built once per value of the settings and written on every response that does not
already carry one. Whoever needs a nonce or django-csp's per-view decorators later puts its
middleware back: tests/ops/test_csp.py holds that no module or template asks for either, and that
these headers are the ones django-csp's middleware writes.
"""

from __future__ import annotations

import http
from collections.abc import Callable
from functools import cache
from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase

# Django's technical 404 and 500 pages in DEBUG load their own inline styles: left without a policy.
_DEBUG_PAGES = (http.HTTPStatus.NOT_FOUND, http.HTTPStatus.INTERNAL_SERVER_ERROR)


@cache
def policies() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(header, policy, excluded path prefixes) of each policy the settings define."""
    found = []
    for header, setting, report_only in ((HEADER, "CONTENT_SECURITY_POLICY", False),
                                         (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True)):
        policy = build_policy(report_only=report_only)
        if policy:
            config: dict[str, Any] = getattr(settings, setting, None) or {}
            found.append((header, policy, tuple(config.get("EXCLUDE_URL_PREFIXES") or ())))
    return tuple(found)


@receiver(setting_changed)
def _forget(setting: str, **kwargs: object) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        policies.cache_clear()


class PolicyMiddleware:
    """Writes the settings' policies on every response (see the module's note)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if settings.DEBUG and response.status_code in _DEBUG_PAGES:
            return response
        for header, policy, excluded in policies():
            if header not in response and not request.path_info.startswith(excluded):
                response[header] = policy
        return response
