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

import html
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import index as sitemap_index_view
from django.contrib.sitemaps.views import sitemap as sitemap_section_view
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.html import strip_spaces_between_tags

from huiwen.newsroom.lastmod import last_modified, with_last_modified
from huiwen.newsroom.models import Article, Channel
from huiwen.newsroom.tags import depend
from huiwen.reader.editions import EDITIONS, SIMPLIFIED, TRADITIONAL, Edition

# Google News reads only articles published in the last two days, at most 1,000 per sitemap.
# https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap
NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000


_Item = TypeVar("_Item", Article, Channel)

_URLSET = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
           '{namespaces} xmlns:xhtml="http://www.w3.org/1999/xhtml">\n{urls}\n</urlset>\n')
_NEWS_NAMESPACE = ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'


def _iso(value: date) -> str:
    """What the templates' `|date:"c"` writes: ISO 8601 in the current time zone."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.isoformat()


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
        escape = html.escape
        parts: list[str] = []
        for url in urls:
            parts.append(f"<url><loc>{escape(str(url['location']))}</loc>")
            if url.get("lastmod"):
                parts.append(f"<lastmod>{escape(_iso(url['lastmod']))}</lastmod>")
            if self.news:
                news = url["news"]
                publication = news["publication"]
                parts.append(
                    f"<news:news><news:publication><news:name>{escape(str(publication['name']))}</news:name>"
                    f"<news:language>{escape(str(publication['language']))}</news:language></news:publication>"
                    f"<news:publication_date>{escape(_iso(news['publication_date']))}</news:publication_date>"
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

    def get_latest_lastmod(self) -> datetime | None:
        return Article.objects.last_change()

    def location(self, item: _Item) -> str:
        return self.edition.path(item.get_absolute_url())

    def get_urls(self, *args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        urls: list[dict[str, Any]] = super().get_urls(*args, **kwargs)
        for url in urls:
            plain = url["item"].get_absolute_url()
            base = url["location"].removesuffix(self.location(url["item"]))
            url["alternates"] = [{"lang_code": edition.lang, "location": base + edition.path(plain)}
                                 for edition in EDITIONS]
            url["alternates"].append({"lang_code": "x-default", "location": base + plain})
        # The section view's Last-Modified: the whole scope's last change, not just the newest
        # item, so a withdrawal (an item vanishing) counts as a modification.
        self.latest_lastmod = self.get_latest_lastmod()
        return urls


class ArticleSitemap(HuiwenSitemap[Article]):
    limit = 5000

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
        for url in urls:
            url["news"] = {"publication": publication, "title": self.edition.text(url["item"].title),
                           "publication_date": url["item"].published_at}
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
    response: HttpResponse = sitemap_index_view(
        request, _VIEWS_SITEMAPS, sitemap_url_name="reader:sitemap-section"
    )
    return response


def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    if section not in SITEMAPS:
        raise Http404("没有这个网站地图")
    depend("list:all", "nav", "sitemap")  # every article save bumps sitemap; channel changes bump nav
    response: HttpResponse = sitemap_section_view(
        request, _VIEWS_SITEMAPS, section=section,
        template_name=cast(str, SITEMAPS[section].writer),  # a template object; the view passes it on
    )
    return response
