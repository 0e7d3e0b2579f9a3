"""Login throttling that guessers cannot get around and cannot turn against a real user (issue 13).

django-axes records every failed login (user name, address, browser) in the database, shared by
all workers; this handler decides from those records, on three counts within the cool-off window:

- one account from one address: HUIWEN_LOGIN_FAILURE_LIMIT failures lock that pair;
- one address, any accounts: HUIWEN_LOGIN_ADDRESS_FAILURE_LIMIT failures lock the address
  (a spray of many user names from one place);
- one account, any addresses: HUIWEN_LOGIN_ACCOUNT_FAILURE_LIMIT failures lock the account, but
  only for browsers it has never signed in from (a spray of guesses at one account from many
  places). A browser the account has signed in from carries a signed "known device" cookie and
  is held only to the first two counts, so an anonymous attacker can never lock the real user
  out of the browser they use (the device-cookie defence OWASP describes). On a new browser the
  lockout page offers an unlock link, mailed to the account's address, which makes that browser
  known and clears the account's count.

The address is the client's own (huiwen.proxy: X-Real-IP only from our proxies), so behind nginx
an attacker's failures are not everyone's.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.core import signing
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

DEVICE_COOKIE = "huiwen_device"
_SALT = "huiwen.backoffice.login.device"
_KEEP_NAMES = 5  # accounts remembered per browser


def known_accounts(request: HttpRequest) -> list[str]:
    """The accounts that have signed in from this browser (from its signed cookie)."""
    raw = request.COOKIES.get(DEVICE_COOKIE, "")
    try:
        names = signing.loads(raw, salt=_SALT, max_age=settings.LOGIN_DEVICE_DAYS * 86400) if raw else []
    except signing.BadSignature:
        return []
    return [name for name in names if isinstance(name, str)] if isinstance(names, list) else []


def remember_device(request: HttpRequest, response: HttpResponse, username: str) -> None:
    """Mark this browser as one `username` signs in from."""
    names = [username, *[name for name in known_accounts(request) if name != username]][:_KEEP_NAMES]
    response.set_cookie(DEVICE_COOKIE, signing.dumps(names, salt=_SALT), max_age=settings.LOGIN_DEVICE_DAYS * 86400,
                        httponly=True, secure=settings.SESSION_COOKIE_SECURE, samesite="Lax")


def _username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The account name tried, read as django-axes reads it under huiwen's settings (no
    AXES_USERNAME_CALLABLE): the AXES_USERNAME_FORM_FIELD of the credentials, else of the form."""
    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")
    name = (credentials or request.POST).get(field)
    return name if isinstance(name, str) else None


def _since(request: HttpRequest) -> datetime:
    """The start of the window failures count in: AXES_COOLOFF_TIME (hours, settings.py) before this
    attempt, as django-axes counts its own (the attempt's time is what its handler stamps on the request)."""
    attempt = getattr(request, "axes_attempt_time", None) or timezone.now()
    return attempt - timedelta(hours=float(settings.AXES_COOLOFF_TIME))


def _failures(request: HttpRequest, **match: str) -> int:
    recent = AccessAttempt.objects.filter(attempt_time__gte=_since(request), **match)
    return int(recent.aggregate(total=Sum("failures_since_start"))["total"] or 0)


def lock_reason(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """"pair", "address" or "account" when this login attempt is locked out, "" when it may proceed."""
    username = _username(request, credentials)
    address = request.axes_ip_address  # type: ignore[attr-defined]
    limits = settings.LOGIN_LIMITS
    if username and _failures(request, username=username, ip_address=address) >= limits["PAIR"]:
        return "pair"
    if _failures(request, ip_address=address) >= limits["ADDRESS"]:
        return "address"
    if (username and username not in known_accounts(request)
            and _failures(request, username=username) >= limits["ACCOUNT"]):
        return "account"
    return ""


class ThrottleHandler(AxesDatabaseHandler):  # type: ignore[misc]  # django-axes publishes no types
    """django-axes' database handler with the three counts above instead of its single one."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        # What axes itself compares with AXES_FAILURE_LIMIT: the account-and-address count only (by
        # its own parameters it would count the account everywhere and lock the real user out).
        username = _username(request, credentials)
        if not username:
            return 0
        return _failures(request, username=username, ip_address=request.axes_ip_address)  # type: ignore[attr-defined]

    def is_locked(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
        if not getattr(settings, "AXES_LOCK_OUT_AT_FAILURE", True):  # django-axes' default: lock out
            return False
        reason = lock_reason(request, credentials)
        request.huiwen_lock = reason  # type: ignore[attr-defined]  # the lockout page says which
        return bool(reason)

    def user_login_failed(self, sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None,
                          **kwargs: Any) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return
        if self.is_locked(request, credentials):  # this failure reached one of the limits
            request.axes_locked_out = True  # type: ignore[attr-defined]
            request.axes_credentials = credentials  # type: ignore[attr-defined]
            user_locked_out.send("axes", request=request, username=_username(request, credentials),
                                 ip_address=request.axes_ip_address)  # type: ignore[attr-defined]


def clear_account(username: str) -> None:
    """The account's owner proved it (unlock link): its failures no longer count."""
    AccessAttempt.objects.filter(username=username).delete()
