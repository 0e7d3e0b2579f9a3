"""Records of the back office: editors' real names, sensitive-word lists and their findings,
scheduled publications, and the redirects a moved channel leaves behind.

They live in their own app so the newsroom's core models (Channel, Article, AuditEntry) stay as
they are; each record here points at a core row and never duplicates its fields.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from huiwen.newsroom.models import Article, Channel


class Desk(models.Model):
    """No table: holds the back office's own permissions, which roles (Groups) are built from."""

    class Meta:
        managed = False
        default_permissions = ()
        verbose_name = "编辑后台"
        verbose_name_plural = "编辑后台"
        permissions = [
            ("use_desk", "可以进入编辑后台"),
            ("publish_article", "可以发布、定时发布、退回文章和移动频道"),
            ("manage_channels", "可以管理频道树"),
            ("view_sources", "可以查看来源看板"),
        ]

    def __str__(self) -> str:
        return "编辑后台"


class EditorProfile(models.Model):
    """The 责任编辑 line needs a real name, not a login name: it is set here, by an administrator."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE,
                                related_name="editor_profile")
    real_name = models.CharField("真实姓名", max_length=60, help_text="刊于每篇发布文章的“责任编辑”")

    class Meta:
        verbose_name = "编辑资料"
        verbose_name_plural = "编辑资料"
        constraints = [models.CheckConstraint(condition=~Q(real_name=""), name="editor_real_name_not_empty")]

    def __str__(self) -> str:
        return self.real_name


class SensitiveWord(models.Model):
    """One entry of the editable lists the screening automaton is built from."""

    class Kind(models.TextChoices):
        BLOCK = "block", "禁止发布"
        REVIEW = "review", "人工审核"
        REPLACE = "replace", "自动替换"

    word = models.CharField("词语", max_length=100)
    kind = models.CharField("处理方式", max_length=10, choices=Kind.choices, default=Kind.REVIEW)
    replacement = models.CharField("替换为", max_length=100, blank=True,
                                   help_text="仅“自动替换”使用;留空则替换为同样长度的 *")
    note = models.CharField("备注", max_length=200, blank=True)
    active = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "敏感词"
        verbose_name_plural = "敏感词"
        ordering = ["kind", "word"]
        constraints = [
            models.UniqueConstraint(fields=["word"], name="sensitive_word_once"),
            models.CheckConstraint(condition=~Q(word=""), name="sensitive_word_not_empty"),
            models.CheckConstraint(condition=Q(kind__in=["block", "review", "replace"]), name="sensitive_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.word


class ArticleScreening(models.Model):
    """The latest screening of an article's text: what the queue flags and the preview highlights."""

    class Level(models.TextChoices):
        CLEAN = "clean", "无"
        REVIEW = "review", "需审核"
        BLOCK = "block", "禁止发布"

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="screening", primary_key=True)
    level = models.CharField("结果", max_length=8, choices=Level.choices, default=Level.CLEAN, db_index=True)
    hits = models.JSONField("命中", default=list, blank=True, help_text="[[词语, 处理方式, 字段], …]")
    screened_at = models.DateTimeField("筛查时间", default=timezone.now)

    class Meta:
        verbose_name = "敏感词筛查"
        verbose_name_plural = "敏感词筛查"

    def __str__(self) -> str:
        return f"{self.article_id}: {self.get_level_display()}"

    def words(self, kind: str | None = None) -> list[str]:
        return sorted({hit[0] for hit in self.hits if kind is None or hit[1] == kind})


class ScheduledPublication(models.Model):
    """An article to publish at a set time, by the periodic task (or `huiwen publish_scheduled`)."""

    class State(models.TextChoices):
        WAITING = "waiting", "等待发布"
        DONE = "done", "已发布"
        FAILED = "failed", "未能发布"
        CANCELLED = "cancelled", "已取消"

    article = models.ForeignKey(Article, verbose_name="文章", on_delete=models.CASCADE, related_name="schedules")
    at = models.DateTimeField("发布时间", db_index=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.WAITING, db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="安排人", null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    review_confirmed = models.BooleanField("已核对敏感词", default=False,
                                           help_text="安排时已核对需审核的词语;发布时文本若出现新的词语仍会拒绝")
    confirmed_words = models.JSONField("已核对的词语", default=list, blank=True)
    outcome = models.TextField("结果", blank=True)
    created_at = models.DateTimeField("安排时间", auto_now_add=True)

    class Meta:
        verbose_name = "定时发布"
        verbose_name_plural = "定时发布"
        ordering = ["at", "pk"]
        constraints = [
            # One waiting schedule per article: rescheduling cancels the previous one.
            models.UniqueConstraint(fields=["article"], condition=Q(state="waiting"), name="one_waiting_schedule"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} @ {self.at:%Y-%m-%d %H:%M}"


class PendingRevision(models.Model):
    """A change to a published article that waits for a 主编 (issue 15): readers keep the live version.

    The article row is what readers see, so the visibility rule stays one query and nothing a
    reader meets can show an unapproved word: the proposed text lives here until it is approved
    (copied onto the article, audited, 责任编辑 = the approver) or declined.
    """

    class State(models.TextChoices):
        WAITING = "waiting", "待审"
        APPROVED = "approved", "已采用"
        DECLINED = "declined", "已驳回"
        SUPERSEDED = "superseded", "已被新的修改取代"

    article = models.ForeignKey(Article, verbose_name="文章", on_delete=models.CASCADE,
                                related_name="pending_revisions")
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.WAITING, db_index=True)
    # The proposed content: the fields an editor may change (backoffice.revisions.CONTENT_FIELDS).
    title = models.CharField("标题", max_length=200)
    column = models.CharField("栏目标记", max_length=40, blank=True)
    original_author = models.CharField("原作者", max_length=120, blank=True)
    lede = models.TextField("导语", blank=True)
    body = models.TextField("正文")
    channel = models.ForeignKey(Channel, verbose_name="频道", on_delete=models.PROTECT, related_name="+")
    publisher = models.ForeignKey("newsroom.Publisher", verbose_name="来源", on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="+")
    print_newspaper = models.CharField("报纸", max_length=60, blank=True)
    print_date = models.DateField("见报日期", null=True, blank=True)
    print_page = models.CharField("版次", max_length=10, blank=True)
    note = models.TextField("修改说明", help_text="为什么改:写入审计日志")
    level = models.CharField("筛查结果", max_length=8, choices=ArticleScreening.Level.choices,
                             default=ArticleScreening.Level.CLEAN)
    hits = models.JSONField("命中", default=list, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="修改人", null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    proposed_at = models.DateTimeField("提交时间", default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decision = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = "待审修改"
        verbose_name_plural = "待审修改"
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            # One waiting change per article: a newer one replaces (supersedes) the older.
            models.UniqueConstraint(fields=["article"], condition=Q(state="waiting"), name="one_waiting_revision"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.title}"


class WorkerBeat(models.Model):
    """The task queue's heartbeat: each worker process writes its row when it starts and every minute.

    The desk reads the newest beat to say whether anything runs scheduled publication at all.
    """

    worker = models.CharField("进程", max_length=120, unique=True)
    started_at = models.DateTimeField("启动时间", default=timezone.now)
    beat_at = models.DateTimeField("最近心跳", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "worker 心跳"
        verbose_name_plural = "worker 心跳"

    def __str__(self) -> str:
        return f"{self.worker} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"
