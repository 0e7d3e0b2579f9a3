"""The source dashboard's figures: per source and day, new articles and failures; health alerts.

Two grouped queries cover every source and day (not one query per source per day), so the page
stays fast with many sources.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Max
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.safestring import SafeString

from huiwen.backoffice.charts import Series, bar_chart
from huiwen.collect.admin import IDLE_INTERVALS
from huiwen.collect.fetchstats import FetchStats, per_source
from huiwen.collect.models import SeenURL, Source, SourceError

DAYS = 14
EXTRACTION_KINDS = ("extraction",)  # every other SourceError kind is a fetch/discovery failure


@dataclass
class SourceHealth:
    source: Source
    articles: list[int]
    fetch_failures: list[int]
    extraction_failures: list[int]
    last_new: datetime | None
    alerts: list[str]
    chart: SafeString | None = None
    fetch: FetchStats | None = None  # issue 14: conditional requests and what they saved

    @property
    def total_articles(self) -> int:
        return sum(self.articles)

    @property
    def total_fetch_failures(self) -> int:
        return sum(self.fetch_failures)

    @property
    def total_extraction_failures(self) -> int:
        return sum(self.extraction_failures)


def day_range(today: date, days: int = DAYS) -> list[date]:
    return [today - timedelta(days=offset) for offset in range(days - 1, -1, -1)]


def _per_day(rows: Iterable[Mapping[str, Any]], days: list[date], key: str) -> dict[int, list[int]]:
    index = {day: position for position, day in enumerate(days)}
    counts: dict[int, list[int]] = {}
    for row in rows:
        if row["day"] in index:
            counts.setdefault(row[key], [0] * len(days))[index[row["day"]]] += row["n"]
    return counts


def alerts(source: Source, last_new: datetime | None, now: datetime) -> list[str]:
    """Why an operator should look at this source now (empty: nothing to do).

    A source younger than its interval has had no fair chance yet (it may not even have run):
    it raises no health alert, whatever its first run did; its figures still show every failure.
    """
    found = []
    if not source.enabled:
        return ["已停用"]
    if not source.review and not source.responsible_editor():  # a setting to fix, whatever the source's age
        found.append("直接发布但没有责任编辑(真实姓名):新文章转入待审核")
    if now - source.created_at < timedelta(minutes=source.interval_minutes):
        return found
    if source.consecutive_failures:
        found.append(f"连续失败 {source.consecutive_failures} 次")
    if source.last_success_at is None:
        found.append("尚未成功运行")
    idle_after = max(timedelta(minutes=source.interval_minutes * IDLE_INTERVALS), timedelta(days=1))
    if source.last_success_at is not None and (last_new is None or now - last_new > idle_after):
        hours = int(idle_after.total_seconds() // 3600)
        found.append(f"闲置:超过 {hours} 小时没有新文章")
    return found


def health(now: datetime | None = None, days: int = DAYS) -> list[SourceHealth]:
    now = now or timezone.now()
    span = day_range(timezone.localdate(now), days)
    since = timezone.make_aware(datetime.combine(span[0], datetime.min.time()))
    tz = timezone.get_current_timezone()
    new = SeenURL.objects.filter(article__isnull=False, first_seen_at__gte=since).annotate(
        day=TruncDate("first_seen_at", tzinfo=tz)).values("source", "day").annotate(n=Count("pk"))
    errors = SourceError.objects.filter(at__gte=since).annotate(day=TruncDate("at", tzinfo=tz))
    fetch = errors.exclude(kind__in=EXTRACTION_KINDS).values("source", "day").annotate(n=Count("pk"))
    extraction = errors.filter(kind__in=EXTRACTION_KINDS).values("source", "day").annotate(n=Count("pk"))
    articles, fetch_days, extraction_days = (_per_day(rows, span, "source") for rows in (new, fetch, extraction))
    last_new = dict(SeenURL.objects.filter(article__isnull=False).values("source").annotate(
        at=Max("first_seen_at")).values_list("source", "at"))
    fetching = per_source(since)
    result = []
    for source in Source.objects.select_related("publisher", "channel", "editor__editor_profile").order_by("name"):
        zero = [0] * len(span)
        item = SourceHealth(source, articles.get(source.pk, zero), fetch_days.get(source.pk, zero),
                            extraction_days.get(source.pk, zero), last_new.get(source.pk),
                            alerts(source, last_new.get(source.pk), now))
        item.fetch = fetching.get(source.pk)
        failures = [a + b for a, b in zip(item.fetch_failures, item.extraction_failures, strict=True)]
        item.chart = bar_chart(span, [Series("新文章", item.articles, "#1f5fa8"), Series("失败", failures, "#c0392b")],
                               f"{source.name} 最近 {days} 天每日新文章与失败次数")
        result.append(item)
    return result
