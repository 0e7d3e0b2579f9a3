"""Admin for the collector: sources with their health, runs, errors, captures and images."""

from __future__ import annotations

from datetime import timedelta
from typing import TypeVar

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html

from huiwen.collect.models import ArticleImage, Capture, SeenURL, Source, SourceError, SourceRun

# A source that has produced nothing for this many intervals is flagged as idle.
IDLE_INTERVALS = 4

_M = TypeVar("_M", bound=Model)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin[Source]):
    class Media:
        css = {"all": ["collect/admin.css"]}  # colours by class: the Content-Security-Policy refuses style attributes

    list_display = ["name", "kind", "enabled", "health", "last_success_at", "items_24h", "consecutive_failures",
                    "failed_images", "channel"]
    list_filter = ["kind", "enabled", "review", "publisher"]
    search_fields = ["name", "url"]
    autocomplete_fields = ["publisher", "channel", "editor"]
    readonly_fields = ["last_run_at", "last_success_at", "consecutive_failures", "last_error", "next_run_at",
                       "created_at"]
    actions = ["run_now", "enable", "disable"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "url", "publisher", "channel", "enabled", "review", "editor"]}),
        ("筛选与分派", {"fields": ["include_patterns", "exclude_patterns", "channel_rules"]}),
        ("列表页", {"fields": ["next_page", "max_pages"], "classes": ["collapse"]}),
        ("抓取", {"fields": ["interval_minutes", "max_items", "host_interval", "charset", "allow_private",
                             "selectors"]}),
        ("健康状况", {"fields": ["last_run_at", "last_success_at", "next_run_at", "consecutive_failures",
                                 "last_error", "created_at"]}),
    ]

    @admin.display(description="状态")
    def health(self, source: Source) -> str:
        if not source.enabled:
            return "停用"
        if source.consecutive_failures:
            return format_html('<strong class="health-failing">连续失败 {} 次</strong>', source.consecutive_failures)
        if source.last_success_at is None:
            return "尚未运行"
        idle_after = timedelta(minutes=source.interval_minutes * IDLE_INTERVALS)
        last_new = source.seen_urls.filter(article__isnull=False).order_by("-first_seen_at").first()
        if last_new is None or timezone.now() - last_new.first_seen_at > max(idle_after, timedelta(days=1)):
            return format_html('<strong class="health-idle">{}</strong>', "闲置:长时间没有新文章")
        return "正常"

    @admin.display(description="24小时新文章")
    def items_24h(self, source: Source) -> int:
        return source.items_last_24h()

    @admin.display(description="图片失败")
    def failed_images(self, source: Source) -> int:
        return ArticleImage.objects.filter(article__seen_urls__source=source, state=ArticleImage.State.FAILED).count()

    @admin.action(description="立即采集所选来源")
    def run_now(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        from huiwen.collect.tasks import collect_source

        for source in queryset:
            collect_source(source.pk)
        self.message_user(request, f"已排入采集队列:{queryset.count()} 个来源(由 huiwen worker 执行)。",
                          messages.SUCCESS)

    @admin.action(description="启用")
    def enable(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        queryset.update(enabled=True)

    @admin.action(description="停用")
    def disable(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        queryset.update(enabled=False)


class ReadOnlyAdmin(admin.ModelAdmin[_M]):
    """Records written by the collector: looked at, never edited by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: _M | None = None) -> bool:
        return False


@admin.register(SourceRun)
class SourceRunAdmin(ReadOnlyAdmin[SourceRun]):
    list_display = ["source", "started_at", "finished_at", "ok", "discovered", "fetched", "new", "updated",
                    "unchanged", "skipped_robots", "skipped", "failed", "worker"]
    list_filter = ["ok", "source"]
    date_hierarchy = "started_at"


@admin.register(SourceError)
class SourceErrorAdmin(ReadOnlyAdmin[SourceError]):
    list_display = ["at", "source", "kind", "url", "message"]
    list_filter = ["kind", "source"]
    search_fields = ["url", "message"]
    date_hierarchy = "at"


@admin.register(SeenURL)
class SeenURLAdmin(ReadOnlyAdmin[SeenURL]):
    list_display = ["url", "source", "state", "article", "attempts", "last_fetched_at"]
    list_filter = ["state", "source"]
    search_fields = ["url"]
    raw_id_fields = ["article"]


@admin.register(Capture)
class CaptureAdmin(ReadOnlyAdmin[Capture]):
    list_display = ["fetched_at", "status", "url", "warc_path", "offset", "size"]
    search_fields = ["url"]
    date_hierarchy = "fetched_at"


@admin.register(ArticleImage)
class ArticleImageAdmin(ReadOnlyAdmin[ArticleImage]):
    list_display = ["source_url", "article", "state", "error"]
    list_filter = ["state"]
    search_fields = ["source_url"]
    raw_id_fields = ["article"]
