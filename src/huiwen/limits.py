"""Rate limits: attempts counted per key in a window, in the cache (shared by all workers at scale).

Below the newsroom (the takedown forms and the desk's login pages both count with it); what a
key is (an address, a folded e-mail) is the caller's business.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache

WINDOW = 3600  # seconds


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
