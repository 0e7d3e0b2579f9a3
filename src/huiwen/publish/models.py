"""Records of the page cache and the static publisher."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

# The digest of a deep list page that a list change has made stale: the file stays and is served
# until a run refreshes it (newsroom.tags.list_page_tag). Never an md5 hex digest.
STALE = "stale"


class PublishedFile(models.Model):
    """A file the static publisher wrote, with the tags it depends on (the dependency graph).

    `digest`: the md5 of what was written; empty once the file was deleted for a change; "stale"
    for a deep list page left on disk until a run refreshes it (STALE)."""

    path = models.CharField(max_length=300, unique=True)
    digest = models.CharField(max_length=32)
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "静态文件"
        verbose_name_plural = "静态文件"
        # The stale deep list pages, oldest first, without reading every file's row.
        indexes = [models.Index(fields=["written_at", "id"], condition=models.Q(digest=STALE),
                                name="publishedfile_stale")]

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
