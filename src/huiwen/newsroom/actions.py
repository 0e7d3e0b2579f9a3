"""Changes of published state: publish, withdraw, restore. Each is audited, each goes through save().

Every surface reads `Article.objects.visible()`, and save() records the change on the change path
(newsroom.changes: history, the search index, 相关阅读, page-cache tags follow), so these functions
change status with save() and name the kind of change, who and why (`changes.acting`); several
articles at once are one change set. Each records an AuditEntry with who, why and when; a reason
is required where the law or the newsroom expects one (withdrawal, restoration).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import transaction

from huiwen.newsroom import changes
from huiwen.newsroom.changes import Kind
from huiwen.newsroom.models import Article, AuditEntry

# Who acts: a user (a request's, which may be anonymous), or None for the system (timers, the collector).
Actor = User | AnonymousUser | None


def audit_user(actor: object) -> User | None:
    """The user an audit entry names as its actor: a stored user, else None (the system)."""
    return actor if isinstance(actor, User) and actor.pk else None


def actor_name(actor: object) -> str:
    """How the audit log names a person, everywhere alike: real name first, then the login (王岚(wanglan)).

    The real name is the 责任编辑 the newsroom knows; the login tells two people of one name apart.
    """
    user = audit_user(actor)
    if user is None:
        return "系统"
    login = user.get_username()
    # A missing profile raises RelatedObjectDoesNotExist, an AttributeError: getattr's default.
    profile = getattr(user, "editor_profile", None)
    return (f"{profile.real_name}({login})" if profile is not None else login)[:150]


def _audit(action: str, article: Article, actor: Actor, reason: str, **details: object) -> AuditEntry:
    return AuditEntry.objects.create(
        action=action, article=article, article_title=article.title[:200], actor=audit_user(actor),
        actor_name=actor_name(actor), reason=reason, details=details,
    )


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("必须填写理由。")
    return reason


def publish(article: Article, actor: Actor = None, reason: str = "", at: datetime | None = None) -> Article:
    """Publish now (or at `at`, a future time: the article stays invisible until then)."""
    with transaction.atomic(), changes.acting(Kind.PUBLISH, actor, reason or "发布"):
        article.status = Article.Status.PUBLISHED
        if at is not None:
            article.published_at = at
        article._change_reason = reason or "发布"
        article.save()
        _audit(AuditEntry.Action.PUBLISH, article, actor, reason, at=article.published_at.isoformat())
    return article


def unpublish(article: Article, actor: Actor, reason: str) -> Article:
    """Take a published article off the site and back to the review queue (撤下): not a takedown.

    Readers get 404 (not 410: the article may come back); the reason is required and audited.
    """
    reason = _require_reason(reason)
    with transaction.atomic(), changes.acting(Kind.UNPUBLISH, actor, f"撤下:{reason}"):
        article.status = Article.Status.PENDING
        article._change_reason = f"撤下:{reason}"
        if (user := audit_user(actor)) is not None:
            article._history_user = user
        article.save()
        _audit(AuditEntry.Action.UNPUBLISH, article, actor, reason)
    return article


def withdraw(articles: Iterable[Article], actor: Actor, reason: str, **details: object) -> list[Article]:
    """Withdraw articles: from that moment they answer 410 and appear on no surface."""
    reason = _require_reason(reason)
    done = []
    with transaction.atomic(), changes.batch(), changes.acting(Kind.WITHDRAW, actor, reason):
        for article in articles:
            if article.status == Article.Status.WITHDRAWN:
                continue
            previous = article.status
            article.status = Article.Status.WITHDRAWN
            article._change_reason = reason
            article.save()
            _audit(AuditEntry.Action.WITHDRAW, article, actor, reason, previous_status=previous, **details)
            done.append(article)
    return done


def restore(articles: Iterable[Article], actor: Actor, reason: str, **details: object) -> list[Article]:
    """Bring withdrawn articles back to what they were before withdrawal (published, usually)."""
    reason = _require_reason(reason)
    done = []
    with transaction.atomic(), changes.batch(), changes.acting(Kind.RESTORE, actor, reason):
        for article in articles:
            if article.status != Article.Status.WITHDRAWN:
                continue
            last = article.audit_entries.filter(action=AuditEntry.Action.WITHDRAW).order_by("-at", "-pk").first()
            previous = (last.details or {}).get("previous_status") if last else None
            article.status = previous if previous in Article.Status.values else Article.Status.PUBLISHED
            if article.status == Article.Status.WITHDRAWN:
                article.status = Article.Status.PUBLISHED
            article._change_reason = reason
            article.save()
            _audit(AuditEntry.Action.RESTORE, article, actor, reason, restored_status=article.status, **details)
            done.append(article)
    return done
