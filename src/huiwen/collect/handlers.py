"""An editor who sets a collected article's 来源 or time by hand confirms it (issue 16).

The collector marks articles whose 来源 fell back to the source's publisher, or whose time fell
back to the fetch time (collect.Attribution); the review queue lists them as 来源待确认. A change
made by a user (the change path's "attribution" handler, after "history" has said who acted)
that changes the publisher (or the time) settles that mark, through collect.marks: a change of
its own (kind SETTLE) in the same change set.
"""

from __future__ import annotations

from huiwen.newsroom import changes
from huiwen.newsroom.changes import Change, ChangeSet
from huiwen.newsroom.models import Article


def _confirm_by_hand(change: Change, changeset: ChangeSet) -> None:
    from huiwen.collect import marks

    if (not isinstance(change.instance, Article) or change.created or change.deleted
            or not getattr(change.actor, "pk", None)):
        return
    source, time = change.changed("publisher_id"), change.changed("published_at")
    if source or time:
        marks.settle(change.pk, change.actor, source=source, time=time)  # a change of kind SETTLE


def register() -> None:
    from huiwen.collect import quarantine

    changes.register("attribution", "change", _confirm_by_hand)
    quarantine.register()
