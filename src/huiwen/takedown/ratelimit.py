"""Submission limits per address and per e-mail, counted in the cache (shared by all workers at scale)."""

from __future__ import annotations

import hashlib

from django.core.cache import cache

WINDOW = 3600  # seconds


def _key(kind: str, value: str) -> str:
    # Hashed: the cache holds no address or e-mail in clear.
    return f"takedown-rate:{kind}:{hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]}"


def allowed(kind: str, value: str, limit: int) -> bool:
    """Count one attempt; False once `limit` attempts were made within the window."""
    if not value:
        return True
    key = _key(kind, value)
    cache.add(key, 0, WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW)
        count = 1
    return count <= limit
