"""Models → the plain dicts the schemas describe. No queries here beyond what was selected.

URLs are absolute (built from the request), so a client can follow them as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.timezone import localtime

from huiwen.newsroom.models import Article, Channel, Publisher


def moment(value: datetime) -> datetime:
    """In the site's time zone, to the second: 2026-01-05T08:30:00+08:00."""
    return localtime(value).replace(microsecond=0)


def _or_none(text: str) -> str | None:
    return text or None


def channel_ref(request: HttpRequest, channel: Channel) -> dict[str, Any]:
    return {
        "id": channel.pk,
        "name": channel.name,
        "path": channel.path,
        "url": request.build_absolute_uri(channel.get_absolute_url()),
    }


def publisher_ref(publisher: Publisher | None) -> dict[str, Any] | None:
    if publisher is None:
        return None
    return {"id": publisher.pk, "name": publisher.name, "url": _or_none(publisher.url)}


def article_summary(request: HttpRequest, article: Article) -> dict[str, Any]:
    return {
        "id": article.pk,
        "title": article.title,
        "excerpt": article.excerpt,
        "published_at": moment(article.published_at),
        "channel": channel_ref(request, article.channel),
        "publisher": publisher_ref(article.publisher),
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "api_url": request.build_absolute_uri(reverse("api-v1:article", kwargs={"article_id": article.pk})),
    }


def print_citation(article: Article) -> dict[str, Any] | None:
    """The 版面出处 line as the article page shows it, and its parts."""
    if not article.has_print_citation:
        return None
    assert article.print_date is not None
    page = f" {article.print_page} 版" if article.print_page else ""
    return {
        "newspaper": article.print_newspaper,
        "date": article.print_date,
        "page": _or_none(article.print_page),
        "text": f"《{article.print_newspaper}》({article.print_date:%Y年%m月%d日}{page})",
    }


def canonical_url(request: HttpRequest, article: Article) -> str:
    """The article page's <link rel="canonical">, by the same rule as reader.views.article."""
    if settings.HUIWEN["CANONICAL"] == "original" and article.source_url:
        return article.source_url
    return request.build_absolute_uri(article.get_absolute_url())


def article_detail(request: HttpRequest, article: Article) -> dict[str, Any]:
    return {
        **article_summary(request, article),
        "column": _or_none(article.column),
        "original_title": _or_none(article.original_title),
        "original_author": _or_none(article.original_author),
        "editor": _or_none(article.editor),
        "source_editor": _or_none(article.source_editor),
        "source_url": article.source_url or None,
        "lede": _or_none(article.lede),
        "body_html": article.body,  # sanitised on save (newsroom.text.clean_body_html)
        "updated_at": moment(article.updated_at),
        "print_citation": print_citation(article),
        "breadcrumbs": [channel_ref(request, channel) for channel in article.channel.lineage()],
        "canonical_url": canonical_url(request, article),
    }


def channel_tree(request: HttpRequest, channels: Iterable[Channel]) -> list[dict[str, Any]]:
    """Nested nodes from channels sorted parents first (by depth), siblings in their order."""
    nodes: dict[int, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for channel in channels:
        node = {
            "id": channel.pk,
            "name": channel.name,
            "slug": channel.slug,
            "path": channel.path,
            "description": _or_none(channel.description),
            "url": request.build_absolute_uri(channel.get_absolute_url()),
            "articles_url": request.build_absolute_uri(reverse("api-v1:articles") + f"?channel={channel.path}"),
            "children": [],
        }
        nodes[channel.pk] = node
        siblings = roots if channel.parent_id is None else nodes[channel.parent_id]["children"]
        siblings.append(node)
    return roots
