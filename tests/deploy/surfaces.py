"""Every reader surface of a served demo site, both editions: the list the wire tests walk."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from tests.deploy.conftest import DemoSite

HANT = "/zh-hant"


@dataclass(frozen=True)
class Surface:
    path: str
    kind: str  # html, feed, sitemap, json, text
    status: int = 200
    method: str = "GET"


def html_pages(site: DemoSite) -> list[str]:
    """Simplified paths of every HTML page type (every channel, every article)."""
    pages = ["/", f"/{site.paged_channel}/index_2.html", "/search?q=" + quote("新闻"), "/search",
             "/takedown/", "/transparency/", "/about/collector/"]
    pages += [f"/{path}/" for path in site.channels]
    pages += [f"/a/{pk}.html" for pk in site.articles]
    return pages


def feeds(site: DemoSite) -> list[str]:
    paths = ["/feed/rss.xml", "/feed/atom.xml"]
    for channel in site.channels:
        paths += [f"/{channel}/rss.xml", f"/{channel}/atom.xml"]
    return paths + [HANT + path for path in paths]


SITEMAP_SECTIONS = ("articles", "channels", "news", "articles-zh-hant", "channels-zh-hant", "news-zh-hant")


def sitemaps() -> list[str]:
    return ["/sitemap.xml"] + [f"/sitemap-{section}.xml" for section in SITEMAP_SECTIONS]


def every_surface(site: DemoSite) -> list[Surface]:
    surfaces = [Surface(path, "html") for page in html_pages(site) for path in (page, HANT + page)]
    surfaces += [Surface(path, "feed") for path in feeds(site)]
    surfaces += [Surface(path, "sitemap") for path in sitemaps()]
    surfaces += [Surface("/robots.txt", "text")]
    surfaces += [Surface(path, "json") for path in
                 ("/api/v1/articles", f"/api/v1/articles/{site.articles[0]}", "/api/v1/channels",
                  "/api/v1/search?q=" + quote("新闻"), "/api/v1/openapi.json")]
    for prefix in ("", HANT):  # errors, branded, in both editions
        surfaces += [Surface(f"{prefix}/no-such-page/", "html", 404),
                     Surface(f"{prefix}/a/{site.withdrawn}.html", "html", 410),
                     Surface(f"{prefix}/{site.paged_channel}/index_999.html", "html", 404),
                     Surface(f"{prefix}/a/{site.articles[0]}.html", "html", 405, "POST"),
                     Surface(f"{prefix}/", "html", 405, "DELETE"),
                     Surface(f"{prefix}/search?q=" + quote("长" * 750), "html", 414)]
    surfaces += [Surface(f"/api/v1/articles/{site.withdrawn}", "json", 410),
                 Surface("/api/v1/no-such", "json", 404)]
    return surfaces
