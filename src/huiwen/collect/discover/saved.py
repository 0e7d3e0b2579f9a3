"""Pages already on disk: WARC files, or a folder of saved HTML pages ("Save page as")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from huiwen.collect.archive import iter_warc_pages
from huiwen.collect.discover import DiscoveryError, Found

# Browsers leave the page's address in a comment ("saved from url=(0042)https://...") and
# most news pages name themselves with <link rel="canonical"> or og:url.
_SAVED_FROM = re.compile(rb"saved from url=\(\d+\)(https?://[^\s>]+)", re.IGNORECASE)
_CANONICAL = re.compile(rb"""<link[^>]+rel=["']?canonical["']?[^>]*href=["']([^"']+)["']""", re.IGNORECASE)
_CANONICAL_REVERSED = re.compile(rb"""<link[^>]+href=["']([^"']+)["'][^>]*rel=["']?canonical""", re.IGNORECASE)
_OG_URL = re.compile(rb"""<meta[^>]+property=["']og:url["'][^>]*content=["']([^"']+)["']""", re.IGNORECASE)
MAX_SAVED_PAGE = 20 * 1024 * 1024


def address_of_saved_page(head: bytes) -> str | None:
    for pattern in (_SAVED_FROM, _CANONICAL, _CANONICAL_REVERSED, _OG_URL):
        match = pattern.search(head)
        if match and match.group(1).startswith((b"http://", b"https://")):
            return match.group(1).decode("ascii", errors="ignore")
    return None


def _files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    if root.is_dir():
        return sorted(p for p in root.rglob("*") if p.is_file())
    raise DiscoveryError(f"no such file or folder: {root}")


def discover(location: str) -> Iterator[Found]:
    for path in _files(Path(location)):
        name = path.name.lower()
        if name.endswith((".warc", ".warc.gz")):
            for url, headers, body in iter_warc_pages(path):
                yield Found(url=url, body=body, headers=tuple(headers.items()))
        elif name.endswith((".html", ".htm", ".shtml")) and path.stat().st_size <= MAX_SAVED_PAGE:
            body = path.read_bytes()
            # A page with no address is still reported (url ""), so the run can say why it was skipped.
            yield Found(url=address_of_saved_page(body[:65536]) or "", title=str(path), body=body)
