"""The takedown timers, run by `huiwen worker`."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from huiwen.takedown import service, uploads, withdrawal


@db_periodic_task(crontab(minute="*/10"))
def takedown_tick() -> int:
    return len(service.tick())


@db_periodic_task(crontab(minute="*"))
def takedown_upkeep() -> int:
    """Every minute: search and 相关阅读 after bulk withdrawals, and expired staged evidence removed."""
    uploads.expire()
    return withdrawal.upkeep()
