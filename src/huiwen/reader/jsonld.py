"""schema.org JSON-LD: NewsArticle and BreadcrumbList on article pages; WebSite (with SearchAction),
Organization and CollectionPage/ItemList on home and channel pages.

Every URL is the page's own edition's, and `inLanguage` names the edition (zh-Hans or zh-Hant);
the Traditional middleware then converts the names inside like the rest of the page. Google's
required and recommended NewsArticle properties are all present: headline, image (the article's
first image, else the site's share image, 1,200 px wide), datePublished, dateModified (the last
content change, newsroom.lastmod), author, publisher with its logo.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import orjson
from django.conf import settings
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

from huiwen.newsroom.lastmod import last_modified
from huiwen.newsroom.models import Article, Channel
from huiwen.reader import editions
from huiwen.reader.assets import static

# JSON inside <script> must not be able to close the element or open a comment.
_SCRIPT_ESCAPES = (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026"))
_FIRST_IMAGE = re.compile(r'<img\b[^>]*?\ssrc="([^"]+)"', re.IGNORECASE)
# The share card and the publisher logo (reader/static/reader/), with their sizes in pixels.
SHARE_IMAGE = ("reader/share.png", 1200, 630)
LOGO = ("reader/logo.png", 600, 60)


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def _edition_url(request: HttpRequest, path: str) -> str:
    return _absolute(request, editions.of(request).path(path))


def image_object(request: HttpRequest, asset: tuple[str, int, int]) -> dict[str, Any]:
    name, width, height = asset
    return {"@type": "ImageObject", "url": _absolute(request, static(name)), "width": width, "height": height}


def article_image(request: HttpRequest, article: Article) -> str | None:
    """The absolute URL of the article's first image, if its body has one."""
    found = _FIRST_IMAGE.search(article.body or "")
    return _absolute(request, found.group(1)) if found else None


def share_image(request: HttpRequest, article: Article | None = None) -> str:
    """The image a share card or a crawler shows for a page: the article's own, else the site's."""
    return (article_image(request, article) if article else None) or _absolute(request, static(SHARE_IMAGE[0]))


def organization(request: HttpRequest) -> dict[str, Any]:
    return {
        "@type": "Organization",
        "@id": _absolute(request, "/#organization"),
        "name": settings.HUIWEN["SITE_NAME"],
        "url": _edition_url(request, "/"),
        "logo": image_object(request, LOGO),
    }


def _website(request: HttpRequest) -> dict[str, Any]:
    return {
        "@type": "WebSite",
        "@id": _absolute(request, "/#website"),
        "name": settings.HUIWEN["SITE_NAME"],
        "url": _edition_url(request, "/"),
        "inLanguage": editions.of(request).lang,
        "publisher": {"@id": _absolute(request, "/#organization")},
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint",
                       "urlTemplate": _edition_url(request, "/search") + "?q={search_term_string}"},
            "query-input": "required name=search_term_string",
        },
    }


def _breadcrumb_list(request: HttpRequest, breadcrumbs: list[Channel]) -> dict[str, Any]:
    trail = [("首页", _edition_url(request, "/"))]
    trail += [(channel.name, _edition_url(request, channel.get_absolute_url())) for channel in breadcrumbs]
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": index, "name": name, "item": url}
            for index, (name, url) in enumerate(trail, start=1)
        ],
    }


def _news_article(request: HttpRequest, article: Article) -> dict[str, Any]:
    image = article_image(request, article)
    data: dict[str, Any] = {
        "@type": "NewsArticle",
        "headline": article.title[:110],  # Google truncates headlines beyond 110 characters
        "image": [image] if image else [image_object(request, SHARE_IMAGE)],
        "datePublished": localtime(article.published_at).isoformat(),
        "dateModified": localtime(last_modified(article)).isoformat(),
        "mainEntityOfPage": _edition_url(request, article.get_absolute_url()),
        "url": _edition_url(request, article.get_absolute_url()),
        "inLanguage": editions.of(request).lang,
        "articleSection": article.channel.name,
        "description": article.excerpt,
        "publisher": organization(request),
    }
    if article.original_author:
        data["author"] = {"@type": "Person", "name": article.original_author}
    elif article.publisher:  # no named writer: the work is the original publisher's
        data["author"] = {"@type": "Organization", "name": article.publisher.name}
    if article.editor:  # 责任编辑: our editor who answers for the reprint, by real name
        data["editor"] = {"@type": "Person", "name": article.editor}
    if article.publisher:
        # The reprint's origin: who published the work first, and where.
        data["sourceOrganization"] = {"@type": "Organization", "name": article.publisher.name}
        if article.publisher.url:
            data["sourceOrganization"]["url"] = article.publisher.url
    if article.source_url:
        data["isBasedOn"] = article.source_url
    return data


def _collection(request: HttpRequest, name: str, path: str, articles: Iterable[Article]) -> dict[str, Any]:
    return {
        "@type": "CollectionPage",
        "name": name,
        "url": _edition_url(request, path),
        "inLanguage": editions.of(request).lang,
        "isPartOf": {"@id": _absolute(request, "/#website")},
        "mainEntity": {
            "@type": "ItemList",
            "itemListElement": [
                {"@type": "ListItem", "position": index, "url": _edition_url(request, item.get_absolute_url()),
                 "name": item.title}
                for index, item in enumerate(articles, start=1)
            ],
        },
    }


def _script(nodes: list[dict[str, Any]]) -> SafeString:
    graph = {"@context": "https://schema.org", "@graph": nodes}
    # orjson writes what json.dumps(ensure_ascii=False, separators=(",", ":")) writes, several
    # times faster (every article page carries a graph).
    text = orjson.dumps(graph).decode()
    for character, escaped in _SCRIPT_ESCAPES:  # three replaces in C cost less than translate()'s lookups
        text = text.replace(character, escaped)
    return mark_safe(text)


def for_article(request: HttpRequest, article: Article, breadcrumbs: list[Channel]) -> SafeString:
    return _script([_news_article(request, article), _breadcrumb_list(request, breadcrumbs)])


def for_home(request: HttpRequest, articles: Iterable[Article]) -> SafeString:
    name = settings.HUIWEN["SITE_NAME"]
    return _script([_website(request), organization(request), _collection(request, name, "/", articles)])


def for_channel(request: HttpRequest, channel: Channel, breadcrumbs: list[Channel], path: str,
                articles: Iterable[Article]) -> SafeString:
    return _script([_website(request), organization(request), _collection(request, channel.name, path, articles),
                    _breadcrumb_list(request, breadcrumbs)])
