"""What the desk warns about at the top of every page: work that should have happened and did not.

Scheduled publication needs the task queue's worker (`huiwen worker`, which `huiwen demo` starts
too). Each worker process writes a heartbeat (`WorkerBeat`) when it starts and every minute; no
beat for a few minutes means nothing is publishing on schedule, and the desk says so, together
with schedules whose time has passed and schedules that failed.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone

from huiwen.backoffice.models import ScheduledPublication, WorkerBeat
from huiwen.newsroom.models import Article

BEAT_EVERY = timedelta(minutes=1)
# A beat older than this means no worker: three missed beats, not one late one.
WORKER_MISSING_AFTER = 3 * BEAT_EVERY
# A schedule is overdue when the once-a-minute task should have published it by now.
OVERDUE_AFTER = 2 * BEAT_EVERY
FAILURES_SHOWN_FOR = timedelta(days=7)


def beat(now: datetime | None = None) -> WorkerBeat:
    """Record that this worker process is alive."""
    now = now or timezone.now()
    name = f"{socket.gethostname()}:{os.getpid()}"
    found, created = WorkerBeat.objects.get_or_create(worker=name, defaults={"started_at": now, "beat_at": now})
    if not created:
        WorkerBeat.objects.filter(pk=found.pk).update(beat_at=now)
    return found


@dataclass(frozen=True)
class Warning:
    kind: str  # "worker", "overdue", "failed": a CSS class and a test hook
    text: str
    link: str = ""  # a tab of the queue to look at, when there is one


def warnings(now: datetime | None = None) -> list[Warning]:
    """Two small queries: the last beat; overdue schedules and failed ones of articles still waiting."""
    now = now or timezone.now()
    found = []
    last = WorkerBeat.objects.aggregate(last=Max("beat_at"))["last"]
    if last is None or now - last > WORKER_MISSING_AFTER:
        since = "从未收到心跳" if last is None else f"最近心跳 {timezone.localtime(last):%Y-%m-%d %H:%M}"
        found.append(Warning("worker", f"没有在运行的 worker({since}):定时发布、定时采集和侵权计时都不会执行。"
                                       "请在服务器上运行 huiwen worker。"))
    state = ScheduledPublication.State
    rescheduled = ScheduledPublication.objects.filter(article=OuterRef("article"), state=state.WAITING)
    counts = ScheduledPublication.objects.aggregate(
        overdue=Count("pk", filter=Q(state=state.WAITING, at__lt=now - OVERDUE_AFTER)),
        # A failure still matters while its article waits unpublished and nothing was rescheduled.
        failed=Count("article", distinct=True, filter=Q(
            state=state.FAILED, at__gte=now - FAILURES_SHOWN_FOR, article__status=Article.Status.PENDING,
        ) & ~Q(Exists(rescheduled))),
    )
    if counts["overdue"]:
        found.append(Warning("overdue", f"{counts['overdue']} 篇定时发布已过时间仍未发布。", "?tab=scheduled"))
    if counts["failed"]:
        found.append(Warning("failed", f"{counts['failed']} 篇定时发布未能发布:请在文章页查看原因,处理后重新安排。",
                             "?tab=pending"))
    return found
