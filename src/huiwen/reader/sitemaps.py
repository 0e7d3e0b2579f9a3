"""Sitemaps: an index over article, channel and Google News sitemaps (django.contrib.sitemaps).

Each Sitemap class names its template, so one section view serves them all. Every item comes
from the visibility rule; Last-Modified comes from ArticleQuerySet.last_change() so that
conditional GET notices withdrawals as well as new articles.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import index as sitemap_index_view
from django.contrib.sitemaps.views import sitemap as sitemap_section_view
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from huiwen.newsroom.models import Article, Channel
from huiwen.publish.tags import depend

# Google News reads only articles published in the last two days, at most 1,000 per sitemap.
# https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap
NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000


class HuiwenSitemap(Sitemap):
    template_name = "sitemap.xml"

    def get_latest_lastmod(self) -> datetime | None:
        return Article.objects.last_change()

    def get_urls(self, *args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        urls: list[dict[str, Any]] = super().get_urls(*args, **kwargs)
        # The section view's Last-Modified: the whole scope's last change, not just the newest
        # item, so a withdrawal (an item vanishing) counts as a modification.
        self.latest_lastmod = self.get_latest_lastmod()
        return urls


class ArticleSitemap(HuiwenSitemap):
    limit = 5000

    def items(self) -> Any:
        return Article.objects.visible().order_by("-published_at", "-pk").only("pk", "updated_at")

    def lastmod(self, item: Article) -> datetime:
        return item.updated_at


class ChannelSitemap(HuiwenSitemap):
    def items(self) -> list[Channel]:
        return list(Channel.objects.public().order_by("path"))

    def location(self, item: Channel) -> str:
        return item.get_absolute_url()


class NewsSitemap(HuiwenSitemap):
    """Google News sitemap: articles of the last two days with news:publication and news:title."""

    template_name = "reader/sitemap_news.xml"

    def items(self) -> Any:
        since = timezone.now() - NEWS_WINDOW
        visible = Article.objects.visible().filter(published_at__gte=since)
        return visible.order_by("-published_at", "-pk")[:NEWS_LIMIT]

    def lastmod(self, item: Article) -> datetime:
        return item.updated_at

    def get_latest_lastmod(self) -> datetime | None:
        return Article.objects.filter(published_at__gte=timezone.now() - NEWS_WINDOW).last_change()

    def get_urls(self, *args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        urls = super().get_urls(*args, **kwargs)
        publication = {"name": settings.HUIWEN["SITE_NAME"], "language": settings.HUIWEN["SITE_LANGUAGE"]}
        for url in urls:
            url["news"] = {"publication": publication, "title": url["item"].title,
                           "publication_date": url["item"].published_at}
        return urls


SITEMAPS: dict[str, type[HuiwenSitemap]] = {
    "articles": ArticleSitemap,
    "channels": ChannelSitemap,
    "news": NewsSitemap,
}


def sitemap_index(request: HttpRequest) -> HttpResponse:
    depend("list:all", "nav", "sitemap")
    response: HttpResponse = sitemap_index_view(
        request, SITEMAPS, sitemap_url_name="reader:sitemap-section"
    )
    return response


def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    if section not in SITEMAPS:
        raise Http404("没有这个网站地图")
    depend("list:all", "nav", "sitemap")  # every article save bumps sitemap; channel changes bump nav
    response: HttpResponse = sitemap_section_view(
        request, SITEMAPS, section=section, template_name=SITEMAPS[section].template_name
    )
    return response
