"""What changes which tags: the only place that maps model changes to dependency tags."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from huiwen import batch
from huiwen.newsroom.lastmod import CONTENT_FIELDS
from huiwen.newsroom.models import Article, Channel, Publisher
from huiwen.newsroom.tags import changed


def _list_tags(channel_id: int | None) -> list[str]:
    """The lists an article of this channel appears in: its channel's and every ancestor's."""
    if channel_id is None:
        return []

    def lookup() -> list[str]:
        channel = Channel.objects.filter(pk=channel_id).first()
        return [f"list:{c.pk}" for c in channel.lineage()] if channel else []

    # Once per collector batch: the channel tree does not change while it is stored.
    return batch.remembered(("list-tags", channel_id), lookup)


# What decides whether, and where, an article is listed. Any other edit (title, text) changes
# only the pages that show the article, which depend on article:<pk> themselves.
LISTING_FIELDS = ("channel_id", "status", "published_at")


def _listing(article: Article) -> tuple[object, ...]:
    return tuple(getattr(article, name) for name in LISTING_FIELDS)


def _article_before(sender: type[Article], instance: Article, **kwargs: object) -> None:
    row = Article.objects.filter(pk=instance.pk).values_list(*LISTING_FIELDS, *CONTENT_FIELDS).first() \
        if instance.pk else None
    instance._huiwen_previous = row[:len(LISTING_FIELDS)] if row else None  # type: ignore[attr-defined]
    instance._huiwen_previous_content = row[len(LISTING_FIELDS):] if row else None  # type: ignore[attr-defined]


def _note_content_change(instance: Article) -> None:
    """Record when what readers see changed (sitemap lastmod, dateModified); see newsroom.lastmod."""
    previous = getattr(instance, "_huiwen_previous_content", None)
    if previous is None or previous == tuple(getattr(instance, name) for name in CONTENT_FIELDS):
        return
    from huiwen.newsroom.models import ContentChange

    ContentChange.objects.update_or_create(article_id=instance.pk, defaults={"changed_at": timezone.now()})


def _article_changed(sender: type[Article], instance: Article, created: bool = False, **kwargs: object) -> None:
    tags = [f"article:{instance.pk}", "sitemap"]  # the article sitemap shows every lastmod
    previous = getattr(instance, "_huiwen_previous", None)
    deleted = kwargs.get("signal") is post_delete
    if not deleted and not created:
        _note_content_change(instance)
    if created or deleted or previous is None or previous != _listing(instance):
        # Joined, left or moved within lists: every list it was or is in, and the site-wide ones.
        tags += ["list:all", *_list_tags(instance.channel_id), *_list_tags(previous[0] if previous else None)]
    changed(*tags)


def _channel_changed(sender: type[Channel], instance: Channel, **kwargs: object) -> None:
    subtree = [instance, *instance.descendants()] if instance.pk else [instance]
    tags = ["nav", "list:all"] + [f"channel:{c.pk}" for c in subtree] + [f"list:{c.pk}" for c in subtree]
    changed(*tags, *_list_tags(instance.parent_id))


def _publisher_changed(sender: type[Publisher], instance: Publisher, **kwargs: object) -> None:
    shown = Article.objects.filter(publisher=instance).values_list("pk", flat=True)
    lists = Channel.objects.values_list("pk", flat=True)  # lists show the publisher's name
    changed("list:all", *[f"article:{pk}" for pk in shown], *[f"list:{pk}" for pk in lists])


def status_changed(articles: list[tuple[int, int | None]]) -> None:
    """Articles whose status was changed in bulk, without save() (takedown.withdrawal): (pk, channel_id)
    each. Every page that shows one, every list it was in, and the site-wide lists."""
    tags = ["list:all", "sitemap", *[f"article:{pk}" for pk, _ in articles]]
    for channel_id in {channel_id for _, channel_id in articles}:
        tags += _list_tags(channel_id)
    changed(*tags)


def related_changed(*article_ids: int) -> None:
    """The 相关阅读 blocks of these articles were recomputed (called by search.related)."""
    changed(*[f"related:{pk}" for pk in article_ids])


def connect() -> None:
    pre_save.connect(_article_before, sender=Article, dispatch_uid="publish-article-before")
    post_save.connect(_article_changed, sender=Article, dispatch_uid="publish-article-saved")
    post_delete.connect(_article_changed, sender=Article, dispatch_uid="publish-article-deleted")
    post_save.connect(_channel_changed, sender=Channel, dispatch_uid="publish-channel-saved")
    post_delete.connect(_channel_changed, sender=Channel, dispatch_uid="publish-channel-deleted")
    post_save.connect(_publisher_changed, sender=Publisher, dispatch_uid="publish-publisher-saved")
