"""List pages (栏目列表页): article links on the page, then the next page, up to a limit.

With no per-site rules, an article link is told from navigation by its shape: a link on the
same site whose anchor text reads like a headline (at least six characters) and whose path
looks like a document (a file name or a long number: dates and ids). Sources can narrow this
with include/exclude patterns. The next page comes from a URL template ({n}) when given, else
from rel="next" or a "下一页"/"Next" link.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import lxml.html

from huiwen.collect.discover import DiscoveryError, Found, Listing, Parse, Reader
from huiwen.collect.fetch import Response
from huiwen.extract.decode import decode

NEXT_TEXTS = {"下一页", "下页", "下一頁", "下頁", "后页", "後頁", "next", "next page", "›", "»", ">"}
DOCUMENT_PATH = re.compile(r"(\.s?html?$|\.shtml$|\.php$|/\d{4,}|\d{6,})", re.IGNORECASE)
MIN_HEADLINE = 6


class _PastTheLastPage(DiscoveryError):
    """A later page that is not there: the walk ends (the first page missing is an error)."""


def _article_links(page: lxml.html.HtmlElement, base: str) -> Iterator[Found]:
    host = urlsplit(base).netloc
    for anchor in page.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        target = urljoin(base, href)
        title = " ".join(anchor.text_content().split())
        if urlsplit(target).netloc != host or len(title) < MIN_HEADLINE:
            continue
        if DOCUMENT_PATH.search(urlsplit(target).path):
            yield Found(url=target, title=title)


def _next_link(page: lxml.html.HtmlElement, base: str) -> str | None:
    for link in page.xpath("//link[@rel='next']/@href | //a[@rel='next']/@href"):
        return urljoin(base, str(link))
    for anchor in page.iter("a"):
        if " ".join(anchor.text_content().split()).lower() in NEXT_TEXTS and anchor.get("href"):
            return urljoin(base, str(anchor.get("href")))
    return None


def _parser(first: bool) -> Parse:
    def parse(response: Response) -> Listing:
        if response.status != 200:
            if first:
                raise DiscoveryError(f"list page {response.url} answered HTTP {response.status}")
            raise _PastTheLastPage(response.url)
        text = decode(response.body, dict(response.headers)).text
        page = lxml.html.fromstring(text or "<html></html>")
        return Listing(found=tuple(_article_links(page, response.url)), next_page=_next_link(page, response.url))

    return parse


def discover(url: str, reader: Reader, *, next_page: str = "", max_pages: int = 5) -> Iterator[Found]:
    seen_pages = {url}
    current: str | None = url
    for number in range(1, max(1, max_pages) + 1):
        if current is None:
            return
        try:
            listing = reader.read(current, _parser(first=number == 1))
        except _PastTheLastPage:
            return
        yield from listing.found
        following = next_page.replace("{n}", str(number + 1)) if next_page else listing.next_page
        if following in seen_pages:
            return
        if following:
            seen_pages.add(following)
        current = following
