"""Polite polling: discovery documents asked for conditionally, a 304 answered from memory.

Feeds, sitemaps and list pages are fetched every few minutes. Each one's validators (ETag,
Last-Modified), size and listing are kept per source and URL (`PolledDocument`); the next
request carries If-None-Match / If-Modified-Since, and a 304 Not Modified returns the kept
listing without reading anything: no parse, no decoding, no XML. Sites see a client that asks
"anything new?" rather than one downloading the whole feed each time, and the source's run
records what that saved (`SourceRun.not_modified`, `bytes_saved`), which the dashboard shows.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from huiwen.collect.discover import Listing, Parse
from huiwen.collect.fetch import Response
from huiwen.collect.models import PolledDocument, Source, SourceRun

ConditionalFetch = Callable[[str, str | None, str | None], Response]  # (url, etag, last_modified)


def count(run: SourceRun, response: Response, *, size_when_unchanged: int) -> None:
    """Add one request to the run's fetch statistics (a 304 saves the body last received)."""
    run.requests += 1
    run.bytes_received += len(response.body)
    if response.not_modified:
        run.not_modified += 1
        run.bytes_saved += size_when_unchanged


class Poller:
    """The collector's discovery reader (discover.Reader) for one run of one source."""

    def __init__(self, source: Source, fetch: ConditionalFetch, run: SourceRun) -> None:
        self.source, self.fetch, self.run = source, fetch, run
        self.parsed: list[str] = []  # URLs whose documents were parsed in this run

    def read(self, url: str, parse: Parse) -> Listing:
        kept = PolledDocument.objects.filter(source=self.source, url=url[:1000]).first()
        etag = last_modified = None
        if kept is not None and kept.listing:  # validators are sent only with a listing to reuse
            etag, last_modified = kept.etag or None, kept.last_modified or None
        response = self.fetch(url, etag, last_modified)
        count(self.run, response, size_when_unchanged=kept.size if kept else 0)
        now = timezone.now()
        if response.not_modified and kept is not None and (etag or last_modified):
            kept.fetched_at, kept.unchanged = now, kept.unchanged + 1
            kept.save(update_fields=["fetched_at", "unchanged"])
            return Listing.from_json(kept.listing)
        listing = parse(response)  # raises DiscoveryError for what cannot be read
        self.parsed.append(url)
        if response.status == 200:
            PolledDocument.objects.update_or_create(source=self.source, url=url[:1000], defaults={
                "etag": (response.header("etag") or "")[:300],
                "last_modified": (response.header("last-modified") or "")[:100],
                "size": len(response.body), "listing": listing.to_json(), "fetched_at": now, "parsed_at": now,
            })
        return listing
