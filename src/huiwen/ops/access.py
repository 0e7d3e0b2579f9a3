"""Who may read /metrics and the details of /readyz: allowed addresses, or a bearer token.

The client address is REMOTE_ADDR, or X-Real-IP when the request came from one of our own proxies
(HUIWEN_PROXY_ADDRESSES). A request that carries forwarding headers but did not come from such a
proxy is refused whatever its address: behind an nginx that nobody listed, every reader would
otherwise appear to come from 127.0.0.1.
"""

from __future__ import annotations

import hmac
import ipaddress
from functools import cache

from django.conf import settings
from django.http import HttpRequest

FORWARDING_HEADERS = ("HTTP_X_REAL_IP", "HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED")
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def client_address(request: HttpRequest) -> str | None:
    """The client's address, or None when a proxy we do not know forwarded the request."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    if remote in settings.PROXY_ADDRESSES:
        return str(request.META.get("HTTP_X_REAL_IP", remote))
    if any(request.META.get(header) for header in FORWARDING_HEADERS):
        return None
    return remote


def _address_allowed(address: str | None) -> bool:
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return any(ip in network for network in _networks(tuple(settings.OPS["METRICS_ALLOW"])))


def _token_given(request: HttpRequest) -> bool:
    token: str = settings.OPS["METRICS_TOKEN"]
    if not token:
        return False
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, given = header.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


def may_read_metrics(request: HttpRequest) -> bool:
    return _token_given(request) or _address_allowed(client_address(request))
