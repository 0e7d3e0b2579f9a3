"""XML sitemaps: sitemap indexes, plain url sets and Google News sitemaps, gzipped or not."""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator

from lxml import etree

from huiwen.collect.discover import DiscoveryError, Found, Listing, Reader
from huiwen.collect.fetch import Response

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "news": "http://www.google.com/schemas/sitemap-news/0.9"}
MAX_CHILD_SITEMAPS = 50
MAX_DEPTH = 3
# 50 MB uncompressed is the protocol's own limit for one sitemap file.
MAX_XML = 50 * 1024 * 1024
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)


def _document(body: bytes) -> etree._Element:
    if body[:2] == b"\x1f\x8b":
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as unzipped:
            body = unzipped.read(MAX_XML + 1)
        if len(body) > MAX_XML:
            raise DiscoveryError("sitemap over 50 MB uncompressed")
    root = etree.fromstring(body, _PARSER)
    if root is None:
        raise DiscoveryError("sitemap is not XML")
    return root


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


# lxml types every xpath() result as the union of all it can return; these say which one a path gives.
def _texts(node: etree._Element, path: str) -> list[str]:
    """The strings of a path ending in text()."""
    found = node.xpath(path)
    return [str(text) for text in found if isinstance(text, str)] if isinstance(found, list) else []


def _string(node: etree._Element, path: str) -> str:
    """The value of a string(...) expression."""
    found = node.xpath(path)
    return str(found) if isinstance(found, str) else ""


def _elements(node: etree._Element, path: str) -> list[etree._Element]:
    found = node.xpath(path)
    return [item for item in found if isinstance(item, etree._Element)] if isinstance(found, list) else []


def parse(response: Response) -> Listing:
    if response.status != 200:
        raise DiscoveryError(f"sitemap answered HTTP {response.status}")
    try:
        root = _document(response.body)
    except etree.XMLSyntaxError as error:
        raise DiscoveryError(f"sitemap is not XML: {error}") from error
    if _local(root.tag) == "sitemapindex":
        children = [loc.strip() for loc in _texts(root, "//*[local-name()='sitemap']/*[local-name()='loc']/text()")]
        return Listing(follow=tuple(children[:MAX_CHILD_SITEMAPS]))
    found = []
    for entry in _elements(root, "//*[local-name()='url']"):
        loc = _string(entry, "string(*[local-name()='loc'])").strip()
        if loc:
            title = _string(entry, "string(.//*[local-name()='news']/*[local-name()='title'])").strip()
            found.append(Found(url=loc, title=title))
    return Listing(found=tuple(found))


def discover(url: str, reader: Reader, depth: int = 0) -> Iterator[Found]:
    listing = reader.read(url, parse)
    if listing.follow and depth < MAX_DEPTH:
        for child in listing.follow:
            yield from discover(child, reader, depth + 1)
    yield from listing.found
