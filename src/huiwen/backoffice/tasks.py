"""Scheduled publication on time: the Huey worker (`huiwen worker`) publishes due articles every minute."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task
from huey.exceptions import TaskLockedException

from huiwen.backoffice import health, workflow


@HUEY.on_startup()
def first_beat() -> None:
    """The desk knows a worker runs from the moment it starts, not a minute later."""
    health.beat()


@db_periodic_task(crontab(minute="*"))
def heartbeat() -> None:
    health.beat()


@db_periodic_task(crontab(minute="*"))
def publish_scheduled() -> int:
    try:
        # The lock keeps two workers from walking the same list; each schedule is claimed anyway.
        with HUEY.lock_task("publish-scheduled"):
            return sum(1 for item in workflow.publish_due() if not item.problems)
    except TaskLockedException:
        return 0
