"""schema.org JSON-LD for article pages: NewsArticle and BreadcrumbList."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

from huiwen.newsroom.models import Article, Channel

# JSON inside <script> must not be able to close the element or open a comment.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _breadcrumb_list(request: HttpRequest, breadcrumbs: list[Channel]) -> dict[str, Any]:
    trail = [("首页", request.build_absolute_uri("/"))]
    trail += [(channel.name, request.build_absolute_uri(channel.get_absolute_url())) for channel in breadcrumbs]
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": index, "name": name, "item": url}
            for index, (name, url) in enumerate(trail, start=1)
        ],
    }


def _news_article(request: HttpRequest, article: Article) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@type": "NewsArticle",
        "headline": article.title[:110],  # Google truncates headlines beyond 110 characters
        "datePublished": localtime(article.published_at).isoformat(),
        "dateModified": localtime(article.updated_at).isoformat(),
        "mainEntityOfPage": request.build_absolute_uri(article.get_absolute_url()),
        "inLanguage": "zh-Hans",
        "articleSection": article.channel.name,
        "description": article.excerpt,
        "publisher": {
            "@type": "Organization",
            "name": settings.HUIWEN["SITE_NAME"],
            "url": request.build_absolute_uri("/"),
        },
    }
    if article.original_author:
        data["author"] = {"@type": "Person", "name": article.original_author}
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


def for_article(request: HttpRequest, article: Article, breadcrumbs: list[Channel]) -> SafeString:
    graph = {
        "@context": "https://schema.org",
        "@graph": [_news_article(request, article), _breadcrumb_list(request, breadcrumbs)],
    }
    text = json.dumps(graph, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return mark_safe(text)
