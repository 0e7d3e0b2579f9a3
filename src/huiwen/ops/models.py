"""What operations keep in the database: the workers' heartbeat."""

from __future__ import annotations

from django.db import models


class Heartbeat(models.Model):
    """When a periodic task last ran. The worker's heartbeat task is queued once a minute behind
    whatever waits in the task queue, so the age of its last run is the queue's lag."""

    name = models.CharField(max_length=50, primary_key=True)
    at = models.DateTimeField()
    worker = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = "心跳"
        verbose_name_plural = "心跳"

    def __str__(self) -> str:
        return f"{self.name} at {self.at:%Y-%m-%d %H:%M:%S}"
