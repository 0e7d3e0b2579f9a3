"""What search and 相关阅读 store beside the articles.

The full-text index itself is per backend and created by migration 0002 for the database in
use (SQLite: the FTS5 table search_fts and search_sqlite_tokens; PostgreSQL: search_document,
a tsvector per article with a GIN index); the models here are the same on both: document
frequencies, each article's weighted term profile, and the stored 相关阅读 lists.
"""

from __future__ import annotations

from django.db import models

from huiwen.newsroom.models import Article


class TermStat(models.Model):
    """How many indexed articles contain a token; the row with term "" holds the article count."""

    term = models.CharField(max_length=100, primary_key=True)
    df = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "词频统计"
        verbose_name_plural = "词频统计"

    def __str__(self) -> str:
        return f"{self.term or '(文章数)'}: {self.df}"


class Profile(models.Model):
    """An indexed article's weighted terms (unit length) and when its 相关阅读 was computed.

    `signature` is a hash of what indexing and relatedness read (title, lede, body, channel,
    publication time, story), so a save that changed none of them costs nothing.
    """

    article = models.OneToOneField(Article, on_delete=models.CASCADE, primary_key=True, related_name="search_profile")
    terms = models.JSONField(default=dict)
    signature = models.CharField(max_length=32)
    related_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "文章词向量"
        verbose_name_plural = "文章词向量"

    def __str__(self) -> str:
        return f"profile of {self.article_id}"


class RelatedArticle(models.Model):
    """One item of an article's stored 相关阅读 list. Read through Article.objects.visible()."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_items")
    related = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_to")
    score = models.FloatField()

    class Meta:
        verbose_name = "相关阅读"
        verbose_name_plural = "相关阅读"
        constraints = [
            models.UniqueConstraint(fields=["article", "related"], name="related_once"),
            models.CheckConstraint(condition=~models.Q(article=models.F("related")), name="related_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.related_id} ({self.score:.3f})"

