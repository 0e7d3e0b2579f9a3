"""The client's address, seen through our own reverse proxies only.

Behind nginx every request comes from 127.0.0.1, and nginx names the client in X-Real-IP. That
header is believed only when the request really came from one of HUIWEN_PROXY_ADDRESSES
(addresses or networks): anyone else could write it, and a forged address would let one client
pose as many (escaping per-address limits) or as another (getting that one locked out).
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _proxies(configured: frozenset[str]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in configured)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    remote = str(request.META.get("REMOTE_ADDR", ""))
    peer = _address(remote)
    if peer is None or not any(peer in network for network in _proxies(settings.PROXY_ADDRESSES)):
        return remote
    named = _address(request.META.get("HTTP_X_REAL_IP", ""))
    return str(named) if named is not None else remote


def axes_client_address(request: HttpRequest) -> str:
    """The same, for django-axes (AXES_CLIENT_IP_CALLABLE)."""
    return client_address(request)
