"""Running a parsed query: the index finds and ranks, Article.objects.visible() decides what is public."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.safestring import SafeString

from huiwen.newsroom.models import Article, ArticleQuerySet, Channel, Publisher
from huiwen.newsroom.text import html_to_text
from huiwen.search.backends import get_backend
from huiwen.search.highlight import highlight, snippet
from huiwen.search.query import ParsedQuery

ORDERS = ("rank", "new")


@dataclass(frozen=True)
class Filters:
    channel: Channel | None = None
    publisher: Publisher | None = None
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class Hit:
    article: Article
    title: SafeString
    snippet: SafeString


@dataclass(frozen=True)
class Results:
    hits: list[Hit]
    total: int


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def visible_articles(filters: Filters) -> ArticleQuerySet:
    articles = Article.objects.visible()
    if filters.channel is not None:
        articles = articles.in_channel_tree(filters.channel)
    if filters.publisher is not None:
        articles = articles.filter(publisher=filters.publisher)
    if filters.since is not None:
        articles = articles.filter(published_at__gte=_start_of(filters.since))
    if filters.until is not None:
        articles = articles.filter(published_at__lt=_start_of(filters.until + timedelta(days=1)))
    return articles


def matching(query: ParsedQuery, filters: Filters, *, ranked: bool = True):
    """Index rows of visible, filtered articles matching `query` (pk = article id)."""
    visible = visible_articles(filters).filter(pk=OuterRef("pk"))
    return get_backend().matches(query, ranked=ranked).filter(Exists(visible))


def run(query: ParsedQuery, filters: Filters, *, order: str = "rank", offset: int = 0, limit: int = 20) -> Results:
    rows = matching(query, filters)
    if order == "new":
        published = Article.objects.filter(pk=OuterRef("pk")).values("published_at")[:1]
        rows = rows.annotate(published=Subquery(published)).order_by("-published", "-pk")
    else:
        rows = rows.order_by("rank", "-pk")
    ids = list(rows.values_list("pk", flat=True)[offset : offset + limit])
    total = matching(query, filters, ranked=False).count() if ids or offset else 0
    found = {
        article.pk: article
        for article in Article.objects.visible().filter(pk__in=ids).select_related("channel", "publisher")
    }
    terms = query.highlights
    hits = [
        Hit(
            article=found[pk],
            title=highlight(found[pk].title, terms),
            snippet=snippet(f"{found[pk].lede}\n{html_to_text(found[pk].body)}", terms),
        )
        for pk in ids
        if pk in found
    ]
    return Results(hits, total)
