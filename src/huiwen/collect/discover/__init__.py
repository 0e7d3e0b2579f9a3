"""Discovery: from a source to the URLs (or saved pages) it offers, one module per kind."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from huiwen.collect.fetch import Response


@dataclass(frozen=True)
class Found:
    """A discovered article: its URL, and its bytes when the source already holds them (WARC)."""

    url: str
    title: str = ""
    body: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()


class DiscoveryError(Exception):
    """The source itself could not be read (not an article failing: the list of articles)."""


Fetch = Callable[[str], Response]


def discover(kind: str, url: str, fetch: Fetch, *, next_page: str = "", max_pages: int = 5) -> Iterator[Found]:
    from huiwen.collect.discover import feeds, listpages, saved, sitemaps

    if kind == "feed":
        return feeds.discover(url, fetch)
    if kind == "sitemap":
        return sitemaps.discover(url, fetch)
    if kind == "listpage":
        return listpages.discover(url, fetch, next_page=next_page, max_pages=max_pages)
    if kind == "url":
        return iter([Found(url=url)])
    if kind == "warc":
        return saved.discover(url)
    raise DiscoveryError(f"unknown source kind {kind!r}")
