"""Records of the page cache and the static publisher."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


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
