"""Withdrawal and restoration at any scale: the visible change at once, the upkeep after, in batches.

A notice can reach thousands of articles (every copy of every story it names). Saving them one by
one (newsroom.actions, where each save re-indexes and recomputes 相关阅读) in one transaction held
SQLite's write lock for half an hour. Here:

1. `hide()` / `show()` change the status of `TAKEDOWN["BATCH"]` articles per short transaction: one
   UPDATE, each article's change recorded on the change path (newsroom.changes, one change set per
   batch: the history rows, the page-cache tags, the published files and the images follow), audit rows in
   bulk, the blocklist. Every surface reads `Article.objects.visible()`, so each batch is gone from (or
   back on) every page, list, feed, sitemap, search result and 相关阅读 block as it commits.
2. `upkeep()` then brings the search index and the 相关阅读 lists in step (`changes.catch_up`: the
   changes were recorded with `indexed_later`), `UPKEEP_BATCH` articles per transaction, from
   `Upkeep` rows written together with the change (a crash in between loses nothing): for a moment
   right after the change, then from the worker every minute. Lists that lost an article are
   marked stale and recomputed when next shown (as search.related does for all but the first
   few), since every page showing the article was invalidated in step 1.

Between transactions the loop pauses on SQLite: its busy handler lets a waiting writer (a
collector, an editor) poll only every 100 ms, and without a gap the next batch would take the
lock first every time, starving it until its busy timeout ("database is locked").
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping, Sequence

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from huiwen.newsroom import actions, changes
from huiwen.newsroom.models import Article, AuditEntry
from huiwen.takedown import blocklist
from huiwen.takedown.models import Notice, Upkeep

UPKEEP_BATCH = 5  # articles per upkeep transaction: well under a second each (bench/takedown.py)
PAUSE = 0.15  # seconds between transactions on SQLite: longer than its busy handler's 100 ms poll


def _breathe() -> None:
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        time.sleep(PAUSE)


def _chunks(ids: Sequence[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start:start + size])


def _audit_rows(action: str, articles: Iterable[Article], actor: object, reason: str,
                details: Mapping[int, Mapping[str, object]]) -> list[AuditEntry]:
    user = actions.audit_user(actor)
    name = actions.actor_name(user)
    return [AuditEntry(action=action, article=article, article_title=article.title[:200], actor=user,
                       actor_name=name, reason=reason, details=details[article.pk]) for article in articles]


def _change(articles: list[Article], status: dict[int, str], kind: str, actor: object, reason: str) -> None:
    """Set each article's status: one UPDATE per new status, each article's change recorded (its
    revision and page-cache tags follow once for the batch; its index upkeep is queued)."""
    now = timezone.now()
    for value in set(status.values()):
        Article.objects.filter(pk__in=[pk for pk, new in status.items() if new == value]).update(
            status=value, updated_at=now)
    with changes.batch(), changes.acting(kind, actions.audit_user(actor), reason):
        for article in articles:
            before = article.watched()
            article.status, article.updated_at = status[article.pk], now
            article._history_date = now  # simple-history's revision time
            changes.record(article, before, article.watched(), indexed_later=True)


def hide(notice: Notice, article_ids: Iterable[int], actor: object, reason: str) -> list[int]:
    """Withdraw these articles, a batch per transaction; the ids withdrawn now (not before)."""
    done: list[int] = []
    for number, chunk in enumerate(_chunks(sorted(set(article_ids)), settings.TAKEDOWN["BATCH"])):
        if number:
            _breathe()
        with transaction.atomic():
            articles = list(Article.objects.filter(pk__in=chunk).exclude(status=Article.Status.WITHDRAWN))
            if not articles:
                continue
            before = {article.pk: article.status for article in articles}
            _change(articles, {pk: Article.Status.WITHDRAWN for pk in before}, changes.Kind.WITHDRAW, actor, reason)
            details = {pk: {"previous_status": previous, "notice": notice.reference} for pk, previous in before.items()}
            AuditEntry.objects.bulk_create(_audit_rows(AuditEntry.Action.WITHDRAW, articles, actor, reason, details))
            blocklist.block(notice, articles)
            Upkeep.objects.bulk_create([Upkeep(article_id=pk) for pk in before])
        done += list(before)
    return done


def _previous_status(ids: list[int]) -> dict[int, str]:
    """What each article was before its latest withdrawal (published, usually)."""
    found: dict[int, object] = {}
    entries = (AuditEntry.objects.filter(article_id__in=ids, action=AuditEntry.Action.WITHDRAW)
               .order_by("article_id", "-at", "-pk").values_list("article_id", "details"))
    for article_id, details in entries:
        if article_id is not None:
            found.setdefault(article_id, (details or {}).get("previous_status"))
    usable = set(Article.Status.values) - {Article.Status.WITHDRAWN}
    return {pk: value if isinstance(value := found.get(pk), str) and value in usable else Article.Status.PUBLISHED
            for pk in ids}


def show(notice: Notice, article_ids: Iterable[int], actor: object, reason: str) -> list[int]:
    """Restore withdrawn articles to their status before withdrawal, a batch per transaction."""
    done: list[int] = []
    for number, chunk in enumerate(_chunks(sorted(set(article_ids)), settings.TAKEDOWN["BATCH"])):
        if number:
            _breathe()
        with transaction.atomic():
            # Their images come back at the end of the change set, before the commit shows them.
            articles = list(Article.objects.filter(pk__in=chunk, status=Article.Status.WITHDRAWN))
            if not articles:
                continue
            status = _previous_status([article.pk for article in articles])
            _change(articles, status, changes.Kind.RESTORE, actor, reason)
            details = {pk: {"restored_status": value, "notice": notice.reference} for pk, value in status.items()}
            AuditEntry.objects.bulk_create(_audit_rows(AuditEntry.Action.RESTORE, articles, actor, reason, details))
            Upkeep.objects.bulk_create([Upkeep(article_id=article.pk) for article in articles])
        done += [article.pk for article in articles]
    return done


def upkeep(seconds: float | None = None) -> int:
    """Search index and 相关阅读 for articles hidden or shown in bulk; the number brought in step.

    `seconds`: stop starting new batches after this long (the rest waits for the worker).
    """
    started, done = time.monotonic(), 0
    while seconds is None or time.monotonic() - started < seconds:
        if done:
            _breathe()
        with transaction.atomic():
            rows = list(Upkeep.objects.order_by("pk")[:UPKEEP_BATCH])
            if not rows:
                break
            changes.catch_up(sorted({row.article_id for row in rows}))
            Upkeep.objects.filter(pk__in=[row.pk for row in rows]).delete()
        done += len(rows)
    return done


def pending() -> int:
    return Upkeep.objects.count()
