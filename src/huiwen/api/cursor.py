"""Keyset pagination for the newest-first article list.

A cursor names the last article of a page by its sort key, (published_at, id), so the next page
is "older than that" — one index range, however deep the client pages, and stable while new
articles arrive (an offset would shift and repeat items). It reads `<microseconds since
0001-01-01 UTC>-<id>`: every string of that form is a valid position (one beyond the last
representable moment means "from the newest"), so the pattern in the OpenAPI document is the
whole validation. Clients should treat it as opaque.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db.models import Q

from huiwen.newsroom.models import Article, ArticleQuerySet

PATTERN = r"^[0-9]{1,18}-[0-9]{1,18}$"
_EPOCH = datetime(1, 1, 1, tzinfo=UTC)  # not 1970: an archive may hold older articles
_LAST = (datetime(9999, 12, 31, tzinfo=UTC) - _EPOCH) // timedelta(microseconds=1)


def encode(article: Article) -> str:
    micros = (article.published_at - _EPOCH) // timedelta(microseconds=1)
    return f"{micros}-{article.pk}"


def after(articles: ArticleQuerySet, cursor: str) -> ArticleQuerySet:
    """The articles that come after `cursor` in newest-first order."""
    micros, pk = (int(part) for part in cursor.split("-"))
    moment = _EPOCH + timedelta(microseconds=min(micros, _LAST))  # exact, unlike a float timestamp
    return articles.filter(Q(published_at__lt=moment) | Q(published_at=moment, pk__lt=pk))
