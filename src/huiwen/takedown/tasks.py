"""The takedown timers, run by `huiwen worker` every ten minutes."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from huiwen.takedown import service


@db_periodic_task(crontab(minute="*/10"))
def takedown_tick() -> int:
    return len(service.tick())
