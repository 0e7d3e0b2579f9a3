"""The Content-Security-Policy headers (django-csp), built once rather than on every response.

django-csp's middleware builds both policies (enforced and report-only) from the settings on every
response: copies of every directive, sorted, joined. For huiwen that is the same two strings each
time (no nonce in any template, no view that changes the policy with @csp_update or @csp_replace),
and building them cost about 3 % of an uncached article page. So they are built once per value of
the settings and reused; a response or request that does carry its own parts (a nonce asked for, a
decorator's config, update or replace) goes through the library's own code unchanged.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase

# What a view's decorators attach to a response when it changes the policy for that response.
_PER_RESPONSE = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")


@cache
def _policies() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
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
        _policies.cache_clear()


class PolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with the settings' policies built once (see the module's note)."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if (getattr(request, "_csp_nonce", None) is not None or settings.DEBUG
                or any(getattr(response, name, None) is not None for name in _PER_RESPONSE)):
            return super().process_response(request, response)
        for header, policy, excluded in _policies():
            exempt = getattr(response, "_csp_exempt_ro" if header == HEADER_REPORT_ONLY else "_csp_exempt", False)
            if header not in response and exempt is False and not request.path_info.startswith(excluded):
                response[header] = policy
        # As the library does: a nonce asked for after the header is written is an error, not a
        # nonce silently missing from the policy.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
