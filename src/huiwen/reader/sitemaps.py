"""Sitemaps: an index over article, channel and Google News sitemaps, per edition (django.contrib.sitemaps).

Each edition has its own sections (`articles`, `channels`, `news`; `articles-zh-hant` ...), all
listed in the one index at /sitemap.xml (the address robots.txt gives). Every URL carries its
alternates as `xhtml:link` (zh-Hans, zh-Hant, and x-default = the Simplified page), as Google
asks of multilingual sites: each language version listed, each naming every version.

Each Sitemap class names its template, so one section view serves them all. Every item comes
from the visibility rule. The two templates define the XML; a section is written by `UrlsetWriter`,
which gives the same text without the template engine's work per variable (tests/reader/
test_sitemaps.py holds the two equal): the articles sections of a site are thousands of entries,
re-rendered on every change, and through the template they were half the time of republishing
one edited article. An article's lastmod is its last content change (newsroom.lastmod),
not `updated_at`, which moves with bookkeeping saves. The section's Last-Modified header still
comes from ArticleQuerySet.last_change(), so conditional GET notices withdrawals too.
"""

from __future__ import annotations

import contextlib
import contextvars
import html
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, timedelta
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import index as sitemap_index_view
from django.contrib.sitemaps.views import sitemap as sitemap_section_view
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.html import strip_spaces_between_tags

from huiwen.newsroom.lastmod import last_modified, with_last_modified
from huiwen.newsroom.models import Article, Channel
from huiwen.newsroom.tags import depend
from huiwen.reader import phrases
from huiwen.reader.editions import EDITIONS, SIMPLIFIED, TRADITIONAL, Edition

# Google News reads only articles published in the last two days, at most 1,000 per sitemap.
# https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap
NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000


_Item = TypeVar("_Item", Article, Channel)
_Value = TypeVar("_Value")

_URLSET = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
           '{namespaces} xmlns:xhtml="http://www.w3.org/1999/xhtml">\n{urls}\n</urlset>\n')
_NEWS_NAMESPACE = ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'


def _iso(value: date, zone: Any = None) -> str:
    """What the templates' `|date:"c"` writes: ISO 8601 in the current time zone (`zone`, when the
    caller has looked it up once for thousands of entries)."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = value.astimezone(zone or timezone.get_current_timezone())
    return value.isoformat()


# What the sections read, read once per block (`read_once`): a static publishing run renders the
# sitemap index and the sections of both editions, and each asks how many articles are visible (a
# count of every visible row: 0.16-0.24 s at a million articles on SQLite, four times a run) and
# reads the same page of items (5,000 articles with their last change, 0.1 s, twice).
_read: contextvars.ContextVar[dict[tuple[str, int], Any] | None] = contextvars.ContextVar("huiwen_sitemap_read",
                                                                                          default=None)


@contextlib.contextmanager
def read_once() -> Iterator[None]:
    """Within the block, sections that list the same items (`HuiwenSitemap.scope`) in either edition
    count them once and read each page of them once: for a run that renders them all from one
    state of the database."""
    if _read.get() is not None:  # an enclosing block reads for this one too
        yield
        return
    token = _read.set({})
    try:
        yield
    finally:
        _read.reset(token)


class UrlsetWriter:
    """A section's XML, as reader/sitemap.xml (or, with `news`, reader/sitemap_news.xml) renders it.

    Django's sitemap view hands its template to TemplateResponse, which takes a template object as
    well as a name: this is one (`render(context, request)`), writing the entries with plain string
    work. Values are escaped as the template escapes them (html.escape, which Django's own escape
    calls); the template's {% spaceless %} is kept by the same function of Django's.
    """

    def __init__(self, template_name: str, news: bool) -> None:
        self.template_name, self.news = template_name, news

    def render(self, context: dict[str, Any] | None = None, request: HttpRequest | None = None) -> str:
        urls: Iterable[dict[str, Any]] = (context or {}).get("urlset", [])
        escape, zone = html.escape, timezone.get_current_timezone()
        parts: list[str] = []
        for url in urls:
            parts.append(f"<url><loc>{escape(str(url['location']))}</loc>")
            if url.get("lastmod"):
                parts.append(f"<lastmod>{escape(_iso(url['lastmod'], zone))}</lastmod>")
            if self.news:
                news = url["news"]
                publication = news["publication"]
                parts.append(
                    f"<news:news><news:publication><news:name>{escape(str(publication['name']))}</news:name>"
                    f"<news:language>{escape(str(publication['language']))}</news:language></news:publication>"
                    f"<news:publication_date>{escape(_iso(news['publication_date'], zone))}</news:publication_date>"
                    f"<news:title>{escape(str(news['title']))}</news:title></news:news>")
            parts.extend(f'<xhtml:link rel="alternate" hreflang="{escape(str(alternate["lang_code"]))}" '
                         f'href="{escape(str(alternate["location"]))}"/>' for alternate in url.get("alternates", ()))
            parts.append("</url>")
        body = strip_spaces_between_tags("".join(parts)).strip()
        return _URLSET.format(namespaces=_NEWS_NAMESPACE if self.news else "", urls=body)


class HuiwenSitemap(Sitemap[_Item]):
    template_name = "reader/sitemap.xml"
    writer = UrlsetWriter(template_name, news=False)
    edition: Edition = SIMPLIFIED
    scope = ""  # sections of the same scope list the same items (`read_once`)

    def get_latest_lastmod(self) -> datetime | None:
        return Article.objects.last_change()

    def location(self, item: _Item) -> str:
        return self.edition.path(item.get_absolute_url())

    def lastmod(self, item: _Item) -> datetime | None:
        return None

    def count(self) -> int:
        """How many items the section lists (what its pages are cut from)."""
        items = self.items()
        return items.count() if isinstance(items, QuerySet) else len(list(items))

    @property
    def paginator(self) -> Paginator[_Item]:
        pages: Paginator[_Item] = Paginator(cast(Any, self.items()), self.limit)  # a QuerySet or a list
        pages.count = self._once((self.scope, 0), self.count)
        return pages

    def _once(self, key: tuple[str, int], read: Callable[[], _Value]) -> _Value:
        memo = _read.get()
        if memo is None or not self.scope:
            return read()
        if key not in memo:
            memo[key] = read()
        return cast(_Value, memo[key])

    def get_urls(self, page: int | str = 1, site: Any = None, protocol: str | None = None) -> list[dict[str, Any]]:
        """The entries of one page: location, lastmod and the alternates of every edition (what the
        writer and the news section read), built directly: Django's own get_urls asks each item
        for priority and changefreq too, through a lookup per attribute, for entries that have none."""
        base = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        urls: list[dict[str, Any]] = []
        pages = self.paginator
        number = pages.validate_number(page)  # not a page: Django's view answers 404 on what this raises
        for item in self._once((self.scope, number), lambda: list(pages.page(number).object_list)):
            plain = item.get_absolute_url()
            alternates = [{"lang_code": edition.lang, "location": base + edition.path(plain)} for edition in EDITIONS]
            alternates.append({"lang_code": "x-default", "location": base + plain})
            urls.append({"item": item, "location": base + self.location(item), "lastmod": self.lastmod(item),
                         "alternates": alternates})
        # The section view's Last-Modified: the whole scope's last change, not just the newest
        # item, so a withdrawal (an item vanishing) counts as a modification.
        self.latest_lastmod = self.get_latest_lastmod()
        return urls


class ArticleSitemap(HuiwenSitemap[Article]):
    limit = 5000
    scope = "articles"

    def count(self) -> int:
        return Article.objects.count_visible()  # without the joins items() has: a third of the time

    def items(self) -> QuerySet[Article]:
        visible = Article.objects.visible().order_by("-published_at", "-pk").only("pk", "published_at")
        return with_last_modified(visible)

    def lastmod(self, item: Article) -> datetime:
        return last_modified(item)


class ChannelSitemap(HuiwenSitemap[Channel]):
    def items(self) -> list[Channel]:
        return list(Channel.objects.public().order_by("path"))


class NewsSitemap(HuiwenSitemap[Article]):
    """Google News sitemap: articles of the last two days with news:publication and news:title."""

    template_name = "reader/sitemap_news.xml"
    writer = UrlsetWriter(template_name, news=True)
    scope = "news"

    def items(self) -> QuerySet[Article]:
        since = timezone.now() - NEWS_WINDOW
        visible = Article.objects.visible().filter(published_at__gte=since)
        return with_last_modified(visible.order_by("-published_at", "-pk"))[:NEWS_LIMIT]

    def lastmod(self, item: Article) -> datetime:
        return last_modified(item)

    def get_latest_lastmod(self) -> datetime | None:
        return Article.objects.filter(published_at__gte=timezone.now() - NEWS_WINDOW).last_change()

    def get_urls(self, *args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        urls = super().get_urls(*args, **kwargs)
        # Google News accepts zh-cn and zh-tw for Chinese, not zh (its news sitemap documentation).
        publication = {"name": self.edition.text(settings.HUIWEN["SITE_NAME"]), "language": self.edition.region_lang}
        titles = self.edition.texts([url["item"].title for url in urls])
        for url, title in zip(urls, titles, strict=True):
            url["news"] = {"publication": publication, "title": title, "publication_date": url["item"].published_at}
        return urls


def _sections() -> dict[str, type[HuiwenSitemap[Any]]]:
    sections: dict[str, type[HuiwenSitemap[Any]]] = {}
    for edition in (SIMPLIFIED, TRADITIONAL):
        for name, kind in (("articles", ArticleSitemap), ("channels", ChannelSitemap), ("news", NewsSitemap)):
            key = f"{name}-{edition.key}" if edition.key else name
            sections[key] = type(f"{kind.__name__}{edition.script}", (kind,), {"edition": edition})
    return sections


SITEMAPS: dict[str, type[HuiwenSitemap[Any]]] = _sections()
# What Django's views take (their types ask for a dict of any sitemaps; they only read it).
_VIEWS_SITEMAPS = cast(dict[str, type[Sitemap[Any]] | Sitemap[Any]], SITEMAPS)


def sitemap_index(request: HttpRequest) -> HttpResponse:
    depend("list:all", "nav", "sitemap")
    with read_once():  # the index pages the sections of both editions
        response: HttpResponse = sitemap_index_view(
            request, _VIEWS_SITEMAPS, sitemap_url_name="reader:sitemap-section"
        )
    return response


def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    if section not in SITEMAPS:
        raise Http404("没有这个网站地图")
    depend("list:all", "nav", "sitemap")  # every article save bumps sitemap; channel changes bump nav
    # A Traditional section's titles are converted one by one: the phrase list is checked once.
    # (Its address is not under /zh-hant/, so the edition middleware has not done it.)
    with phrases.checked_once():
        response: HttpResponse = sitemap_section_view(
            request, _VIEWS_SITEMAPS, section=section,
            template_name=cast(str, SITEMAPS[section].writer),  # a template object; the view passes it on
        )
    return response
