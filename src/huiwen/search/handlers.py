"""Index upkeep, as handlers of the change path (newsroom.changes): the index, then 相关阅读.

A published article is (re-)indexed and its 相关阅读 recomputed when anything it depends on
changed; an article that is no longer published (withdrawn, back to draft) or deleted leaves the
index and every 相关阅读 list at once, and those lists are recomputed. Both run once per change
set: a collector's batch is one round of index writes and one of 相关阅读 lists. Changes made
with QuerySet.update() are no changes of the change path: search and 相关阅读 still hide such
articles at once, because both read through Article.objects.visible(); call `sync(article)` (or
`huiwen search_index --rebuild`) to bring the index itself up to date after bulk updates.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from huiwen.newsroom import changes
from huiwen.newsroom.changes import Change, ChangeSet
from huiwen.newsroom.models import Article
from huiwen.search import indexing, related
from huiwen.search.models import Profile, RelatedArticle


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


def _as_stored(changeset: ChangeSet) -> dict[str, list[Article]]:
    """The changed articles, per database, as stored now: read back when the set holds several (an
    article may have been changed again after its save, a story assigned by QuerySet.update())."""
    latest = [change for change in changeset.latest(Article) if not change.deleted and not change.indexed_later]
    found: dict[str, list[Article]] = {}
    if len(changeset.changes) == 1 and latest:
        change = latest[0]
        found[change.using] = [cast(Article, change.instance)]  # latest(Article): its changes of articles
        return found
    for using in {change.using for change in latest}:
        ids = [change.pk for change in latest if change.using == using]
        found[using] = list(Article.objects.using(using).filter(pk__in=ids).order_by("pk"))
    return found


def _leaving(change: Change, changeset: ChangeSet) -> None:
    """Just before an article's row is deleted: out of the index and out of every list, noting the
    lists that held it (the cascade is about to remove the rows that say which)."""
    if change.deleted and isinstance(change.instance, Article):
        affected = cast(list[tuple[str, list[int]]], changeset.notes.setdefault("search.affected", []))
        affected.append((change.using, related.withdraw_rows(change.pk, using=change.using)))
        indexing.unindex_article(change.pk, using=change.using)


def _index(changeset: ChangeSet) -> None:
    indexed: list[tuple[str, list[int]]] = []
    unindexed: list[tuple[str, int]] = []
    for using, articles in _as_stored(changeset).items():
        published = [article for article in articles if article.status == Article.Status.PUBLISHED]
        indexed.append((using, indexing.index_many(published, using=using)))
        unindexed += [(using, article.pk) for article in articles
                      if article.status != Article.Status.PUBLISHED
                      and indexing.unindex_article(article.pk, using=using)]
    changeset.notes["search.indexed"] = indexed
    changeset.notes["search.unindexed"] = unindexed


def _related(changeset: ChangeSet) -> None:
    # The notes _index and _leaving left (a change set's notes are objects to it), each taken in turn.
    for using, changed in cast(list[tuple[str, list[int]]], changeset.notes.pop("search.indexed", [])):
        if changed:
            related.refresh_many(changed, using=using)
    for using, pk in cast(list[tuple[str, int]], changeset.notes.pop("search.unindexed", [])):
        related.withdraw(pk, using=using)
    for using, owners in cast(list[tuple[str, list[int]]], changeset.notes.pop("search.affected", [])):
        related.recompute(owners, using=using)
    _story_moves(changeset)


def _story_moves(changeset: ChangeSet) -> None:
    """An article moved into a story (newsroom.stories) is no 相关阅读 of its new story's copies:
    their lists that hold it are marked stale, recomputed when next shown (their pages were
    invalidated with the article's tag; its own list was recomputed with its index entry)."""
    moved: dict[str, dict[int, object]] = {}
    for change in changeset.of(Article):
        if not change.created and not change.deleted and change.changed("story_id"):
            moved.setdefault(change.using, {})[change.pk] = change.after.get("story_id")
    for using, stories in moved.items():
        holders = RelatedArticle.objects.using(using).filter(related_id__in=list(stories))
        stale = {owner for owner, item, story in holders.values_list("article_id", "related_id", "article__story_id")
                 if story is not None and story == stories[item]}
        Profile.objects.using(using).filter(pk__in=sorted(stale)).update(related_at=None)


def _catch_up(article_ids: list[int], using: str) -> None:
    """Articles changed in bulk (changes recorded with `indexed_later`, a takedown's withdrawal):
    the published ones synced, the others out of the index and of every 相关阅读 list, and the lists
    that lost one marked stale (recomputed when next shown: the pages showing them were
    invalidated by the change itself)."""
    articles = list(Article.objects.using(using).filter(pk__in=article_ids))
    published = [article for article in articles if article.status == Article.Status.PUBLISHED]
    if published:
        sync_many(published, using=using)
    gone = sorted(set(article_ids) - {article.pk for article in published})
    owners: set[int] = set()
    for pk in gone:
        indexing.unindex_article(pk, using=using)
        owners.update(related.withdraw_rows(pk, using=using))
    Profile.objects.using(using).filter(pk__in=sorted(owners - set(gone))).update(related_at=None)


def register() -> None:
    changes.register("search.index", "catch-up", _catch_up)
    changes.register("search.index", "change", _leaving)
    changes.register("search.index", "set", _index)
    changes.register("search.related", "set", _related)
