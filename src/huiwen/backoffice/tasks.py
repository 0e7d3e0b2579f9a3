"""Scheduled publication on time: the Huey worker (`huiwen worker`) publishes due articles every minute."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task
from huey.exceptions import TaskLockedException

from huiwen.backoffice import workflow


@db_periodic_task(crontab(minute="*"))
def publish_scheduled() -> int:
    try:
        # The lock keeps two workers from walking the same list; each schedule is claimed anyway.
        with HUEY.lock_task("publish-scheduled"):
            return sum(1 for item in workflow.publish_due() if not item.problems)
    except TaskLockedException:
        return 0
