"""Index maintenance on Article saves and deletes.

A published article is (re-)indexed and its 相关阅读 recomputed when anything it depends on
changed; an article that is no longer published (withdrawn, back to draft) or deleted leaves the
index and every 相关阅读 list at once, and those lists are recomputed. Changes made with
QuerySet.update() send no signal: search and 相关阅读 still hide such articles at once, because
both read through Article.objects.visible(); call `sync(article)` (or `huiwen search_index
--rebuild`) to bring the index itself up to date after bulk updates.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_delete

from huiwen.newsroom.models import Article
from huiwen.search import indexing, related


def sync(article: Article, *, using: str = "default") -> None:
    if article.status == Article.Status.PUBLISHED:
        if indexing.index_article(article, using=using):
            related.refresh(article.pk, using=using)
    elif indexing.unindex_article(article.pk, using=using):
        related.withdraw(article.pk, using=using)


def _saved(sender, instance: Article, using: str, raw: bool = False, **kwargs) -> None:
    if raw:  # loaddata: the fixture's own rows, no side effects
        return
    sync(instance, using=using)


def _deleting(sender, instance: Article, using: str, **kwargs) -> None:
    # Before the cascade removes the rows that say which lists held this article.
    instance._search_affected = related.withdraw_rows(instance.pk, using=using)
    indexing.unindex_article(instance.pk, using=using)


def _deleted(sender, instance: Article, using: str, **kwargs) -> None:
    related.recompute(getattr(instance, "_search_affected", []), using=using)


def connect() -> None:
    post_save.connect(_saved, sender=Article, dispatch_uid="search-article-saved")
    pre_delete.connect(_deleting, sender=Article, dispatch_uid="search-article-deleting")
    post_delete.connect(_deleted, sender=Article, dispatch_uid="search-article-deleted")
