"""Counts of processes that exit are kept (folded into one archive file), not lost and not piling up."""

from __future__ import annotations

import os
import subprocess
import sys

from prometheus_client import CollectorRegistry, generate_latest, multiprocess
from prometheus_client.parser import text_string_to_metric_families

from huiwen.ops import metrics

COUNT = """
import os, sys
os.environ["PROMETHEUS_MULTIPROC_DIR"] = sys.argv[1]
from prometheus_client import Counter, Histogram
Counter("t_pages", "pages", ["result"]).labels("hit").inc(int(sys.argv[2]))
Histogram("t_seconds", "latency", buckets=(0.1, 1.0)).observe(0.5)
print(os.getpid())
"""


def _run(folder, amount: int) -> int:
    out = subprocess.run([sys.executable, "-c", COUNT, str(folder), str(amount)], capture_output=True, text=True,
                         check=True)
    return int(out.stdout)


def _scrape(folder) -> dict[tuple[str, str], float]:
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=str(folder))
    found = {}
    for family in text_string_to_metric_families(generate_latest(registry).decode()):
        for sample in family.samples:
            found[sample.name, sample.labels.get("le", "")] = sample.value
    return found


def test_dead_processes_are_folded_into_the_archive(tmp_path):
    pids = [_run(tmp_path, amount) for amount in (3, 4, 5)]
    before = _scrape(tmp_path)
    assert before["t_pages_total", ""] == 12 and before["t_seconds_bucket", "1.0"] == 3
    for pid in pids[:2]:
        metrics.fold_dead_process(pid, tmp_path)
    assert sorted(path.name for path in tmp_path.glob("*.db")) == sorted(
        ["counter_archive.db", "histogram_archive.db", f"counter_{pids[2]}.db", f"histogram_{pids[2]}.db"])
    assert _scrape(tmp_path) == before  # nothing lost, nothing counted twice
    metrics.fold_dead_process(pids[2], tmp_path)
    metrics.fold_dead_process(pids[2], tmp_path)  # a second call for the same process changes nothing
    assert _scrape(tmp_path) == before
    assert sorted(path.name for path in tmp_path.glob("*.db")) == ["counter_archive.db", "histogram_archive.db"]
    metrics.clear(tmp_path)
    assert list(tmp_path.glob("*.db")) == []


def test_this_process_counts_into_the_data_folder(settings):
    assert os.environ["PROMETHEUS_MULTIPROC_DIR"] == str(metrics.directory())
    assert metrics.directory().is_dir()
