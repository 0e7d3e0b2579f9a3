"""The workers' heartbeat: a periodic task whose last run tells how far behind the queue is."""

from __future__ import annotations

import os
import socket

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from huiwen.ops.models import Heartbeat

QUEUE = "queue"


@db_periodic_task(crontab(minute="*"))
def heartbeat() -> None:
    """Queued every minute by the consumer's scheduler; it runs only after every task queued before
    it, so `now - at` grows when the workers fall behind or stop."""
    Heartbeat.objects.update_or_create(
        name=QUEUE, defaults={"at": timezone.now(), "worker": f"{socket.gethostname()}:{os.getpid()}"})
