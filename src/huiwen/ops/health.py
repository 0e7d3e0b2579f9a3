"""Liveness and readiness, as load balancers ask for them.

/healthz answers 200 as long as the process can answer at all: it reads nothing, so a database
outage does not make a supervisor restart healthy web processes. /readyz runs the checks below,
each bounded in time, and answers 200 when all pass, 503 otherwise, with a JSON body naming each
check (details only for clients allowed to read /metrics: error messages can name hosts).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connections
from django.utils import timezone

from huiwen.newsroom import rows

REDIS_TIMEOUT = 0.5  # seconds; a probe must answer well inside a load balancer's own timeout


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str = ""
    value: float | None = None  # the measured quantity, when there is one (seconds, MB, tasks)
    ms: float = 0.0


def _timed(name: str, probe: Callable[[], tuple[bool, str, float | None]]) -> Check:
    started = time.perf_counter()
    try:
        ok, detail, value = probe()
    except Exception as error:  # any failure of a dependency is "not ready", never a 500
        ok, detail, value = False, f"{type(error).__name__}: {error}".strip()[:300], None
    return Check(name, ok, detail, value, round((time.perf_counter() - started) * 1000, 2))


def _database(alias: str) -> Callable[[], tuple[bool, str, float | None]]:
    def probe() -> tuple[bool, str, float | None]:
        connection = connections[alias]
        try:
            rows.ping(alias)
        except Exception:
            connection.close()  # the next request opens a fresh connection
            raise
        return True, connection.vendor, None

    return probe


def _redis() -> tuple[bool, str, float | None]:
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=REDIS_TIMEOUT,
                                  socket_connect_timeout=REDIS_TIMEOUT)
    try:
        client.ping()
    finally:
        client.close()
    return True, "", None


def queue_depth() -> int:
    from huey.contrib.djhuey import HUEY

    return int(HUEY.pending_count())


def heartbeat_age() -> float | None:
    """Seconds since any worker's heartbeat last ran; None if none ever did.

    The heartbeat (backoffice.tasks.heartbeat, the one the desk reads too) is a periodic task: the
    consumer's scheduler queues it once a minute behind whatever waits, so when the workers fall
    behind or stop, its age grows past the minute by the queue's lag.
    """
    from django.db.models import Max

    from huiwen.backoffice.models import WorkerBeat

    at = WorkerBeat.objects.aggregate(last=Max("beat_at"))["last"]
    return None if at is None else max(0.0, (timezone.now() - at).total_seconds())


def _queue() -> tuple[bool, str, float | None]:
    depth = queue_depth()
    age = heartbeat_age()
    limit: int = settings.OPS["READY_MAX_QUEUE_LAG"]
    if age is None:
        return True, f"{depth} waiting; no worker heartbeat yet", None
    late = bool(limit) and age > limit
    return not late, f"{depth} waiting; last heartbeat {age:.0f} s ago" + (f" (limit {limit} s)" if late else ""), age


def free_megabytes() -> float:
    return shutil.disk_usage(settings.DATA_DIR).free / 1e6


def _disk() -> tuple[bool, str, float | None]:
    free = free_megabytes()
    least: int = settings.OPS["READY_MIN_FREE_MB"]
    return free >= least, f"{free:.0f} MB free in {settings.DATA_DIR} (at least {least} MB)", free


def readiness() -> list[Check]:
    checks = [_timed(f"database:{alias}" if alias != "default" else "database", _database(alias))
              for alias in settings.DATABASES]
    if settings.REDIS_URL:
        checks.append(_timed("redis", _redis))
    checks.append(_timed("queue", _queue))
    checks.append(_timed("disk", _disk))
    return checks
