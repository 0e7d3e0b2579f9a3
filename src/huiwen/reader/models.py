"""The editors' phrase list for the Traditional edition (reader.phrases applies it)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from simple_history.models import HistoricalRecords

from huiwen.newsroom import changes


class TraditionalPhrase(models.Model):
    """A Simplified phrase and the Traditional form the Traditional edition must show for it.

    OpenCC's s2twp gets proper names and regional usage wrong now and then (世界互联网大会 is
    officially 世界互聯網大會, not 世界網際網路大會); an editor fixes such a conversion here. The
    phrase is replaced before OpenCC runs, on pages, feeds and published files, and search folds
    the Traditional form back to the phrase.
    """

    simplified = models.CharField("简体词语", max_length=60, unique=True)
    traditional = models.CharField("繁体写法", max_length=60)
    note = models.CharField("备注", max_length=200, blank=True, help_text="为什么这样写,例如:官方名称")
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="修改人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()  # who added, changed or removed which phrase, and when

    class Meta:
        verbose_name = "繁体词语"
        verbose_name_plural = "繁体词语表"
        ordering = ["simplified"]

    def __str__(self) -> str:
        return f"{self.simplified} → {self.traditional}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Store the phrase and record the change: the "phrases" handler (reader.phrases) drops the
        table and invalidates the pages that show the old or the new wording."""
        with transaction.atomic(using=router.db_for_write(TraditionalPhrase, instance=self), savepoint=False):
            before = (TraditionalPhrase.objects.filter(pk=self.pk).values("simplified").first()
                      if self.pk is not None else None)
            super().save(*args, **kwargs)
            changes.record(self, before, {"simplified": self.simplified})

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        return changes.delete_recorded(self, super().delete, {"simplified": self.simplified}, *args, **kwargs)

    def clean(self) -> None:
        self.simplified, self.traditional = self.simplified.strip(), self.traditional.strip()
        if not self.simplified or not self.traditional:
            raise ValidationError("简体词语和繁体写法都不能为空。")
        if len(self.simplified) < 2:
            raise ValidationError({"simplified": "至少两个字:单个字的写法由 OpenCC 处理。"})
