"""RSS 2.0 and Atom feeds, site-wide and per channel, in both editions, on Django's syndication framework.

Subclasses only fill in the declared hooks (items, title, link...). Last-Modified comes from
ArticleQuerySet.last_change(), so a withdrawal changes the header even though the withdrawn
item simply disappears from the feed.

The Traditional edition's feeds (/zh-hant/feed/rss.xml, /zh-hant/<channel>/atom.xml) are the
same feeds with their text converted (phrase list, then OpenCC, as pages are), their language
zh-tw and their links in the edition. The framework's hooks receive only the feed object or an
item, never the request, so the edition travels inside them: the feed object is a `Scope`
(channel and edition) and each item an `Entry` (article and edition). Feed instances are shared
by every thread of a worker, so nothing is kept on `self`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.http import http_date

from huiwen.newsroom.lastmod import last_modified, with_last_modified
from huiwen.newsroom.models import Article, ArticleQuerySet, Channel
from huiwen.newsroom.tags import depend
from huiwen.reader import editions
from huiwen.reader.editions import Edition


@dataclass(frozen=True)
class Scope:
    channel: Channel | None  # None: the whole site
    edition: Edition


@dataclass(frozen=True)
class Entry:
    article: Article
    edition: Edition

    def get_absolute_url(self) -> str:
        return self.edition.path(self.article.get_absolute_url())



class LatestArticlesRss(Feed[Entry, Scope]):
    """The newest visible articles of the whole site."""

    feed_type: type[SyndicationFeed] = Rss201rev2Feed

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = super().__call__(request, *args, **kwargs)
        changed = self.changed_at(self.get_object(request, *args, **kwargs))
        if changed is not None:
            response.headers["Last-Modified"] = http_date(changed.timestamp())
        response.headers["Content-Language"] = editions.of(request).lang
        return response

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Scope:
        return Scope(None, editions.of(request))

    def get_feed(self, obj: Scope, request: HttpRequest) -> SyndicationFeed:
        feed = super().get_feed(obj, request)
        feed.feed["language"] = obj.edition.region_lang  # the framework only takes a class attribute
        return feed

    def scope(self, obj: Scope) -> ArticleQuerySet:
        return Article.objects.all()

    def changed_at(self, obj: Scope) -> datetime | None:
        return self.scope(obj).last_change()

    def items(self, obj: Scope) -> list[Entry]:
        # Each entry's updated time in the same query: asked per entry, it was a query an entry.
        visible = with_last_modified(self.scope(obj).visible().for_listing())
        items = list(visible[: settings.HUIWEN["FEED_SIZE"]])
        listing = "list:all" if obj.channel is None else f"list:{obj.channel.pk}"
        depend(listing, *[f"article:{item.pk}" for item in items])
        return [Entry(item, obj.edition) for item in items]

    def title(self, obj: Scope) -> str:
        return obj.edition.text(f"{settings.HUIWEN['SITE_NAME']} - 最新文章")

    def link(self, obj: Scope) -> str:
        return obj.edition.path("/")

    def description(self, obj: Scope) -> str:
        return obj.edition.text(f"{settings.HUIWEN['SITE_NAME']}转载的最新新闻")

    def item_title(self, item: Entry) -> str:
        return item.edition.text(item.article.title)

    def item_description(self, item: Entry) -> str:
        return item.edition.text(item.article.excerpt)

    def item_pubdate(self, item: Entry) -> datetime:
        return item.article.published_at

    def item_updateddate(self, item: Entry) -> datetime:
        return last_modified(item.article)

    def item_author_name(self, item: Entry) -> str | None:
        return item.edition.text(item.article.original_author) or None

    def item_categories(self, item: Entry) -> list[str]:
        return [item.edition.text(item.article.channel.name)]


class LatestArticlesAtom(LatestArticlesRss):
    feed_type = Atom1Feed

    def subtitle(self, obj: Scope) -> str:
        return self.description(obj)


class ChannelRss(LatestArticlesRss):
    """The newest visible articles of one channel and the channels below it."""

    def get_object(self, request: HttpRequest, *args: Any, path: str = "", **kwargs: Any) -> Scope:
        channel = get_object_or_404(Channel.objects.public(), path=path)
        return Scope(channel, editions.of(request))

    def scope(self, obj: Scope) -> ArticleQuerySet:
        assert obj.channel is not None
        return Article.objects.in_channel_tree(obj.channel)

    def changed_at(self, obj: Scope) -> datetime | None:
        assert obj.channel is not None
        return Article.objects.last_change_in_tree(obj.channel)

    def title(self, obj: Scope) -> str:
        assert obj.channel is not None
        return obj.edition.text(f"{settings.HUIWEN['SITE_NAME']} - {obj.channel.name}")

    def link(self, obj: Scope) -> str:
        assert obj.channel is not None
        return obj.edition.path(obj.channel.get_absolute_url())

    def description(self, obj: Scope) -> str:
        assert obj.channel is not None
        return obj.edition.text(obj.channel.description or f"{obj.channel.name}的最新文章")


class ChannelAtom(ChannelRss):
    feed_type = Atom1Feed

    def subtitle(self, obj: Scope) -> str:
        return self.description(obj)
