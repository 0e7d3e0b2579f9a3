"""Collection as tasks (Huey): SQLite-backed by default, Redis-backed at scale, same code.

`schedule_due_sources` runs every minute in the worker and queues a run for each due source.
Double work is impossible at two levels: a source run is queued under a lock per source
(Huey's lock_task), and every URL is claimed in the database (SeenURL), so two workers on two
machines never collect the same URL.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task
from huey.exceptions import TaskLockedException

from huiwen.collect.models import Source
from huiwen.collect.pipeline import collect


@db_task()
def collect_source(source_id: int) -> dict[str, int]:
    source = Source.objects.filter(pk=source_id, enabled=True).first()
    if source is None:
        return {}
    try:
        with HUEY.lock_task(f"collect-source-{source_id}"):
            run = collect([source])[0]
    except TaskLockedException:
        return {"already_running": 1}  # another worker is running this source right now
    return {"new": run.new, "updated": run.updated, "failed": run.failed}


@db_periodic_task(crontab(minute="*"))
def schedule_due_sources() -> int:
    due = [source.pk for source in Source.objects.filter(enabled=True) if source.is_due()]
    for pk in due:
        collect_source(pk)
    return len(due)
