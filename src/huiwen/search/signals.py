"""Index maintenance on Article saves and deletes.

A published article is (re-)indexed and its 相关阅读 recomputed when anything it depends on
changed; an article that is no longer published (withdrawn, back to draft) or deleted leaves the
index and every 相关阅读 list at once, and those lists are recomputed. Changes made with
QuerySet.update() send no signal: search and 相关阅读 still hide such articles at once, because
both read through Article.objects.visible(); call `sync(article)` (or `huiwen search_index
--rebuild`) to bring the index itself up to date after bulk updates.

Inside `deferred()` (the collector's batches) saves are only noted, and the articles are synced
together when the block ends, in the same transaction: one batch of index writes and one of
相关阅读 lists instead of one of each per article.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db.models.signals import post_delete, post_save, pre_delete

from huiwen.newsroom.models import Article
from huiwen.search import indexing, related

# (database alias, article id) of the saves noted by the innermost open deferred() block.
_pending: contextvars.ContextVar[set[tuple[str, int]] | None] = contextvars.ContextVar(
    "huiwen_search_pending", default=None
)


def sync(article: Article, *, using: str = "default") -> None:
    sync_many([article], using=using)


def sync_many(articles: Iterable[Article], *, using: str = "default") -> None:
    """Bring the index and the 相关阅读 lists in step with these articles as they now are."""
    articles = list(articles)
    published = [article for article in articles if article.status == Article.Status.PUBLISHED]
    changed = indexing.index_many(published, using=using)
    if changed:
        related.refresh_many(changed, using=using)
    for article in articles:
        if article.status != Article.Status.PUBLISHED and indexing.unindex_article(article.pk, using=using):
            related.withdraw(article.pk, using=using)


@contextmanager
def deferred() -> Iterator[None]:
    """Sync the articles saved inside the block once, together, when it ends without an error.

    Wrap it in the transaction that holds the saves: an error rolls back the saves and the
    index stays as it was, so there is nothing to sync.
    """
    if _pending.get() is not None:  # an outer block syncs everything
        yield
        return
    pending: set[tuple[str, int]] = set()
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    for using in {alias for alias, _ in pending}:
        ids = [pk for alias, pk in pending if alias == using]
        # Read back: what the index needs is what was stored last, not any one instance's state.
        sync_many(Article.objects.using(using).filter(pk__in=ids).order_by("pk"), using=using)


def _saved(sender, instance: Article, using: str, raw: bool = False, **kwargs) -> None:
    if raw:  # loaddata: the fixture's own rows, no side effects
        return
    pending = _pending.get()
    if pending is not None:
        pending.add((using, instance.pk))
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
