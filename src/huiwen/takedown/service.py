"""The takedown procedure: receive, withdraw, counter-notice, restore or uphold, and the timers.

Each step records an AuditEntry for the notice. Articles are withdrawn and restored through
takedown.withdrawal, in batches of short transactions (invisible on every surface as each batch
commits; search and 相关阅读 follow after), so a notice of any reach never holds the database.

A notice withdraws at once (HUIWEN_TAKEDOWN_MODE=immediate) only when it is complete, names
nothing beyond the review thresholds and comes from a claimant already known to be genuine;
anything else waits for the compliance officer (合规专员), who works it from /newsroom/notices/.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from huiwen.newsroom import actions
from huiwen.newsroom.models import Article, AuditEntry
from huiwen.takedown import blocklist, mail, withdrawal
from huiwen.takedown.models import BlockedWork, CounterNotice, Notice
from huiwen.takedown.ratelimit import claimant_key
from huiwen.text.urls import BadURL, canonical

# Our article pages, in either edition: /a/5.html, /zh-hant/a/5.html.
OUR_ARTICLE = re.compile(r"^/(?:zh-hant/|zh-hans/)?a/(\d{1,18})\.html$")
# A URL's host and port as Django reads a Host header: a name or an IPv6 address in brackets, then
# perhaps a port of digits.
HOST_AND_PORT = re.compile(r"(?P<host>[a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(?::[0-9]+)?")
# Seconds of search and 相关阅读 upkeep done right after a withdrawal or restoration (the worker
# does the rest within a minute): a small notice is then complete before its page answers.
UPKEEP_NOW = 2.0

# Which action is possible from which state is the model's (Notice.TRANSITIONS, Notice.allowed());
# each action below checks it before any work and changes state through Notice.transition().


def _audit(notice: Notice, action: str, actor: object, reason: str, **details: object) -> None:
    AuditEntry.objects.create(
        action=action, subject=notice.reference, actor=actions.audit_user(actor),
        actor_name=actions.actor_name(actor),
        reason=reason, details={"status": notice.status, **details},
    )


# -- matching the named URLs to articles -----------------------------------------------------

def our_hosts() -> list[str]:
    """The host names this site answers to (HUIWEN_ALLOWED_HOSTS and HUIWEN_SITE_URL's host).

    A wildcard ("*") says nothing about which host is ours, so it is left out: a notice about
    some other site's /a/5.html must never take down our article 5.
    """
    hosts = [host for host in settings.ALLOWED_HOSTS if host != "*"]
    site = urlsplit(settings.HUIWEN["SITE_URL"]).hostname
    return [*hosts, site] if site else hosts


def _host(netloc: str) -> str:
    """The host of a URL's `netloc` as ALLOWED_HOSTS writes hosts (lower case, no user, no port, no
    final dot, IPv6 in brackets), or "" for none."""
    found = HOST_AND_PORT.fullmatch(netloc.rsplit("@", 1)[-1].lower())
    return found["host"].removesuffix(".") if found else ""


def _is_ours(host: str, hosts: list[str]) -> bool:
    """Whether `host` is one of `hosts`, a pattern ".example.com" taking the domain and its subdomains
    (as Django matches ALLOWED_HOSTS)."""
    for pattern in (name.lower() for name in hosts):
        if host == pattern or (pattern.startswith(".") and (host.endswith(pattern) or host == pattern[1:])):
            return True
    return False


def _our_article_id(line: str, hosts: list[str]) -> int | None:
    try:
        parts = urlsplit(line)
    except ValueError:
        return None
    host = _host(parts.netloc)
    if parts.scheme not in ("http", "https") or not host or not _is_ours(host, hosts):
        return None
    ours = OUR_ARTICLE.match(parts.path)
    return int(ours.group(1)) if ours else None


def match_urls(lines: Iterable[str]) -> tuple[list[Article], list[str]]:
    """Articles named by the notice: our own article URLs (on our own hosts only) or the originals
    we reprinted (through the collector's canonical form)."""
    hosts = our_hosts()
    found: dict[int, Article] = {}
    unmatched: list[str] = []
    for line in lines:
        pk = _our_article_id(line, hosts)
        article = Article.objects.filter(pk=pk).first() if pk is not None else None
        if article is None and pk is None:
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


def reach_ids(article_ids: Iterable[int]) -> list[int]:
    """The named articles and every other copy (reprint) of the same works, by id."""
    named = list(article_ids)
    stories = Article.objects.filter(pk__in=named, story__isnull=False).values("story")
    return sorted(set(named) | set(Article.objects.filter(story__in=stories).values_list("pk", flat=True)))


def with_story_copies(articles: Iterable[Article]) -> list[Article]:
    """The named articles and every other copy (reprint) of the same works."""
    return list(Article.objects.filter(pk__in=reach_ids(a.pk for a in articles)))


def works_count(ids: list[int]) -> int:
    """How many different works the articles are: stories, and articles in no story."""
    rows = Article.objects.filter(pk__in=ids).values_list("story_id", flat=True)
    stories = {story for story in rows if story is not None}
    return len(stories) + sum(1 for story in rows if story is None)


# -- the steps -------------------------------------------------------------------------------

def is_complete(notice: Notice) -> bool:
    """All parts the law asks for are present and at least one named URL is ours."""
    parts: list[str | bool] = [notice.claimant_name, notice.email, notice.address, notice.works, notice.evidence_text]
    if notice.regime == Notice.Regime.DMCA:
        parts += [notice.signature, notice.good_faith, notice.accuracy]
    return all(parts) and notice.articles.exists()


def known_claimant(key: str, before: Notice | None = None) -> bool:
    """Whether this claimant (folded e-mail) had a notice accepted before: withdrawn by an officer
    or at once, and not rejected since."""
    earlier = Notice.objects.filter(claimant_key=key, withdrawn_at__isnull=False)
    if before is not None and before.pk:
        earlier = earlier.exclude(pk=before.pk)
    return bool(key) and earlier.exists()


def review_reason(notice: Notice) -> str:
    """Why this notice waits for the compliance officer ("": it may withdraw at once)."""
    limits = settings.TAKEDOWN
    if limits["MODE"] == "review":
        return "本站设置为所有通知先经合规专员审核"
    if not is_complete(notice):
        return "通知要件不全,或所列网址均未能对应到本站内容"
    if notice.reach_articles > limits["REVIEW_ARTICLES"]:
        return f"涉及 {notice.reach_articles} 篇文章(超过 {limits['REVIEW_ARTICLES']} 篇)"
    if notice.reach_works > limits["REVIEW_WORKS"]:
        return f"涉及 {notice.reach_works} 件作品(超过 {limits['REVIEW_WORKS']} 件)"
    if limits["REVIEW_NEW_CLAIMANTS"] and not known_claimant(notice.claimant_key, notice):
        return "首次提交通知的权利人"
    return ""


def receive(notice: Notice) -> Notice:
    """File a submitted notice; withdraw at once only when nothing calls for a review first."""
    with transaction.atomic():
        articles, unmatched = match_urls(notice.url_lines())
        reach = reach_ids(a.pk for a in articles)
        notice.unmatched_urls = "\n".join(unmatched)
        notice.claimant_key = claimant_key(notice.email)
        notice.reach_articles, notice.reach_works = len(reach), works_count(reach)
        notice.save()
        notice.articles.set(articles)
        notice.review_reason = review_reason(notice)
        notice.save(update_fields=["review_reason"])
        _audit(notice, AuditEntry.Action.NOTICE, None, "提交侵权通知", matched=[a.pk for a in articles],
               unmatched=len(unmatched), reach=len(reach), review=notice.review_reason)
    mail.forward(notice, notice.email, "权利人", f"[{notice.reference}] 我们已收到您的侵权通知",
                 _message("acknowledgment", notice=notice))
    if not notice.review_reason:
        withdraw(notice, None, "通知要件齐全,立即删除")
    return notice


def withdraw(notice: Notice, actor: object, reason: str) -> list[int]:
    """Withdraw every named article and every copy of its story, block them, hide their images.

    In batches (takedown.withdrawal): the articles leave every surface as each batch commits; the
    notice is marked withdrawn when all have; search and 相关阅读 follow.
    """
    by = "officer" if getattr(actor, "pk", None) else "system"
    notice.require("withdraw", by=by)
    reach = reach_ids(notice.articles.values_list("pk", flat=True))
    withdrawn = withdrawal.hide(notice, reach, actor, reason)
    notice.transition("withdraw", actor, reason, by=by, articles=reach)
    _forward_to_providers(notice, list(Article.objects.filter(pk__in=reach).select_related("publisher")))
    withdrawal.upkeep(seconds=UPKEEP_NOW)
    return withdrawn


def counter(notice: Notice, counter_notice: CounterNotice) -> Notice:
    """A counter-notice (saved here with the change of state): forwarded to the rights holder once
    both are committed, and the restore timer starts."""
    due = restore_due(notice.regime, timezone.now())
    with transaction.atomic():
        counter_notice.notice = notice
        counter_notice.save()
        notice.transition("counter", None, "收到反通知", by="claimant", restore_due_at=due, due=due.isoformat())
    # Outside the transaction: a refused change mails nothing, and the form never waits on SMTP
    # while holding the database.
    body = _message("counter", notice=notice, counter=counter_notice)
    mail.forward(notice, notice.email, "权利人", f"[{notice.reference}] 收到反通知", body)
    _audit(notice, AuditEntry.Action.FORWARD, None, "反通知已转送权利人", to=notice.email)
    return notice


def restore(notice: Notice, actor: object, reason: str, *, by: str = "officer") -> list[int]:
    """Bring the withdrawn works back on every surface (images first, then the articles), in batches."""
    notice.require("restore", by=by)
    ids = list(notice.blocked.values_list("article_id_at_block", flat=True))
    blocklist.unblock(notice)
    # A work another open notice still covers stays down.
    still_blocked = set(BlockedWork.objects.filter(article_id_at_block__in=ids)
                        .values_list("article_id_at_block", flat=True))
    restored = withdrawal.show(notice, [pk for pk in ids if pk not in still_blocked], actor, reason)
    notice.transition("restore", actor, reason, by=by, articles=restored)
    withdrawal.upkeep(seconds=UPKEEP_NOW)
    return restored


def uphold(notice: Notice, actor: object, reason: str) -> None:
    """The rights holder reported a complaint or a suit: the works stay withdrawn."""
    notice.transition("uphold", actor, reason)


def reject(notice: Notice, actor: object, reason: str) -> None:
    notice.transition("reject", actor, reason, outcome="rejected")  # committed before the mail goes
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


@dataclass
class TimerChange:
    notice: Notice
    change: str
    articles: int  # how many articles it restores (dry run: would restore)


def tick(now: datetime | None = None, dry_run: bool = False) -> list[TimerChange]:
    """Restore the works of counter-noticed cases whose waiting period has passed."""
    now = now or timezone.now()
    due = Notice.objects.filter(status=Notice.Status.COUNTER_NOTICED, restore_due_at__lte=now).order_by("pk")
    changes = []
    for notice in due:
        if dry_run:
            ids = notice.blocked.values_list("article_id_at_block", flat=True)
            others = BlockedWork.objects.filter(article_id_at_block__in=ids).filter(~Q(notice=notice))
            count = Article.objects.filter(pk__in=ids, status=Article.Status.WITHDRAWN).exclude(
                pk__in=others.values("article_id_at_block")).count()
        else:
            count = len(restore(notice, None, "反通知后等待期届满,权利人未告知已投诉或起诉", by="timer"))
            _audit(notice, AuditEntry.Action.TIMER, None, "恢复期限到期", due=str(notice.restore_due_at))
        changes.append(TimerChange(notice, "restore", count))
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
