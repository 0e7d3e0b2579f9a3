"""Upkeep on saves: a moved channel leaves a redirect at its old path; an article saved is screened.

Signals, not edits to Channel.save() or Article.save(), so the back office, the Django admin,
the collector and commands all get the same behaviour without the core models knowing about it.
"""

from __future__ import annotations

from django.db.models.signals import post_save, pre_save

from huiwen.backoffice.models import ChannelRedirect
from huiwen.newsroom.models import Article, Channel


def _remember_path(sender, instance: Channel, raw: bool = False, **kwargs) -> None:
    # Channel.save() derives the new path; the old one is only in the database by now.
    instance._old_path = None if raw or instance.pk is None else (
        Channel.objects.filter(pk=instance.pk).values_list("path", flat=True).first()
    )


def _leave_redirect(sender, instance: Channel, raw: bool = False, **kwargs) -> None:
    old = getattr(instance, "_old_path", None)
    if raw or old is None or old == instance.path:
        return
    # A channel now living at a path no longer redirects from it; the old path points here.
    ChannelRedirect.objects.filter(old_path=instance.path).delete()
    ChannelRedirect.objects.update_or_create(old_path=old, defaults={"channel": instance})


def _screen(sender, instance: Article, raw: bool = False, created: bool = False, **kwargs) -> None:
    if raw:  # loaddata: the fixture's rows, no side effects
        return
    from huiwen.backoffice import screening

    screening.record(instance, created=created)


def connect() -> None:
    pre_save.connect(_remember_path, sender=Channel, dispatch_uid="backoffice-channel-old-path")
    post_save.connect(_leave_redirect, sender=Channel, dispatch_uid="backoffice-channel-redirect")
    post_save.connect(_screen, sender=Article, dispatch_uid="backoffice-article-screening")
