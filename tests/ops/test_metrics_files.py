"""Counts of processes that exit are kept (folded into one archive file), not lost and not piling up."""

from __future__ import annotations

import os
import subprocess
import sys

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from huiwen.ops import metrics

COUNT = """
import os, sys
os.environ["PROMETHEUS_MULTIPROC_DIR"] = sys.argv[1]
from prometheus_client import Counter, Histogram
pages = Counter("t_pages", "pages", ["result"])
pages.labels("hit").inc(int(sys.argv[2]))
Histogram("t_seconds", "latency", buckets=(0.1, 1.0)).observe(0.5)
if len(sys.argv) > 3:  # a label set, and a whole family, that only this process counts
    pages.labels("miss").inc()
    Counter("t_feeds", "feeds").inc(7)
print(os.getpid())
"""


def _run(folder, amount: int, *extra: str) -> int:
    out = subprocess.run([sys.executable, "-c", COUNT, str(folder), str(amount), *extra], capture_output=True,
                         text=True, check=True)
    return int(out.stdout)


def _scrape(folder) -> dict[tuple[str, str], float]:
    """What a scrape shows, parsed as Prometheus parses it (a family twice would be an error)."""
    registry = CollectorRegistry()
    registry.register(metrics.CountedCollector(folder))
    found = {}
    for family in text_string_to_metric_families(generate_latest(registry).decode()):
        for sample in family.samples:
            key = (sample.name, sample.labels.get("le", "") or sample.labels.get("result", ""))
            assert key not in found
            found[key] = sample.value
    return found


def test_dead_processes_are_folded_into_the_archive(tmp_path):
    pids = [_run(tmp_path, 3, "more"), _run(tmp_path, 4), _run(tmp_path, 5)]
    before = _scrape(tmp_path)
    assert before["t_pages_total", "hit"] == 12 and before["t_pages_total", "miss"] == 1
    assert before["t_feeds_total", ""] == 7
    assert before["t_seconds_bucket", "0.1"] == 0 and before["t_seconds_bucket", "1.0"] == 3
    assert before["t_seconds_count", ""] == 3 and before["t_seconds_sum", ""] == 1.5
    for pid in pids[:2]:  # the only process that counted "miss" and t_feeds is folded
        metrics.fold_dead_process(pid, tmp_path)
    assert sorted(path.name for path in tmp_path.glob("*.db")) == [f"counter_{pids[2]}.db", f"histogram_{pids[2]}.db"]
    assert (tmp_path / "archive.json").is_file()
    assert _scrape(tmp_path) == before  # nothing lost, nothing counted twice
    metrics.fold_dead_process(pids[2], tmp_path)
    metrics.fold_dead_process(pids[2], tmp_path)  # a second call for the same process changes nothing
    assert _scrape(tmp_path) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["archive.json"]
    pid = _run(tmp_path, 2)  # a new worker counts on top of the archive
    assert _scrape(tmp_path)["t_pages_total", "hit"] == 14
    metrics.fold_dead_process(pid, tmp_path)
    assert _scrape(tmp_path)["t_pages_total", "hit"] == 14
    metrics.clear(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_this_process_counts_into_the_data_folder(settings):
    assert os.environ["PROMETHEUS_MULTIPROC_DIR"] == str(metrics.directory())
    assert metrics.directory().is_dir()
