"""Localised images of withdrawn articles: taken off the public media folder, and put back on restore.

An image file is quarantined only when no visible article still uses it (the same photo can
illustrate two different works); restoring an article brings its images back before the
article becomes visible again.

A handler of the change path ("media", newsroom.changes), whoever withdraws or restores (a
takedown notice, the desk, the admin): images of articles withdrawn leave public view after the
commit (files are the outside world: a rolled-back withdrawal moves nothing), images of articles
restored come back at the end of the change set, before its commit makes the article visible.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import cast

from django.conf import settings

from huiwen.collect.models import ArticleImage, ImageAsset
from huiwen.newsroom import changes
from huiwen.newsroom.changes import ChangeSet
from huiwen.newsroom.models import Article


def _public(asset: ImageAsset) -> Path:
    return Path(settings.MEDIA_ROOT) / asset.file


def _quarantined(asset: ImageAsset) -> Path:
    return Path(settings.TAKEDOWN["PRIVATE_DIR"]) / "quarantine" / asset.file


def _assets(articles: Iterable[Article]) -> list[ImageAsset]:
    ids = ArticleImage.objects.filter(article__in=list(articles), asset__isnull=False).values("asset")
    return list(ImageAsset.objects.filter(pk__in=ids))


def quarantine(articles: Iterable[Article]) -> int:
    """Move out of public view the images that no visible article uses any more."""
    moved = 0
    visible = Article.objects.visible()
    for asset in _assets(articles):
        if ArticleImage.objects.filter(asset=asset, article__in=visible).exists():
            continue
        source, target = _public(asset), _quarantined(asset)
        if source.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            source.replace(target)
            moved += 1
    return moved


def release(articles: Iterable[Article]) -> int:
    """Put back the images of restored articles."""
    moved = 0
    for asset in _assets(articles):
        source, target = _quarantined(asset), _public(asset)
        if source.exists() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            source.replace(target)
            moved += 1
    return moved


def _status_moves(changeset: ChangeSet, *, leaving: bool) -> list[Article]:
    """The set's articles that became withdrawn (leaving) or stopped being withdrawn."""
    gone = Article.Status.WITHDRAWN
    moved: list[Article] = []
    for change in changeset.latest(Article):
        before = (change.before or {}).get("status")
        after = change.after.get("status")
        if (leaving and after == gone and before != gone) or (not leaving and before == gone and after != gone):
            moved.append(cast(Article, change.instance))  # latest(Article): its changes of articles
    return moved


def _withdrawn(changeset: ChangeSet) -> None:
    articles = _status_moves(changeset, leaving=True)
    if articles:
        quarantine(articles)


def _restored(changeset: ChangeSet) -> None:
    articles = _status_moves(changeset, leaving=False)
    if articles:
        release(articles)


def register() -> None:
    changes.register("media", "set", _restored)
    changes.register("media", "commit", _withdrawn)
