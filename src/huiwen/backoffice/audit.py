"""Audit entries for the back office's own actions (schedule, reject, move).

Publication, withdrawal and restoration are audited by newsroom.actions itself; this writes
the other entries in the same shape (who, what, why), so the log reads as one.
"""

from __future__ import annotations

from typing import Any

from huiwen.newsroom.actions import actor_name
from huiwen.newsroom.models import Article, AuditEntry


def audit(action: str, article: Article | None, actor: Any, reason: str = "", subject: str = "",
          **details: object) -> AuditEntry:
    return AuditEntry.objects.create(
        action=action, article=article, article_title=article.title[:200] if article else "",
        subject=subject[:100], actor=actor or None, actor_name=actor_name(actor), reason=reason, details=details,
    )
