"""Submission limits per address and per claimant, counted in the cache (shared by all workers at scale).

A claimant is its e-mail address folded the way mail providers deliver it (issue 13: `a+1@…`,
`a+2@…` all reach `a@…`, so they share one limit): lower case, a `+tag` dropped from the local
part, and for Gmail (which ignores dots and answers at googlemail.com too) the dots dropped and
the domain made one. Limits count notices and, separately, the URLs they name: a notice may name
up to 50, and a limit of notices alone let one address name 250 URLs an hour.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache

WINDOW = 3600  # seconds
DOTLESS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


def claimant_key(email: str) -> str:
    """The mailbox an address delivers to: A.Li+takedown@GoogleMail.com → ali@gmail.com."""
    local, at, domain = email.strip().lower().rpartition("@")
    if not at or not local:
        return email.strip().lower()
    local = local.split("+", 1)[0]
    if domain in DOTLESS:
        local, domain = local.replace(".", ""), DOTLESS[domain]
    return f"{local}@{domain}"


def _key(kind: str, value: str) -> str:
    # Hashed: the cache holds no address or e-mail in clear.
    return f"takedown-rate:{kind}:{hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]}"


def _add(key: str, amount: int) -> int:
    cache.add(key, 0, WINDOW)
    try:
        return int(cache.incr(key, amount))
    except ValueError:  # expired between add and incr
        cache.set(key, amount, WINDOW)
        return amount


def allowed(kind: str, value: str, limit: int) -> bool:
    """Count one attempt; False once `limit` attempts were made within the window."""
    if not value:
        return True
    return _add(_key(kind, value), 1) <= limit


def within(kind: str, value: str, amount: int, limit: int) -> bool:
    """Whether `amount` more (URLs) stays within `limit` for the window; counted only if it does."""
    if not value:
        return True
    key = _key(kind, value)
    if int(cache.get(key, 0)) + amount > limit:
        return False
    _add(key, amount)
    return True
