"""Collection as tasks (Huey): SQLite-backed by default, Redis-backed at scale, same code.

`schedule_due_sources` runs every minute in the worker and queues a run for each due source.
Double work is impossible because every URL is claimed in the database (SeenURL): two runs of
one source on two machines split its URLs between them. There is deliberately no task lock per
source: a lock held by a worker that was killed would stop that source for good.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from huiwen.collect.models import Source
from huiwen.collect.pipeline import collect


@db_task()
def collect_source(source_id: int) -> dict[str, int]:
    source = Source.objects.filter(pk=source_id, enabled=True).first()
    if source is None:
        return {}
    run = collect([source])[0]
    return {"new": run.new, "updated": run.updated, "failed": run.failed}


@db_periodic_task(crontab(minute="*"))
def schedule_due_sources() -> int:
    """Queue a run of every due source, once: the next run time is claimed when it is queued,
    so a run that lasts longer than a minute is not queued again behind itself."""
    now = timezone.now()
    queued = 0
    for source in Source.objects.filter(enabled=True):
        if not source.is_due(now):
            continue
        claimed = Source.objects.filter(pk=source.pk, next_run_at=source.next_run_at).update(
            next_run_at=now + timedelta(minutes=source.interval_minutes))
        if claimed:
            collect_source(source.pk)
            queued += 1
    return queued
