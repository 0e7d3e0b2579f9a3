"""`huiwen demo` runs the task worker beside the site (issue 15): its heartbeat reaches the database,
the site answers, and stopping the demo stops the worker too. A real process tree on a free port."""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its parent) counts as gone.
    status = Path(f"/proc/{pid}/stat")
    return status.exists() and status.read_text().split(")")[-1].split()[0] != "Z"


@pytest.mark.skipif(bool(os.environ.get("HUIWEN_DATABASE_URL")),
                    reason="the demo's embedded default (SQLite) is what this checks; the SQLite pass runs it")
def test_demo_serves_and_runs_the_worker(tmp_path):
    port = free_port()
    env = {**os.environ, "HUIWEN_DATA_DIR": str(tmp_path), "HUIWEN_LOG_LEVEL": "ERROR"}
    env.pop("HUIWEN_DATABASE_URL", None)  # this test reads the demo's own SQLite file
    env.pop("HUIWEN_REDIS_URL", None)
    demo = subprocess.Popen([sys.executable, "-m", "huiwen", "demo", "--addr", f"127.0.0.1:{port}", "--workers", "1"],
                            env=env, stdout=subprocess.PIPE, stderr=(tmp_path / "stderr.txt").open("w"), text=True,
                            start_new_session=True)
    lines: queue.Queue[str] = queue.Queue()
    # Read in a thread: a missing line must fail the test at its deadline, not block it forever.
    threading.Thread(target=lambda: [lines.put(line) for line in demo.stdout], daemon=True).start()  # type: ignore[union-attr]
    worker_pid = None
    said: list[str] = []
    try:
        deadline = time.monotonic() + 240  # migrating a fresh database on a busy 2-core machine takes a while
        while worker_pid is None:
            try:
                line = lines.get(timeout=max(deadline - time.monotonic(), 0.1))
            except queue.Empty:
                raise AssertionError(f"the demo did not say it started a worker; it said {said}") from None
            said.append(line)
            found = re.search(r"任务 worker 已启动\(进程 (\d+)\)", line)
            worker_pid = int(found.group(1)) if found else None
        beats: list[tuple[str]] = []
        while not beats:
            assert time.monotonic() < deadline, "no heartbeat from the demo's worker"
            time.sleep(0.5)
            try:
                with sqlite3.connect(Path(tmp_path) / "huiwen.sqlite3") as database:
                    beats = list(database.execute("SELECT worker FROM backoffice_workerbeat"))
            except sqlite3.OperationalError:
                beats = []  # the worker is still migrating or starting
        assert beats[0][0].endswith(f":{worker_pid}")
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    assert response.status == 200
                break
            except OSError:
                assert time.monotonic() < deadline, "the demo's site did not answer"
                time.sleep(0.5)
    finally:
        demo.send_signal(signal.SIGINT)
        try:
            demo.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(demo.pid, signal.SIGKILL)
            demo.wait()
    if worker_pid is not None:
        stop = time.monotonic() + 30
        while _alive(worker_pid) and time.monotonic() < stop:
            time.sleep(0.2)
        assert not _alive(worker_pid), "the worker outlived the demo"
