"""Localised images of withdrawn articles: taken off the public media folder, and put back on restore.

An image file is quarantined only when no visible article still uses it (the same photo can
illustrate two different works); restoring an article brings its images back before the
article becomes visible again.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

from huiwen.collect.models import ArticleImage, ImageAsset
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
