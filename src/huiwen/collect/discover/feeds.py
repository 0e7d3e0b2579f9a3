"""RSS and Atom feeds, read with feedparser (which copes with the malformed feeds of real sites)."""

from __future__ import annotations

from collections.abc import Iterator

import feedparser

from huiwen.collect.discover import DiscoveryError, Found, Listing, Reader
from huiwen.collect.fetch import Response


def parse(response: Response) -> Listing:
    if response.status != 200:
        raise DiscoveryError(f"feed answered HTTP {response.status}")
    parsed = feedparser.parse(response.body, response_headers=dict(response.headers))
    if parsed.bozo and not parsed.entries:
        raise DiscoveryError(f"not a readable feed: {parsed.get('bozo_exception')}")
    found = []
    for entry in parsed.entries:
        link = entry.get("link") or (entry.get("id") if str(entry.get("id", "")).startswith("http") else None)
        if link:
            found.append(Found(url=link, title=entry.get("title", "")))
    return Listing(found=tuple(found))


def discover(url: str, reader: Reader) -> Iterator[Found]:
    yield from reader.read(url, parse).found
