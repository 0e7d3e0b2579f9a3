"""Discovery: from a source to the URLs (or saved pages) it offers, one module per kind.

Feeds, sitemaps and list pages are documents polled again and again. Each module reads them
through a `Reader`: it hands over a URL and a parse function that turns the response into a
`Listing` (the articles it lists, the documents it points to, the next page). The collector's
reader (collect.polling) asks conditionally and, when the server answers 304 Not Modified,
returns the listing it kept from the last parse: an unchanged document costs one small
request and no parse.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from huiwen.collect.fetch import Response


@dataclass(frozen=True)
class Found:
    """A discovered article: its URL, and its bytes when the source already holds them (WARC)."""

    url: str
    title: str = ""
    body: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Listing:
    """What one discovery document says: articles, other documents to read (a sitemap index's
    sitemaps), and the next page of a list."""

    found: tuple[Found, ...] = ()
    follow: tuple[str, ...] = ()
    next_page: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"found": [[item.url, item.title] for item in self.found], "follow": list(self.follow),
                "next": self.next_page}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Listing:
        return cls(found=tuple(Found(url=url, title=title) for url, title in data.get("found", [])),
                   follow=tuple(data.get("follow", [])), next_page=data.get("next"))


class DiscoveryError(Exception):
    """The source itself could not be read (not an article failing: the list of articles)."""


Fetch = Callable[[str], Response]
Parse = Callable[[Response], Listing]


class Reader(Protocol):
    def read(self, url: str, parse: Parse) -> Listing: ...


@dataclass
class PlainReader:
    """Fetch and parse every time: a reader with no memory (tools, tests)."""

    fetch: Fetch
    parsed: list[str] = field(default_factory=list)

    def read(self, url: str, parse: Parse) -> Listing:
        self.parsed.append(url)
        return parse(self.fetch(url))


def discover(kind: str, url: str, reader: Reader | Fetch, *, next_page: str = "",
             max_pages: int = 5) -> Iterator[Found]:
    from huiwen.collect.discover import feeds, listpages, saved, sitemaps

    documents: Reader = reader if hasattr(reader, "read") else PlainReader(reader)
    if kind == "feed":
        return feeds.discover(url, documents)
    if kind == "sitemap":
        return sitemaps.discover(url, documents)
    if kind == "listpage":
        return listpages.discover(url, documents, next_page=next_page, max_pages=max_pages)
    if kind == "url":
        return iter([Found(url=url)])
    if kind == "warc":
        return saved.discover(url)
    raise DiscoveryError(f"unknown source kind {kind!r}")
