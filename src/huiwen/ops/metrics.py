"""Prometheus metrics: counted in every web process, summed at scrape; state read at scrape.

Two kinds of figures:

- *counted* in the web processes as requests pass (latency per view, page-cache results).
  gunicorn runs several processes and a scrape reaches one of them, so prometheus-client's
  multiprocess mode keeps each process's counts in a small memory-mapped file under
  `$HUIWEN_DATA_DIR/metrics/` and the scrape sums them. When gunicorn replaces a worker (it
  exited, or reached max_requests), the gunicorn configuration folds the dead worker's files into
  one archive (`fold_dead_process`), so counts survive and files do not pile up. The fold reads
  the files through the library's public `MultiProcessCollector.merge` and keeps the sums in a
  JSON file of our own (`archive.json`), which the scrape adds to the live processes' sums.
- *read at scrape* from the database and the queue (collector counters per source, queue depth
  and lag, takedown timers, free disk): the same answer whichever process or machine is asked.
"""

from __future__ import annotations

import glob
import json
import logging
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from huiwen.config import value


def directory() -> Path:
    """Always the data folder's: a variable inherited from another installation's process (a test
    harness, `huiwen demo` started from a shell that ran one) must not send counts elsewhere."""
    return Path(value("HUIWEN_DATA_DIR")).resolve() / "metrics"


# prometheus-client chooses its storage when it is first imported: the folder must be named before.
os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(directory())
directory().mkdir(parents=True, exist_ok=True)

from prometheus_client import (  # noqa: E402
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric  # noqa: E402
from prometheus_client.registry import Collector  # noqa: E402

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django.urls import ResolverMatch

log = logging.getLogger(__name__)

REQUEST_SECONDS = Histogram(
    "huiwen_request_duration_seconds", "Time from the first middleware to the response, by view and status class.",
    ["view", "status"], buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
PAGE_CACHE = Counter(
    "huiwen_page_cache_requests", "Cacheable reader pages by page-cache result: hit, or miss (rendered "
    "and stored). Hit ratio: hit / (hit + miss).", ["result"],
)
CONTENT_TYPE = CONTENT_TYPE_LATEST
ARCHIVE = "archive.json"  # the summed counts of dead processes; not *.db, which the library reads itself
FOLDED_KINDS = ("counter", "histogram", "summary")

# One sample of a counted family: (family name, family type, sample name, labels as sorted pairs).
SampleKey = tuple[str, str, str, tuple[tuple[str, str], ...]]


def fold_dead_process(pid: int, folder: Path | None = None) -> None:
    """Add a dead process's counts into the archive and remove its files.

    Run by one process at a time (gunicorn's master, in child_exit), so the archive has a single
    writer; live processes only ever write their own files. Gauges are not kept: a dead process's
    gauges describe a process that is gone (mark_process_dead removes its live gauges' files).
    Counters and histograms are folded in their accumulated form (cumulative buckets, _count, _sum):
    every one of those is a sum over processes, so archive + live processes = the whole.
    """
    folder = folder or directory()
    multiprocess.mark_process_dead(pid, str(folder))
    dead = [path for path in (folder / f"{kind}_{pid}.db" for kind in FOLDED_KINDS) if path.exists()]
    if not dead:
        return
    totals, documentation = _read_archive(folder)
    for family in multiprocess.MultiProcessCollector.merge([str(path) for path in dead], accumulate=True):
        documentation[family.name] = family.documentation
        for sample in family.samples:
            key = (family.name, family.type, sample.name, tuple(sorted(sample.labels.items())))
            totals[key] = totals.get(key, 0.0) + sample.value
    _write_archive(folder, totals, documentation)
    for path in dead:
        path.unlink()


def _read_archive(folder: Path) -> tuple[dict[SampleKey, float], dict[str, str]]:
    """The archive's sums and its families' help texts (empty before the first fold)."""
    try:
        stored = json.loads((folder / ARCHIVE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}, {}
    totals = {(row[0], row[1], row[2], tuple((k, v) for k, v in row[3])): float(row[4]) for row in stored["samples"]}
    return totals, dict(stored["documentation"])


def _write_archive(folder: Path, totals: Mapping[SampleKey, float], documentation: Mapping[str, str]) -> None:
    """Written whole to a temporary file and renamed over the old one: a scrape reading the archive
    while the master folds sees the old sums or the new, never half a file."""
    data = {"samples": [[*key[:3], [list(pair) for pair in key[3]], value] for key, value in totals.items()],
            "documentation": dict(documentation)}
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".archive-", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False)
    os.replace(temporary, folder / ARCHIVE)


class CountedCollector(Collector):
    """The live processes' files summed by the library, plus the archive of dead processes."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def collect(self) -> Iterator[Metric]:
        totals, documentation = _read_archive(self.folder)
        archived: dict[str, dict[SampleKey, float]] = {}
        for key, amount in totals.items():
            archived.setdefault(key[0], {})[key] = amount
        for family in multiprocess.MultiProcessCollector.merge(glob.glob(str(self.folder / "*.db")), accumulate=True):
            rows = archived.pop(family.name, {})
            if rows and family.type in FOLDED_KINDS:
                samples, family.samples = family.samples, []
                for sample in samples:
                    key = (family.name, family.type, sample.name, tuple(sorted(sample.labels.items())))
                    family.add_sample(sample.name, sample.labels, sample.value + rows.pop(key, 0.0))
                for key, amount in rows.items():  # label sets only dead processes saw
                    family.add_sample(key[2], dict(key[3]), amount)
            yield family
        for name, rows in archived.items():  # families no live process has counted into yet
            family = Metric(name, documentation.get(name, ""), next(iter(rows))[1])
            for key, amount in rows.items():
                family.add_sample(key[2], dict(key[3]), amount)
            yield family


def clear(folder: Path | None = None) -> None:
    """Start counting afresh (a new gunicorn master): Prometheus sees a counter reset, as designed."""
    folder = folder or directory()
    for path in [*glob.glob(str(folder / "*.db")), str(folder / ARCHIVE)]:
        if os.path.exists(path):
            os.unlink(path)


def view_label(request: HttpRequest) -> str:
    match: ResolverMatch | None = getattr(request, "resolver_match", None)
    if match is None:
        return "(none)"  # answered before URL resolution: a page-cache hit, a redirect, a 404
    return match.view_name or _dotted_path(match.func)


def _dotted_path(view: Any) -> str:
    """An unnamed route's view as Django names it in a ResolverMatch ("module.name"; a class-based
    view by its class), from the documented `func` and `view_class`."""
    view = getattr(view, "view_class", view)
    if not hasattr(view, "__name__"):  # an instance used as a view
        view = type(view)
    return f"{view.__module__}.{view.__name__}"


def observe(request: HttpRequest, status: int, seconds: float, cache_result: str | None) -> None:
    view = "(page cache)" if cache_result == "hit" else view_label(request)
    REQUEST_SECONDS.labels(view, f"{status // 100}xx").observe(seconds)
    if cache_result is not None:
        PAGE_CACHE.labels(cache_result).inc()


class StateCollector(Collector):
    """Figures read from the database and the queue at each scrape; a part that fails is reported
    in huiwen_metrics_errors instead of failing the scrape."""

    def collect(self) -> Iterator[Metric]:
        errors = GaugeMetricFamily("huiwen_metrics_errors", "Parts of the state that could not be read at this scrape.",
                                   labels=["part"])
        for part, reader in (("queue", _queue), ("collector", _collector), ("takedown", _takedown), ("disk", _disk),
                             ("search", _search)):
            try:
                yield from list(reader())
            except Exception:
                log.warning("metrics: could not read %s", part, exc_info=True)
                errors.add_metric([part], 1)
        yield errors


def _queue() -> Iterator[Metric]:
    from huiwen.ops.health import heartbeat_age, queue_depth

    yield GaugeMetricFamily("huiwen_task_queue_depth", "Tasks waiting in the queue.", value=queue_depth())
    age = heartbeat_age()
    if age is not None:
        yield GaugeMetricFamily("huiwen_task_queue_heartbeat_age_seconds",
                                "Seconds since the workers' once-a-minute heartbeat task ran (it waits behind "
                                "every queued task: above 60, the queue lags by the difference).", value=age)


def _collector() -> Iterator[Metric]:
    from django.db.models import Count, Sum

    from huiwen.collect.models import SeenURL, Source, SourceRun

    names = dict(Source.objects.values_list("pk", "name"))
    pages = CounterMetricFamily("huiwen_collector_pages", "Pages handled by the collector, per source and outcome.",
                                labels=["source", "outcome"])
    runs = CounterMetricFamily("huiwen_collector_runs", "Collector runs per source and result.",
                               labels=["source", "result"])
    outcomes = ("discovered", "fetched", "new", "updated", "unchanged", "skipped_robots", "skipped", "failed")
    totals = SourceRun.objects.values("source_id", "ok").annotate(
        runs=Count("pk"), **{outcome: Sum(outcome) for outcome in outcomes})
    per_source: dict[int, dict[str, int]] = {}
    for row in totals:
        name = names.get(row["source_id"], str(row["source_id"]))
        runs.add_metric([name, "ok" if row["ok"] else "failed"], row["runs"])
        sums = per_source.setdefault(row["source_id"], dict.fromkeys(outcomes, 0))
        for outcome in outcomes:
            sums[outcome] += _total(row, outcome)
    for source_id, sums in per_source.items():
        for outcome, amount in sums.items():
            pages.add_metric([names.get(source_id, str(source_id)), outcome], amount)
    yield pages
    yield runs
    failures = GaugeMetricFamily("huiwen_collector_consecutive_failures", "Failed runs in a row, per source.",
                                 labels=["source"])
    success = GaugeMetricFamily("huiwen_collector_last_success_timestamp_seconds",
                                "When each source last ran successfully (Unix time).", labels=["source"])
    for name, failed, last in Source.objects.filter(enabled=True).values_list(
            "name", "consecutive_failures", "last_success_at"):
        failures.add_metric([name], failed)
        if last is not None:
            success.add_metric([name], last.timestamp())
    yield failures
    yield success
    backlog = GaugeMetricFamily("huiwen_collector_urls", "Discovered URLs waiting, being fetched, or failed.",
                                labels=["state"])
    waiting = (SeenURL.State.DISCOVERED, SeenURL.State.CLAIMED, SeenURL.State.FAILED)
    counts = dict(SeenURL.objects.filter(state__in=waiting).values_list("state").annotate(n=Count("pk")))
    for state in waiting:
        backlog.add_metric([state], counts.get(state, 0))
    yield backlog


def _total(row: Mapping[str, Any], name: str) -> int:
    """A sum in a row of values(): named at run time, so not among the row's typed keys."""
    amount: int | None = row[name]
    return amount or 0


def _takedown() -> Iterator[Metric]:
    from django.db.models import Count, Min
    from django.utils import timezone

    from huiwen.takedown.models import Notice

    now = timezone.now()
    notices = GaugeMetricFamily("huiwen_takedown_notices", "Takedown notices per state.", labels=["status"])
    counts = dict(Notice.objects.values_list("status").annotate(n=Count("pk")))
    for status in Notice.Status.values:
        notices.add_metric([status], counts.get(status, 0))
    yield notices
    oldest = Notice.objects.filter(status=Notice.Status.RECEIVED).aggregate(at=Min("created_at"))["at"]
    yield GaugeMetricFamily("huiwen_takedown_oldest_unhandled_seconds",
                            "Age of the oldest notice nobody has acted on yet (0 when none waits).",
                            value=(now - oldest).total_seconds() if oldest else 0.0)
    waiting = Notice.objects.filter(status=Notice.Status.COUNTER_NOTICED, restore_due_at__isnull=False)
    due = waiting.aggregate(at=Min("restore_due_at"))["at"]
    if due is not None:
        yield GaugeMetricFamily("huiwen_takedown_next_restoration_seconds",
                                "Seconds until the next restoration after a counter-notice falls due "
                                "(negative: overdue).", value=(due - now).total_seconds())
    yield GaugeMetricFamily("huiwen_takedown_restorations_overdue",
                            "Counter-noticed works whose waiting period has passed but are not restored yet "
                            "(above 0 for long: `huiwen takedown tick` is not running).",
                            value=waiting.filter(restore_due_at__lt=now).count())


def _search() -> Iterator[Metric]:
    from huiwen.search.backends import get_backend

    backlog = get_backend().engine_backlog()
    if backlog is not None:
        yield GaugeMetricFamily("huiwen_search_engine_backlog",
                                "Index changes the search page's ranking engine (tantivy, beside SQLite) has not "
                                "applied yet; above 2,000 the page ranks with FTS5 (`huiwen search_index --engine`).",
                                value=backlog)


def _disk() -> Iterator[Metric]:
    from huiwen.ops.health import free_megabytes

    yield GaugeMetricFamily("huiwen_data_dir_free_bytes", "Free space on the data folder's file system.",
                            value=free_megabytes() * 1e6)


def exposition() -> bytes:
    registry = CollectorRegistry()
    registry.register(CountedCollector(directory()))
    registry.register(StateCollector())
    return generate_latest(registry)
