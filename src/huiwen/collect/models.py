"""The collector's records: sources, every URL ever seen, archived captures, runs, errors, images.

`SeenURL` is both the record of what was collected (so nothing is ingested twice) and the work
queue: a URL is claimed by one worker with a conditional UPDATE, so two workers racing over
the same source never fetch the same URL.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models import Q
from django.utils import timezone

from huiwen.newsroom import changes
from huiwen.newsroom.models import Article, Channel, Publisher

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _validate_patterns(text: str) -> None:
    for line in text.splitlines():
        pattern = line.split("=>", 1)[0].strip()
        if not pattern:
            continue
        try:
            re.compile(pattern)
        except re.error as error:
            raise ValidationError(f"无效的正则表达式 {pattern!r}:{error}") from error


class Source(models.Model):
    class Kind(models.TextChoices):
        FEED = "feed", "RSS/Atom 订阅"
        SITEMAP = "sitemap", "网站地图(含新闻地图)"
        LISTPAGE = "listpage", "列表页"
        URL = "url", "单篇网址"
        WARC = "warc", "WARC 文件或网页存档目录"

    name = models.CharField("名称", max_length=100, unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    url = models.CharField("地址", max_length=1000, help_text="网址;WARC 类型填服务器上的文件或目录路径")
    publisher = models.ForeignKey(Publisher, verbose_name="来源媒体", on_delete=models.PROTECT, related_name="sources")
    channel = models.ForeignKey(Channel, verbose_name="目标频道", on_delete=models.PROTECT, related_name="sources")
    channel_rules = models.TextField(
        "频道规则", blank=True, validators=[_validate_patterns],
        help_text="每行一条:网址正则 => 频道路径,例如 /world/ => news/world;第一条匹配的规则生效",
    )
    include_patterns = models.TextField("只采集", blank=True, validators=[_validate_patterns],
                                        help_text="每行一个网址正则;留空表示全部")
    exclude_patterns = models.TextField("不采集", blank=True, validators=[_validate_patterns],
                                        help_text="每行一个网址正则")
    next_page = models.CharField(
        "翻页", max_length=500, blank=True,
        help_text="列表页翻页地址模板,用 {n} 表示页码,如 https://example.com/list_{n}.html;留空则跟随“下一页”链接",
    )
    max_pages = models.PositiveIntegerField("最多翻页", default=5)
    charset = models.CharField("字符集", max_length=30, blank=True, help_text="仅当来源声明错误时填写,如 gbk")
    selectors = models.JSONField(
        "字段选择器", default=dict, blank=True,
        help_text='仅用于通用方法出错的来源,如 {"body": "div.article"}',
    )
    interval_minutes = models.PositiveIntegerField("采集间隔(分钟)", default=30)
    max_items = models.PositiveIntegerField("每次最多采集", default=50)
    host_interval = models.FloatField("同一主机请求间隔(秒)", default=1.0)
    enabled = models.BooleanField("启用", default=True)
    allow_private = models.BooleanField("允许内网地址", default=False,
                                        help_text="只对本来源自己的主机生效;跳转到其他内网地址仍会被拒绝")
    review = models.BooleanField("先审后发", default=True, help_text="采集的文章进入待审核队列;否则直接发布")
    # 互联网新闻信息服务管理规定 Art. 15: a reprint names its responsible editor by real name. An
    # article a direct-publish source puts online carries this user's real name; a source
    # without one cannot publish directly (its articles wait in the review queue).
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="责任编辑", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="responsible_sources",
        help_text="直接发布的文章以此人的真实姓名署“责任编辑”;直接发布的来源必须指定(须在“编辑资料”中有真实姓名)",
    )
    # Health, kept by the collector.
    last_run_at = models.DateTimeField("上次运行", null=True, blank=True)
    last_success_at = models.DateTimeField("上次成功", null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField("连续失败次数", default=0)
    last_error = models.TextField("最近错误", blank=True)
    next_run_at = models.DateTimeField("下次运行", null=True, blank=True, db_index=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "采集来源"
        verbose_name_plural = "采集来源"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["feed", "sitemap", "listpage", "url", "warc"]),
                                   name="source_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def free_name(cls, wanted: str) -> str:
        """`wanted`, or `wanted (2)`, `(3)`… when another source has the name already."""
        wanted = wanted[:94]
        taken = set(cls.objects.filter(name__startswith=wanted).values_list("name", flat=True))
        if wanted not in taken:
            return wanted
        return next(f"{wanted} ({n})" for n in range(2, len(taken) + 3) if f"{wanted} ({n})" not in taken)

    def clean(self) -> None:
        super().clean()
        name = real_name_of(self.editor) if self.editor_id else ""
        if self.editor_id and not name:
            raise ValidationError({"editor": "责任编辑须有真实姓名:请先在“编辑资料”中为此用户填写真实姓名。"})
        if not self.review and not name:
            raise ValidationError({"editor": "直接发布的来源须指定责任编辑(有真实姓名的用户);否则请选择“先审后发”。"})

    def responsible_editor(self) -> str:
        """The real name direct publications are signed with; empty when there is none (then
        nothing is published directly). Read once per Source instance: the collector asks per page."""
        if not hasattr(self, "_responsible_editor"):
            self._responsible_editor = real_name_of(self.editor) if self.editor_id else ""
        return self._responsible_editor

    def publishes_directly(self) -> bool:
        return not self.review and bool(self.responsible_editor())

    def is_due(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.enabled and (self.next_run_at is None or self.next_run_at <= now)

    def items_last_24h(self) -> int:
        since = timezone.now() - timedelta(hours=24)
        return self.seen_urls.filter(article__isnull=False, first_seen_at__gte=since).count()

    @staticmethod
    def _patterns(text: str) -> list[re.Pattern[str]]:
        return [re.compile(line.strip()) for line in text.splitlines() if line.strip()]

    def wants(self, url: str) -> bool:
        """Whether a discovered URL passes this source's include and exclude patterns."""
        include = self._patterns(self.include_patterns)
        if include and not any(p.search(url) for p in include):
            return False
        return not any(p.search(url) for p in self._patterns(self.exclude_patterns))

    def channel_for(self, url: str) -> Channel:
        for line in self.channel_rules.splitlines():
            pattern, _, path = line.partition("=>")
            if pattern.strip() and path.strip() and re.search(pattern.strip(), url):
                found = Channel.objects.filter(path=path.strip()).first()
                if found is not None:
                    return found
        return self.channel


def real_name_of(user: User | None) -> str:
    """A user's real name from the back office's editor profile ("" when none is on file)."""
    from huiwen.newsroom import ports

    return ports.real_name(user)


class SeenURL(models.Model):
    class State(models.TextChoices):
        DISCOVERED = "discovered", "待采集"
        CLAIMED = "claimed", "采集中"
        DONE = "done", "已采集"
        FAILED = "failed", "失败"
        SKIPPED = "skipped", "已跳过"

    url = models.CharField("规范网址", max_length=1000, unique=True)
    source = models.ForeignKey(Source, verbose_name="来源", on_delete=models.CASCADE, related_name="seen_urls")
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.DISCOVERED, db_index=True)
    claimed_by = models.CharField("采集进程", max_length=100, blank=True)
    claimed_at = models.DateTimeField("领取时间", null=True, blank=True)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    content_hash = models.CharField("内容指纹", max_length=64, blank=True)
    size = models.PositiveIntegerField("大小", default=0, help_text="上次完整抓取的字节数:304 省下的流量")
    article = models.ForeignKey(Article, verbose_name="文章", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="seen_urls")
    attempts = models.PositiveIntegerField("尝试次数", default=0)
    last_error = models.TextField("错误", blank=True)
    first_seen_at = models.DateTimeField("首次发现", auto_now_add=True)
    last_fetched_at = models.DateTimeField("上次抓取", null=True, blank=True)

    class Meta:
        verbose_name = "已发现网址"
        verbose_name_plural = "已发现网址"
        indexes = [models.Index(fields=["source", "state"], name="seenurl_source_state")]

    def __str__(self) -> str:
        return self.url


class PolledDocument(models.Model):
    """A discovery document (feed, sitemap, list page) as last read: its validators, for the next
    conditional request, and what it listed, returned when the answer is 304 (collect.polling)."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="documents")
    url = models.CharField(max_length=1000)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField("大小", default=0, help_text="上次完整抓取的字节数")
    listing = models.JSONField("列出的内容", default=dict, blank=True)
    fetched_at = models.DateTimeField("上次请求", null=True, blank=True)
    parsed_at = models.DateTimeField("上次解析", null=True, blank=True)
    unchanged = models.PositiveIntegerField("304 次数", default=0)

    class Meta:
        verbose_name = "发现页面"
        verbose_name_plural = "发现页面"
        constraints = [models.UniqueConstraint(fields=["source", "url"], name="polled_document_once")]

    def __str__(self) -> str:
        return self.url


class Capture(models.Model):
    """One archived response: where its WARC record is, so it can be re-extracted."""

    seen = models.ForeignKey(SeenURL, on_delete=models.CASCADE, related_name="captures", null=True)
    url = models.CharField(max_length=1000)
    final_url = models.CharField(max_length=1000)
    status = models.PositiveSmallIntegerField()
    warc_path = models.CharField(max_length=300)
    offset = models.BigIntegerField()
    size = models.PositiveIntegerField(default=0)
    fetched_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "存档"
        verbose_name_plural = "存档"

    def __str__(self) -> str:
        return f"{self.url} @ {self.fetched_at:%Y-%m-%d %H:%M}"


class SourceRun(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="runs")
    worker = models.CharField(max_length=100, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    discovered = models.PositiveIntegerField("发现", default=0)
    fetched = models.PositiveIntegerField("抓取", default=0)
    new = models.PositiveIntegerField("新增", default=0)
    updated = models.PositiveIntegerField("更新", default=0)
    unchanged = models.PositiveIntegerField("未变", default=0)
    skipped_robots = models.PositiveIntegerField("robots 跳过", default=0)
    skipped = models.PositiveIntegerField("其他跳过", default=0)
    failed = models.PositiveIntegerField("失败", default=0)
    ok = models.BooleanField("成功", default=False)
    # Fetch statistics (discovery documents and article pages): what polite polling saved.
    requests = models.PositiveIntegerField("请求", default=0)
    not_modified = models.PositiveIntegerField("304", default=0)
    bytes_received = models.PositiveBigIntegerField("下载字节", default=0)
    bytes_saved = models.PositiveBigIntegerField("304 省下的字节", default=0)

    class Meta:
        verbose_name = "采集记录"
        verbose_name_plural = "采集记录"
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M}"


class SourceError(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="errors")
    run = models.ForeignKey(SourceRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="errors")
    url = models.CharField(max_length=1000, blank=True)
    kind = models.CharField("类别", max_length=40)
    message = models.TextField("信息")
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "采集错误"
        verbose_name_plural = "采集错误"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.url}"


class ImageAsset(models.Model):
    """An image stored once per content hash and served from our own site."""

    sha256 = models.CharField(max_length=64, unique=True)
    file = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "图片"
        verbose_name_plural = "图片"

    def __str__(self) -> str:
        return self.file


class ArticleImage(models.Model):
    class State(models.TextChoices):
        STORED = "stored", "已本地化"
        FAILED = "failed", "获取失败"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="images")
    source_url = models.CharField("原图地址", max_length=1000)
    asset = models.ForeignKey(ImageAsset, null=True, blank=True, on_delete=models.PROTECT, related_name="uses")
    state = models.CharField(max_length=8, choices=State.choices)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = "文章图片"
        verbose_name_plural = "文章图片"
        constraints = [models.UniqueConstraint(fields=["article", "source_url"], name="article_image_once")]

    def __str__(self) -> str:
        return self.source_url


class Attribution(models.Model):
    """How the collector read an article's attribution (issue 16): where each field came from,
    and whether 来源 or time had to fall back, so that the desk checks those before they go out.

    `source_fallback`: the page named no 来源 the extractor could read, so the article is filed
    under the collecting source's own publisher. `time_fallback`: the page gave no time, so the
    fetch time stands in. An editor who sets the field by hand confirms it (collect.handlers).
    """

    article = models.OneToOneField(Article, on_delete=models.CASCADE, primary_key=True, related_name="attribution")
    source_fallback = models.BooleanField("来源待确认", default=False,
                                          help_text="页面未写明可读的来源,暂记为采集来源的媒体")
    time_fallback = models.BooleanField("时间待确认", default=False, help_text="页面未写明时间,暂记为抓取时间")
    provenance = models.JSONField("字段出处", default=dict, blank=True,
                                  help_text="各字段的读取方式与置信度,如 来源:meta line 0.75")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "署名读取"
        verbose_name_plural = "署名读取"
        indexes = [models.Index(fields=["source_fallback", "time_fallback"], name="attribution_fallbacks")]

    def __str__(self) -> str:
        return f"署名 {self.article_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Store the marks (a new row, or the article's row replaced: the pk is the article's) and
        record the change; the collector's batches write theirs through collect.marks."""
        using = kwargs.get("using") or router.db_for_write(Attribution, instance=self)
        with transaction.atomic(using=using, savepoint=False):
            before = Attribution.objects.using(using).filter(pk=self.pk).values(*MARKS).first()
            super().save(*args, **kwargs)
            changes.record(self, before, self.marks(), using=using)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        return changes.delete_recorded(self, super().delete, self.marks(), *args, **kwargs)

    @property
    def needs_check(self) -> bool:
        return self.source_fallback or self.time_fallback

    def marks(self) -> dict[str, object]:
        """The values the change path compares before and after a change of the marks."""
        return {name: getattr(self, name) for name in MARKS}


MARKS = ("source_fallback", "time_fallback", "provenance")
