"""`huiwen publish --watch`: one long-running publisher that writes each change within seconds.

A timer starting `huiwen publish` every minute pays, for every run, a new process's start (0.8–1.1 s
of imports and template compiling at a million articles) and up to a minute of waiting, so a
saved change reached the static site a minute or more later. The watcher stays up: it runs an
incremental publish, and when that found nothing to do it waits `interval` seconds before the
next. A run that found nothing costs a few queries (the change log since the last run); counting
the stale deep list pages left, 34 ms at a million articles, is done only when a run wrote
something.

Stale deep list pages (list pages past the first few, left for later when a change shifts every
page of a large channel) are refreshed `sweep` at a time between looks at the change log, so a
long sweep never holds a new change back by more than one small batch, and the sweep goes on
without waiting while pages are left. At a million articles, deep pages of many channels are
written at about 60 a second: batches of 250 held an edit back up to 4.5 s (2.3 s at the median),
batches of 100 up to 1.1 s (0.7 s), while 90,000 stale pages were being refreshed
(`bench/publish.py --watch 5`, docs/benchmarks.md).

A failed run (the database restarting, a full disk) is logged and tried again after a pause that
doubles up to a minute; SIGTERM or SIGINT stops the watcher after the run in progress.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from django.db import DatabaseError, connections

from huiwen.publish.static import Report, publish, stale_pages

logger = logging.getLogger(__name__)

WATCH_SWEEP = 100  # stale deep list pages refreshed between two looks at the change log
LONGEST_PAUSE = 60.0  # seconds, after repeated failures


def watch(
    out: str | Path | None = None,
    *,
    interval: float = 1.0,
    traditional: bool = True,
    workers: int = 1,
    sweep: int = WATCH_SWEEP,
    stop: threading.Event | None = None,
    reported: Callable[[Report], None] = lambda report: None,
) -> int:
    """Publish incrementally until `stop` is set; `reported` is called after each run that wrote,
    deleted or swept something. Returns the number of runs."""
    stop = stop or threading.Event()
    runs, pause = 0, interval
    while not stop.is_set():
        _renew_connections()
        try:
            report = publish(out, traditional=traditional, workers=workers, sweep=sweep, count_stale=False)
        except (DatabaseError, OSError):
            logger.exception("publishing failed; trying again in %.0f s", pause)
            stop.wait(pause)
            pause = min(pause * 2, LONGEST_PAUSE)
            continue
        runs, pause = runs + 1, interval
        if report.written or report.deleted:
            report.stale = stale_pages()
        if report.written or report.deleted or report.swept:
            reported(report)
        if not (sweep and report.swept >= sweep):  # no stale pages left to sweep: wait for changes
            stop.wait(interval)
    _renew_connections()
    return runs


def _renew_connections() -> None:
    """What Django does around each request (close_old_connections): a connection the server
    closed, or older than CONN_MAX_AGE, is closed here and opened again by the next query. Not
    inside a transaction (a test's): that would be closing the transaction itself."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()
