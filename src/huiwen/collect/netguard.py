"""Refusing private, loopback and link-local destinations (SSRF protection).

Every host is resolved before a connection is made, every address it resolves to is checked,
and the connection then goes to the checked address (no second lookup that a rebinding DNS
server could answer differently). Redirects go through the same check.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass


class RefusedAddress(Exception):
    """The destination is in a range the collector may not reach."""


@dataclass(frozen=True)
class Destination:
    host: str
    port: int
    address: str


def _forbidden(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return (
        address.is_private or address.is_loopback or address.is_link_local or address.is_multicast
        or address.is_reserved or address.is_unspecified or not address.is_global
    )


def resolve(host: str, port: int, allow_private: bool) -> Destination:
    """One checked address for host:port, or RefusedAddress."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise RefusedAddress(f"cannot resolve {host}: {error.strerror}") from error
    addresses = [str(info[4][0]) for info in infos]  # an IPv4 or IPv6 address (str) for TCP
    for raw in addresses:
        address = ipaddress.ip_address(raw.split("%", 1)[0])
        if _forbidden(address) and not allow_private:
            raise RefusedAddress(f"{host} resolves to {address}, a private or local address")
    return Destination(host=host, port=port, address=addresses[0])
