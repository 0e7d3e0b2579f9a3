"""RSS 2.0 and Atom feeds, site-wide and per channel, built on Django's syndication framework.

Subclasses only fill in the declared hooks (items, title, link...). Last-Modified comes from
ArticleQuerySet.last_change(), so a withdrawal changes the header even though the withdrawn
item simply disappears from the feed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.http import http_date

from huiwen.newsroom.models import Article, ArticleQuerySet, Channel
from huiwen.publish.tags import depend


class LatestArticlesRss(Feed):
    """The newest visible articles of the whole site."""

    feed_type = Rss201rev2Feed
    language = "zh-cn"

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = super().__call__(request, *args, **kwargs)
        changed = self.scope(self.get_object(request, *args, **kwargs)).last_change()
        if changed is not None:
            response.headers["Last-Modified"] = http_date(changed.timestamp())
        return response

    def scope(self, obj: Channel | None) -> ArticleQuerySet:
        return Article.objects.all()

    def items(self, obj: Channel | None) -> list[Article]:
        visible = self.scope(obj).visible().for_listing()
        items = list(visible[: settings.HUIWEN["FEED_SIZE"]])
        depend("list:all" if obj is None else f"list:{obj.pk}", *[f"article:{item.pk}" for item in items])
        return items

    def title(self, obj: Channel | None) -> str:
        return f"{settings.HUIWEN['SITE_NAME']} - 最新文章"

    def link(self, obj: Channel | None) -> str:
        return "/"

    def description(self, obj: Channel | None) -> str:
        return f"{settings.HUIWEN['SITE_NAME']}转载的最新新闻"

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.excerpt

    def item_pubdate(self, item: Article) -> datetime:
        return item.published_at

    def item_updateddate(self, item: Article) -> datetime:
        return item.updated_at

    def item_author_name(self, item: Article) -> str | None:
        return item.original_author or None

    def item_categories(self, item: Article) -> list[str]:
        return [item.channel.name]


class LatestArticlesAtom(LatestArticlesRss):
    feed_type = Atom1Feed

    def subtitle(self, obj: Channel | None) -> str:
        return self.description(obj)


class ChannelRss(LatestArticlesRss):
    """The newest visible articles of one channel and the channels below it."""

    def get_object(self, request: HttpRequest, path: str) -> Channel:  # type: ignore[override]
        return get_object_or_404(Channel.objects.public(), path=path)

    def scope(self, obj: Channel | None) -> ArticleQuerySet:
        assert obj is not None
        return Article.objects.in_channel_tree(obj)

    def title(self, obj: Channel | None) -> str:
        assert obj is not None
        return f"{settings.HUIWEN['SITE_NAME']} - {obj.name}"

    def link(self, obj: Channel | None) -> str:
        assert obj is not None
        return obj.get_absolute_url()

    def description(self, obj: Channel | None) -> str:
        assert obj is not None
        return obj.description or f"{obj.name}的最新文章"


class ChannelAtom(ChannelRss):
    feed_type = Atom1Feed

    def subtitle(self, obj: Channel | None) -> str:
        return self.description(obj)
