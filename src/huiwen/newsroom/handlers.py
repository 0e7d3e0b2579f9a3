"""The newsroom's own handlers of the change path (newsroom.changes): revisions and the content-change time.

- "history": every change of an article is a revision in django-simple-history's table, the
  article as it was at that change, with who and why. The rows are written together when the set
  ends (`Article.history.bulk_history_create`, the library's bulk API), so a collector's batch
  writes its revisions in one statement. Who acted is the service's actor, else the instance's
  `_history_user`, else the request's user (simple-history's middleware), which later handlers read
  from the change. A deletion's revision is simple-history's own (its post_delete).
- "lastmod": when what readers see of an article changed after it was stored (ContentChange),
  for sitemap lastmod, JSON-LD dateModified and feed <updated>.
"""

from __future__ import annotations

import copy
from functools import cache
from typing import TYPE_CHECKING, Any, cast

from django.utils import timezone

from huiwen.newsroom import changes
from huiwen.newsroom.changes import Change, ChangeSet
from huiwen.newsroom.models import CONTENT_FIELDS, Article, ContentChange

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@cache
def _history_model() -> Any:
    # simple-history's `Article.history` builds a new manager class at every access
    # (Manager.from_queryset): read once, not once per change (a third of a stored article's cost).
    return Article.history.model


def _revision(change: Change, changeset: ChangeSet) -> None:
    if not isinstance(change.instance, Article) or change.deleted:
        return
    article = change.instance
    history = _history_model()
    if change.actor is None:
        change.actor = getattr(article, "_history_user", None) or history.get_default_history_user(article)
    if not change.keep_history:
        return
    revision = copy.copy(article)  # the article as it is at this change, whatever follows in the set
    revision._history_date = getattr(article, "_history_date", None) or timezone.now()
    if getattr(change.actor, "pk", None):
        revision._history_user = cast("User", change.actor)  # a stored user (the anonymous one has no pk)
    if change.reason:
        revision._change_reason = change.reason
    changes.later(_created if change.created else _updated, revision)


def _created(revisions: list[Article]) -> None:
    Article.history.bulk_history_create(revisions, default_change_reason=None)


def _updated(revisions: list[Article]) -> None:
    Article.history.bulk_history_create(revisions, update=True, default_change_reason=None)


def _content_changed(changeset: ChangeSet) -> None:
    """Record when what readers see changed (not at creation: then it is the publication)."""
    articles = changeset.of(Article)
    gone = {change.pk for change in articles if change.deleted}
    changed = {change.pk for change in articles
               if not change.created and not change.deleted and change.changed(*CONTENT_FIELDS)} - gone
    now = timezone.now()
    for pk in sorted(changed):
        ContentChange.objects.update_or_create(article_id=pk, defaults={"changed_at": now})


def register() -> None:
    changes.register("history", "change", _revision)
    changes.register("lastmod", "set", _content_changed)
