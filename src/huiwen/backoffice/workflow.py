"""The review workflow: publish, schedule, reject and move articles, one at a time or in bulk.

Publication itself is newsroom.actions.publish (it audits and goes through save(), which drives
search indexing and history); this module decides whether an article may be published: the
attribution rules (attribution.problems) and the screening result. Every refusal comes back as
a list of reasons in Chinese, shown to the editor as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from huiwen.backoffice import attribution, screening
from huiwen.backoffice.audit import audit
from huiwen.backoffice.models import ArticleScreening, ScheduledPublication
from huiwen.newsroom import actions, changes
from huiwen.newsroom.changes import Kind
from huiwen.newsroom.models import Article, AuditEntry, Channel

Level = ArticleScreening.Level
OPEN_STATES = (Article.Status.DRAFT, Article.Status.PENDING)


@dataclass
class Outcome:
    """What a bulk action did: articles done, and those refused with the reasons."""

    done: list[Article] = field(default_factory=list)
    refused: list[tuple[Article, list[str]]] = field(default_factory=list)


def publish_problems(article: Article, user: Any, confirmed_words: Iterable[str] | None = None) -> list[str]:
    """Why `user` may not publish `article` now; empty when publication may go ahead.

    Review-list words do not stop publication when the editor confirmed exactly those words
    (`confirmed_words`); block-list words always do.
    """
    if article.status not in OPEN_STATES:
        return [f"文章状态为“{article.get_status_display()}”,不能从审核队列发布。"]
    problems = attribution.problems(article, user)
    _, hits = screening.screen(article)
    blocked = sorted({word for word, kind, _ in hits if kind == "block"})
    to_review = sorted({word for word, kind, _ in hits if kind == "review"})
    if blocked:
        problems.append(f"含禁止发布的词语:{'、'.join(blocked)}。请删改后再发布。")
    unconfirmed = sorted(set(to_review) - set(confirmed_words or ()))
    if unconfirmed:
        problems.append(f"含需人工审核的词语:{'、'.join(unconfirmed)}。请核对后勾选“已核对”再发布。")
    return problems


def review_words(article: Article) -> list[str]:
    _, hits = screening.screen(article)
    return sorted({word for word, kind, _ in hits if kind == "review"})


def _reason(article: Article) -> str:
    if attribution.title_changed(article):
        return f"发布;标题与原标题不同(原标题:{article.original_title})"
    return "发布"


def publish(article: Article, user: Any, *, confirmed_words: Iterable[str] | None = None,
            at: datetime | None = None) -> list[str]:
    """Publish now (through newsroom.actions.publish); the problems instead when it may not."""
    with transaction.atomic():
        if screening.apply_replacements(article):
            article._change_reason = "自动替换敏感词"
            article.save()
        problems = publish_problems(article, user, confirmed_words)
        if problems:
            return problems
        article.editor = attribution.real_name(user)  # the 责任编辑 line: the publisher's real name
        article._history_user = user
        _cancel_schedules(article, "已直接发布")
        actions.publish(article, actor=user, reason=_reason(article), at=at)
    return []


def schedule(article: Article, user: Any, at: datetime, *, confirmed_words: Iterable[str] | None = None) -> list[str]:
    """Arrange publication at `at`; checked now so the editor hears of problems now, and again at `at`."""
    if at <= timezone.now():
        return ["定时发布的时间必须晚于现在。"]
    problems = publish_problems(article, user, confirmed_words)
    if problems:
        return problems
    with transaction.atomic():
        _cancel_schedules(article, "已重新安排")
        ScheduledPublication.objects.create(article=article, at=at, requested_by=user,
                                            review_confirmed=bool(confirmed_words),
                                            confirmed_words=sorted(set(confirmed_words or ())))
        if article.status != Article.Status.PENDING:
            article.status = Article.Status.PENDING
            article._change_reason = "定时发布"
            with changes.acting(Kind.SUBMIT, user, "定时发布"):
                article.save()
        audit(AuditEntry.Action.SCHEDULE, article, user, "定时发布", at=at.isoformat())
    return []


def reject(article: Article, user: Any, reason: str) -> list[str]:
    """Send an article back (退回): it leaves the queue as a draft, with the reason audited."""
    reason = (reason or "").strip()
    if not reason:
        return ["退回必须填写理由。"]
    if article.status not in OPEN_STATES:
        return [f"文章状态为“{article.get_status_display()}”,不能退回;已发布的文章请撤下。"]
    with transaction.atomic():
        _cancel_schedules(article, "文章被退回")
        article.status = Article.Status.DRAFT
        article._change_reason = f"退回:{reason}"
        with changes.acting(Kind.REJECT, user, f"退回:{reason}"):
            article.save()
        audit(AuditEntry.Action.REJECT, article, user, reason)
    return []


def unpublish(article: Article, user: Any, reason: str) -> list[str]:
    """撤下: take a published article off the site, back to the review queue, with the reason audited."""
    reason = (reason or "").strip()
    if not reason:
        return ["撤下必须填写理由。"]
    if article.status != Article.Status.PUBLISHED:
        return [f"文章状态为“{article.get_status_display()}”,只有已发布的文章可以撤下。"]
    actions.unpublish(article, user, reason)
    return []


def submit(article: Article, user: Any) -> list[str]:
    """Send a draft (or a rejected article, after editing) to the review queue."""
    if article.status != Article.Status.DRAFT:
        return [f"文章状态为“{article.get_status_display()}”,只有草稿或退回的文章可以提交审核。"]
    article.status = Article.Status.PENDING
    article._change_reason = "提交审核"
    article._history_user = user
    with changes.acting(Kind.SUBMIT, user, "提交审核"):
        article.save()
    return []


def move(article: Article, channel: Channel, user: Any) -> list[str]:
    """Put an article in another channel (its URL does not change: /a/<id>.html)."""
    if article.channel_id == channel.pk:
        return []
    with transaction.atomic():
        previous = article.channel.path
        article.channel = channel
        article._change_reason = f"移动到频道 {channel}"
        with changes.acting(Kind.MOVE, user, f"移动到频道 {channel}"):
            article.save()
        audit(AuditEntry.Action.MOVE, article, user, "", subject=channel.path, from_channel=previous,
              to_channel=channel.path)
    return []


def _cancel_schedules(article: Article, why: str) -> None:
    ScheduledPublication.objects.filter(article=article, state=ScheduledPublication.State.WAITING).update(
        state=ScheduledPublication.State.CANCELLED, outcome=why
    )


def bulk(articles: Iterable[Article], one: Any, *args: Any, **kwargs: Any) -> Outcome:
    """Apply `one` (publish, schedule, reject, move) to each article; each succeeds or fails alone."""
    outcome = Outcome()
    for article in articles:
        problems = one(article, *args, **kwargs)
        if problems:
            outcome.refused.append((article, problems))
        else:
            outcome.done.append(article)
    return outcome


# --- Scheduled publication --------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    schedule: ScheduledPublication
    problems: list[str]


def due(now: datetime | None = None) -> list[Due]:
    """Waiting schedules whose time has come, each with what would stop it (empty: it will publish)."""
    now = now or timezone.now()
    waiting = ScheduledPublication.objects.filter(state=ScheduledPublication.State.WAITING, at__lte=now)
    found = []
    for item in waiting.select_related("article", "article__publisher", "requested_by__editor_profile"):
        found.append(Due(item, publish_problems(item.article, item.requested_by, item.confirmed_words)))
    return found


def publish_due(now: datetime | None = None) -> list[Due]:
    """Publish every due schedule; a schedule that cannot be published is marked failed with the reasons.

    Each schedule is claimed with one conditional UPDATE, so two workers never publish it twice.
    """
    results = []
    for item in due(now):
        schedule_ = item.schedule
        with transaction.atomic():
            claimed = ScheduledPublication.objects.filter(
                pk=schedule_.pk, state=ScheduledPublication.State.WAITING
            ).update(state=ScheduledPublication.State.DONE, outcome="已发布")
            if not claimed:
                continue  # another worker took it
            article = Article.objects.select_for_update().get(pk=schedule_.article_id)
            problems = publish(article, schedule_.requested_by, confirmed_words=schedule_.confirmed_words,
                               at=schedule_.at)
            if problems:
                ScheduledPublication.objects.filter(pk=schedule_.pk).update(
                    state=ScheduledPublication.State.FAILED, outcome="\n".join(problems))
        results.append(Due(schedule_, problems))
    return results
