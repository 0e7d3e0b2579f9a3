"""Changes to published articles: the newsroom's 三审 applies to a live article as to a new one.

An edit of a published article is screened as at first publication. It takes effect at once only
when a 主编 makes it and the new text holds no block or review word; otherwise it is kept as a
`PendingRevision` and readers go on seeing the live version until a 主编 approves it (review words
confirmed, block words never) or declines it. Every change that reaches readers is audited with
who made it, who approved it, which fields changed and why, and 责任编辑 on the page becomes the
person who approved the version shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from huiwen.backoffice import attribution, revisions, screening
from huiwen.backoffice.audit import audit
from huiwen.backoffice.models import ArticleScreening, PendingRevision
from huiwen.newsroom.actions import actor_name
from huiwen.newsroom.models import Article, AuditEntry

Level = ArticleScreening.Level
FIELDS = revisions.CONTENT_FIELDS  # what an edit may change, as attribute names (channel_id, …)


def is_live(article: Article) -> bool:
    return article.status == Article.Status.PUBLISHED


@dataclass(frozen=True)
class Result:
    """What became of an edit: applied (readers see it now) or held as a pending revision."""

    applied: bool
    revision: PendingRevision | None
    changed: list[str]


def changed_fields(live: Any, candidate: Any) -> list[str]:
    """Labels of the fields whose shown value differs (the diff's own notion of a change)."""
    return [change.label for change in revisions.diff(live, candidate, revisions.EDITABLE_DIFF_FIELDS)]


def edit(live: Article, candidate: Article, user: Any, note: str) -> Result:
    """An edit of the published article `live` into `candidate` (an unsaved copy with the new values).

    Replace-list words are substituted first, as at collection and publication.
    """
    screening.apply_replacements(candidate)
    changed = changed_fields(live, candidate)
    if not changed:
        return Result(False, None, [])
    level, hits = screening.screen(candidate)
    may_apply = user.has_perm("backoffice.publish_article") and level == Level.CLEAN
    if may_apply and not attribution.problems(candidate, user):
        _apply(live, candidate, user, note, changed)
        return Result(True, None, changed)
    return Result(False, propose(live, candidate, user, note, level, hits, changed), changed)


def propose(live: Article, candidate: Article, user: Any, note: str, level: str, hits: list[list[str]],
            changed: list[str]) -> PendingRevision:
    with transaction.atomic():
        PendingRevision.objects.filter(article=live, state=PendingRevision.State.WAITING).update(
            state=PendingRevision.State.SUPERSEDED, decided_at=timezone.now())
        revision = PendingRevision.objects.create(
            article=live, note=note, level=level, hits=hits, proposed_by=user,
            **{field: getattr(candidate, field) for field in FIELDS},
        )
        audit(AuditEntry.Action.PROPOSE, live, user, note, fields=changed, revision=revision.pk,
              level=level, words=sorted({hit[0] for hit in hits}))
    return revision


def candidate_of(revision: PendingRevision) -> Article:
    """The article as it would be with `revision` applied (unsaved; for preview, screening, checks)."""
    return detached(revision.article, {field: getattr(revision, field) for field in FIELDS})


def detached(article: Article, values: dict[str, object]) -> Article:
    """A separate in-memory copy of `article` with `values` set: saving it is never intended."""
    fields = {field.attname: getattr(article, field.attname) for field in Article._meta.concrete_fields}
    copy = Article(**{**fields, **values})
    copy._state.adding = False  # the same row: model validation must not count it as a second article
    return copy


def approval_problems(revision: PendingRevision, user: Any, confirmed_words: Iterable[str] | None = None) -> list[str]:
    """What stops `user` from approving; empty when the change may go live."""
    if revision.state != PendingRevision.State.WAITING:
        return [f"这条修改已{revision.get_state_display()},不能再审核。"]
    if not user.has_perm("backoffice.publish_article"):
        return ["只有主编可以批准对已发布文章的修改。"]
    candidate = candidate_of(revision)
    problems = attribution.problems(candidate, user)
    _, hits = screening.screen(candidate)
    blocked = sorted({word for word, kind, _ in hits if kind == "block"})
    to_review = sorted({word for word, kind, _ in hits if kind == "review"})
    if blocked:
        problems.append(f"修改后的文字含禁止发布的词语:{'、'.join(blocked)}。不能采用,请驳回或重新修改。")
    unconfirmed = sorted(set(to_review) - set(confirmed_words or ()))
    if unconfirmed:
        problems.append(f"修改后的文字含需人工审核的词语:{'、'.join(unconfirmed)}。请核对后勾选“已核对”再采用。")
    return problems


def review_words(revision: PendingRevision) -> list[str]:
    _, hits = screening.screen(candidate_of(revision))
    return sorted({word for word, kind, _ in hits if kind == "review"})


def approve(revision: PendingRevision, user: Any, confirmed_words: Iterable[str] | None = None) -> list[str]:
    """Put the proposed text live (or on the article, if it was taken down meanwhile); audited."""
    with transaction.atomic():
        revision = PendingRevision.objects.select_for_update().select_related("article").get(pk=revision.pk)
        problems = approval_problems(revision, user, confirmed_words)
        if problems:
            return problems
        article = Article.objects.select_for_update().get(pk=revision.article_id)
        candidate = candidate_of(revision)
        changed = changed_fields(article, candidate)
        for field in FIELDS:
            setattr(article, field, getattr(revision, field))
        _apply(article, article, user, revision.note, changed, proposed_by=revision.proposed_by)
        revision.state, revision.decided_by, revision.decided_at = PendingRevision.State.APPROVED, user, timezone.now()
        revision.save(update_fields=["state", "decided_by", "decided_at"])
    return []


def decline(revision: PendingRevision, user: Any, reason: str) -> list[str]:
    reason = (reason or "").strip()
    if not reason:
        return ["驳回必须填写理由。"]
    if revision.state != PendingRevision.State.WAITING:
        return [f"这条修改已{revision.get_state_display()},不能再审核。"]
    if not user.has_perm("backoffice.publish_article"):
        return ["只有主编可以驳回修改。"]
    with transaction.atomic():
        revision.state, revision.decided_by, revision.decided_at = PendingRevision.State.DECLINED, user, timezone.now()
        revision.decision = reason
        revision.save(update_fields=["state", "decided_by", "decided_at", "decision"])
        audit(AuditEntry.Action.DECLINE, revision.article, user, reason, revision=revision.pk,
              proposed_by=actor_name(revision.proposed_by))
    return []


def _apply(article: Article, candidate: Article, user: Any, note: str, changed: list[str],
           proposed_by: Any = None) -> None:
    """Save `candidate`'s content onto the live `article`; the approver becomes its 责任编辑."""
    with transaction.atomic():
        if article is not candidate:
            for field in FIELDS:
                setattr(article, field, getattr(candidate, field))
        article.editor = attribution.real_name(user) or article.editor
        article._change_reason = f"修改已发布文章:{note}"
        article._history_user = user
        article.save()
        details: dict[str, Any] = {"fields": changed, "editor": article.editor}  # JSON values
        if proposed_by is not None and proposed_by != user:
            details["proposed_by"] = actor_name(proposed_by)
        audit(AuditEntry.Action.EDIT, article, user, note, **details)


def waiting(article: Article) -> PendingRevision | None:
    return article.pending_revisions.filter(state=PendingRevision.State.WAITING).select_related("proposed_by").first()
