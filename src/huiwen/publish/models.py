"""Records of the page cache and the static publisher."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class TagChange(models.Model):
    """A change of a dependency tag (publish.tags), kept so incremental publishing knows what to redo."""

    tag = models.CharField(max_length=60, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "变更记录"
        verbose_name_plural = "变更记录"

    def __str__(self) -> str:
        return f"{self.tag} @ {self.at:%Y-%m-%d %H:%M:%S}"


class TagVersion(models.Model):
    """The version of a dependency tag (publish.tags) in the embedded default; Redis at scale."""

    tag = models.CharField(max_length=60, primary_key=True)
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "依赖版本"
        verbose_name_plural = "依赖版本"

    def __str__(self) -> str:
        return f"{self.tag}={self.version}"


class CacheEpoch(models.Model):
    """Bumped when a change could not be announced to the cache: every page cached before is void."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "缓存纪元"
        verbose_name_plural = "缓存纪元"

    def __str__(self) -> str:
        return str(self.value)


class PublishedFile(models.Model):
    """A file the static publisher wrote, with the tags it depends on (the dependency graph)."""

    path = models.CharField(max_length=300, unique=True)
    digest = models.CharField(max_length=32)
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "静态文件"
        verbose_name_plural = "静态文件"

    def __str__(self) -> str:
        return self.path


class FileTag(models.Model):
    file = models.ForeignKey(PublishedFile, on_delete=models.CASCADE, related_name="tags")
    tag = models.CharField(max_length=60, db_index=True)

    class Meta:
        verbose_name = "静态文件依赖"
        verbose_name_plural = "静态文件依赖"
        constraints = [models.UniqueConstraint(fields=["file", "tag"], name="filetag_once")]

    def __str__(self) -> str:
        return f"{self.file.path} ← {self.tag}"


class PublishState(models.Model):
    """When the last publication ran, and into which folder (one row per output folder)."""

    out_dir = models.CharField(max_length=500, unique=True)
    last_run_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "发布状态"
        verbose_name_plural = "发布状态"

    def __str__(self) -> str:
        return self.out_dir


class ContentChange(models.Model):
    """When what readers see of an article (title, text, attribution) last changed after it was stored.

    Kept by publish.signals on every save that changes those fields; an article never changed has
    no row, and its last change is its publication. Sitemap lastmod, JSON-LD dateModified and
    feed <updated> read it: `updated_at` moves with every save (status changes, the collector's
    bookkeeping, the demo's load), which is not a change a crawler should be told about.
    """

    article = models.OneToOneField("newsroom.Article", on_delete=models.CASCADE, primary_key=True,
                                   related_name="content_change")
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = "内容变更"
        verbose_name_plural = "内容变更"

    def __str__(self) -> str:
        return f"{self.article_id} @ {self.changed_at:%Y-%m-%d %H:%M:%S}"
