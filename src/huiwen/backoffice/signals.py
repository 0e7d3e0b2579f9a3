"""Upkeep on saves: an article saved is screened.

Signals, not edits to Channel.save() or Article.save(), so the back office, the Django admin,
the collector and commands all get the same behaviour without the core models knowing about it.
"""

from __future__ import annotations

from django.db.models.signals import post_save

from huiwen.newsroom.models import Article


def _screen(sender, instance: Article, raw: bool = False, created: bool = False, **kwargs) -> None:
    if raw:  # loaddata: the fixture's rows, no side effects
        return
    from huiwen.backoffice import screening

    screening.record(instance, created=created)


def connect() -> None:
    post_save.connect(_screen, sender=Article, dispatch_uid="backoffice-article-screening")
