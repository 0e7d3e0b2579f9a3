"""Per-host politeness across processes: two workers never hit one host faster than its interval."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
import time

import pytest

from huiwen.collect import throttle
from huiwen.collect.fetch import Throttle

REDIS_URL = os.environ.get("HUIWEN_TEST_REDIS_URL", "")

RESERVE_MANY = """
import sys, time
from huiwen.collect.throttle import RedisThrottle
clock = RedisThrottle(sys.argv[1])
host = sys.argv[2]
for _ in range(int(sys.argv[3])):
    clock.wait(host, float(sys.argv[4]))
    print(time.time(), flush=True)
"""


def test_one_clock_for_the_whole_process(settings):
    settings.REDIS_URL = ""
    throttle._shared = None
    try:
        first, second = throttle.shared(), throttle.shared()
        assert first is second and isinstance(first, Throttle)
    finally:
        throttle._shared = None


@pytest.mark.redis
@pytest.mark.skipif(not REDIS_URL or not shutil.which("redis-server"), reason="needs HUIWEN_TEST_REDIS_URL")
def test_processes_share_one_host_clock_through_redis():
    host = f"polite-{os.getpid()}-{time.time_ns()}.example"
    interval, each = 0.15, 8
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "huiwen.settings"}
    runs = [subprocess.Popen([sys.executable, "-c", RESERVE_MANY, REDIS_URL, host, str(each), str(interval)],
                             env=env, stdout=subprocess.PIPE, text=True) for _ in range(3)]
    stamps = sorted(float(line) for run in runs for line in run.communicate(timeout=60)[0].split())
    assert len(stamps) == 3 * each
    gaps = [later - earlier for earlier, later in itertools.pairwise(stamps)]
    # Three processes, one host: together they took at least one interval per request (each process
    # alone would have allowed three requests per interval). Single gaps also show when a process was
    # woken late on a busy machine, so they are held only to half an interval.
    assert stamps[-1] - stamps[0] >= (3 * each - 1) * interval - 0.02
    assert min(gaps) >= interval / 2, gaps


def test_redis_unreachable_falls_back_to_the_process_clock():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    slept: list[float] = []
    clock = throttle.RedisThrottle(f"redis://127.0.0.1:{port}/0", sleep=slept.append)
    assert clock.wait("a.example", 0.5) == 0.0
    assert clock.wait("a.example", 0.5) > 0.4 and slept and slept[-1] > 0.4
