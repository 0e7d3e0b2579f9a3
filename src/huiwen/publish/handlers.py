"""What changes which tags: the one place that maps the newsroom's changes to dependency tags.

A handler of the change path (newsroom.changes, "tags"): once per change set, every tag the set's
changes touch is announced together (newsroom.tags.changed: the versions now and again at commit,
TagChange rows for incremental publishing, and the published files that depend on them deleted).
"""

from __future__ import annotations

from typing import cast

from huiwen.newsroom import changes
from huiwen.newsroom.changes import Change, ChangeSet
from huiwen.newsroom.models import LISTING_FIELDS, Article, Channel, Publisher
from huiwen.newsroom.tags import changed


def _list_tags(channel_id: object) -> list[str]:
    """The lists an article of this channel appears in: its channel's and every ancestor's."""
    if channel_id is None:
        return []

    def lookup() -> list[str]:
        channel = Channel.objects.filter(pk=cast(int, channel_id)).first()
        return [f"list:{c.pk}" for c in channel.lineage()] if channel else []

    # Once per change set: the channel tree does not change while a collector's batch is stored.
    return changes.remembered(("list-tags", channel_id), lookup)


def _article_tags(change: Change) -> list[str]:
    tags = [f"article:{change.pk}", "sitemap"]  # the article sitemap shows every lastmod
    # Joined, left or moved within lists (channel, status, time): every list it was or is in, and
    # the site-wide ones. Any other edit (title, text) changes only the pages that show the
    # article, which depend on article:<pk> themselves.
    if change.created or change.deleted or change.changed(*LISTING_FIELDS):
        before = change.before or {}
        tags += ["list:all", *_list_tags(change.after.get("channel_id")), *_list_tags(before.get("channel_id"))]
    return tags


def _channel_tags(change: Change) -> list[str]:
    channel = change.instance
    assert isinstance(channel, Channel)
    subtree = [change.pk] if change.deleted else [change.pk, *(c.pk for c in channel.descendants())]
    return ["nav", "list:all", *[f"channel:{pk}" for pk in subtree], *[f"list:{pk}" for pk in subtree],
            *_list_tags(channel.parent_id)]


def _publisher_tags(change: Change) -> list[str]:
    shown = Article.objects.filter(publisher_id=change.pk).values_list("pk", flat=True)
    lists = Channel.objects.values_list("pk", flat=True)  # lists show the publisher's name
    return ["list:all", *[f"article:{pk}" for pk in shown], *[f"list:{pk}" for pk in lists]]


def _announce(changeset: ChangeSet) -> None:
    tags: list[str] = []
    for change in changeset.changes:
        if isinstance(change.instance, Article):
            tags += _article_tags(change)
        elif isinstance(change.instance, Channel):
            tags += _channel_tags(change)
        elif isinstance(change.instance, Publisher):
            tags += _publisher_tags(change)
    # A list's deep pages change with it (newsroom.tags.list_page_tag).
    tags += [f"listdeep:{tag.removeprefix('list:')}" for tag in tags if tag.startswith("list:") and tag != "list:all"]
    changed(*tags)


def register() -> None:
    changes.register("tags", "set", _announce)
