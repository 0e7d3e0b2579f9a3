"""The takedown procedure: receive, withdraw, counter-notice, restore or uphold, and the timers.

Each step changes articles only through newsroom.actions (audited, and through save() so search,
related reading and every list see the change at once) and records an AuditEntry for the notice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from huiwen.collect.urls import BadURL, canonical
from huiwen.newsroom import actions
from huiwen.newsroom.models import Article, AuditEntry
from huiwen.takedown import blocklist, mail, media
from huiwen.takedown.models import BlockedWork, CounterNotice, Notice

OUR_ARTICLE = re.compile(r"/a/(\d{1,18})\.html\b")


def _audit(notice: Notice, action: str, actor: object, reason: str, **details: object) -> None:
    AuditEntry.objects.create(
        action=action, subject=notice.reference, actor=actor if getattr(actor, "pk", None) else None,
        actor_name=actions.actor_name(actor),
        reason=reason, details={"status": notice.status, **details},
    )


# -- matching the named URLs to articles -----------------------------------------------------

def match_urls(lines: Iterable[str]) -> tuple[list[Article], list[str]]:
    """Articles named by the notice: our own article URLs or the originals we reprinted."""
    found: dict[int, Article] = {}
    unmatched: list[str] = []
    for line in lines:
        ours = OUR_ARTICLE.search(line)
        article = Article.objects.filter(pk=int(ours.group(1))).first() if ours else None
        if article is None:
            try:
                spelling = canonical(line)
            except BadURL:
                spelling = line
            article = Article.objects.filter(source_url__in={line, spelling}).first()
        if article is None:
            unmatched.append(line)
        else:
            found[article.pk] = article
    return list(found.values()), unmatched


def with_story_copies(articles: Iterable[Article]) -> list[Article]:
    """The named articles and every other copy (reprint) of the same works."""
    articles = list(articles)
    stories = {a.story_id for a in articles if a.story_id}
    copies = Article.objects.filter(story__in=stories) if stories else Article.objects.none()
    return list({a.pk: a for a in [*articles, *copies]}.values())


# -- the steps -------------------------------------------------------------------------------

def is_complete(notice: Notice) -> bool:
    """All parts the law asks for are present and at least one named URL is ours."""
    parts = [notice.claimant_name, notice.email, notice.address, notice.works, notice.evidence_text]
    if notice.regime == Notice.Regime.DMCA:
        parts += [notice.signature, notice.good_faith, notice.accuracy]
    return all(parts) and notice.articles.exists()


@transaction.atomic
def receive(notice: Notice) -> Notice:
    """File a submitted notice; withdraw at once when it is complete (unless review-first)."""
    articles, unmatched = match_urls(notice.url_lines())
    notice.unmatched_urls = "\n".join(unmatched)
    notice.save()
    notice.articles.set(articles)
    _audit(notice, AuditEntry.Action.NOTICE, None, "提交侵权通知", matched=[a.pk for a in articles],
           unmatched=len(unmatched))
    mail.forward(notice, notice.email, "权利人", f"[{notice.reference}] 我们已收到您的侵权通知",
                 _message("acknowledgment", notice=notice))
    if is_complete(notice) and settings.TAKEDOWN["MODE"] == "immediate":
        withdraw(notice, None, "通知要件齐全,立即删除")
    return notice


@transaction.atomic
def withdraw(notice: Notice, actor: object, reason: str) -> list[Article]:
    """Withdraw every named article and every copy of its story, block them, hide their images."""
    reach = with_story_copies(notice.articles.all())
    withdrawn = actions.withdraw(reach, actor, reason, notice=notice.reference)
    blocklist.block(notice, reach)
    media.quarantine(reach)
    notice.status, notice.withdrawn_at = Notice.Status.WITHDRAWN, timezone.now()
    notice.save(update_fields=["status", "withdrawn_at"])
    _audit(notice, AuditEntry.Action.WITHDRAW, actor, reason, articles=[a.pk for a in reach])
    _forward_to_providers(notice, reach)
    return withdrawn


@transaction.atomic
def counter(notice: Notice, counter_notice: CounterNotice) -> Notice:
    """A counter-notice: forwarded to the rights holder, and the restore timer starts."""
    notice.status = Notice.Status.COUNTER_NOTICED
    notice.restore_due_at = restore_due(notice.regime, timezone.now())
    notice.save(update_fields=["status", "restore_due_at"])
    _audit(notice, AuditEntry.Action.COUNTER_NOTICE, None, "收到反通知", due=notice.restore_due_at.isoformat())
    body = _message("counter", notice=notice, counter=counter_notice)
    mail.forward(notice, notice.email, "权利人", f"[{notice.reference}] 收到反通知", body)
    _audit(notice, AuditEntry.Action.FORWARD, None, "反通知已转送权利人", to=notice.email)
    return notice


@transaction.atomic
def restore(notice: Notice, actor: object, reason: str) -> list[Article]:
    """Bring the withdrawn works back on every surface (images first, then the articles)."""
    ids = list(notice.blocked.values_list("article_id_at_block", flat=True))
    blocklist.unblock(notice)
    # A work another open notice still covers stays down.
    still_blocked = BlockedWork.objects.filter(article_id_at_block__in=ids).values("article_id_at_block")
    articles = list(Article.objects.filter(pk__in=ids).exclude(pk__in=still_blocked))
    media.release(articles)
    restored = actions.restore(articles, actor, reason, notice=notice.reference)
    notice.status, notice.resolved_at = Notice.Status.RESTORED, timezone.now()
    notice.save(update_fields=["status", "resolved_at"])
    _audit(notice, AuditEntry.Action.RESTORE, actor, reason, articles=[a.pk for a in restored])
    return restored


@transaction.atomic
def uphold(notice: Notice, actor: object, reason: str) -> None:
    """The rights holder reported a complaint or a suit: the works stay withdrawn."""
    notice.status, notice.resolved_at, notice.restore_due_at = Notice.Status.UPHELD, timezone.now(), None
    notice.save(update_fields=["status", "resolved_at", "restore_due_at"])
    _audit(notice, AuditEntry.Action.UPHOLD, actor, reason)


@transaction.atomic
def reject(notice: Notice, actor: object, reason: str) -> None:
    notice.status, notice.resolved_at = Notice.Status.REJECTED, timezone.now()
    notice.save(update_fields=["status", "resolved_at"])
    _audit(notice, AuditEntry.Action.REVIEW, actor, reason, outcome="rejected")
    mail.forward(notice, notice.email, "权利人", f"[{notice.reference}] 您的侵权通知未能处理",
                 f"您的侵权通知 {notice.reference} 未能处理,原因:{reason}\n请补充后重新提交。")


# -- timers ------------------------------------------------------------------------------------

def add_business_days(start: datetime, days: int) -> datetime:
    """`days` working days (Monday to Friday) after `start`; public holidays are not modelled."""
    moment = start
    while days > 0:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            days -= 1
    return moment


def restore_due(regime: str, start: datetime) -> datetime:
    if regime == Notice.Regime.DMCA:
        return add_business_days(start, settings.TAKEDOWN["DMCA_BUSINESS_DAYS"])
    return start + timedelta(days=settings.TAKEDOWN["RESTORE_DAYS"])


@dataclass(frozen=True)
class TimerChange:
    notice: Notice
    change: str


def tick(now: datetime | None = None, dry_run: bool = False) -> list[TimerChange]:
    """Restore the works of counter-noticed cases whose waiting period has passed."""
    now = now or timezone.now()
    due = Notice.objects.filter(status=Notice.Status.COUNTER_NOTICED, restore_due_at__lte=now).order_by("pk")
    changes = [TimerChange(notice, "restore") for notice in due]
    if not dry_run:
        for change in changes:
            restore(change.notice, None, "反通知后等待期届满,权利人未告知已投诉或起诉")
            _audit(change.notice, AuditEntry.Action.TIMER, None, "恢复期限到期", due=str(change.notice.restore_due_at))
    return changes


# -- messages --------------------------------------------------------------------------------

def _message(name: str, **context: object) -> str:
    return render_to_string(f"takedown/mail/{name}.txt", {"site_url": settings.HUIWEN["SITE_URL"], **context})


def _forward_to_providers(notice: Notice, articles: list[Article]) -> None:
    """Tell each original publisher whose work was withdrawn (the provider of the reprinted work)."""
    subject = f"[{notice.reference}] 转载内容因侵权通知被删除"
    publishers = {a.publisher for a in articles if a.publisher is not None}
    for publisher in publishers:
        theirs = [a for a in articles if a.publisher_id == publisher.pk]
        body = _message("provider", notice=notice, publisher=publisher, articles=theirs)
        if publisher.contact_email:
            mail.forward(notice, publisher.contact_email, f"原发媒体 {publisher.name}", subject, body)
        else:
            mail.record_unsent(notice, publisher.name, "原发媒体", subject, body, "没有该媒体的联系邮箱")
