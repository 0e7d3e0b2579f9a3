"""An article's last change as readers see it: its publication, or a later edit of what the page shows."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F, QuerySet

from huiwen.newsroom.models import CONTENT_FIELDS, Article, ContentChange

__all__ = ["CONTENT_FIELDS", "last_modified", "with_last_modified"]


def with_last_modified(articles: QuerySet[Article]) -> QuerySet[Article]:
    """The queryset with each article's content change time read in the same query (a LEFT JOIN)."""
    return articles.annotate(content_changed_at=F("content_change__changed_at"))


def last_modified(article: Article) -> datetime:
    """max(publication, last content change)."""
    if hasattr(article, "content_changed_at"):
        changed = article.content_changed_at
    else:
        changed = ContentChange.objects.filter(article_id=article.pk).values_list("changed_at", flat=True).first()
    return max(article.published_at, changed) if changed else article.published_at
