"""Helpers for tests that run huiwen the way production does: separate processes over loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

HUIWEN = [sys.executable, "-m", "huiwen"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, timeout: float = 10) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            fetch(url, timeout=2)
            return
        except OSError:
            assert time.monotonic() < deadline, f"{url} never answered"
            time.sleep(0.2)


@dataclass
class Stack:
    """An installation in a temporary folder and the processes started for it."""

    env: dict[str, str]
    root: Path
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def huiwen(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*HUIWEN, *args], env=self.env, check=check, capture_output=True, text=True,
                              timeout=300)

    def start(self, command: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(command, env=env or self.env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        self.processes.append(process)
        return process

    def gunicorn(self, port: int, workers: int = 2) -> subprocess.Popen[bytes]:
        process = self.start([sys.executable, "-m", "gunicorn", "huiwen.wsgi", "-b", f"127.0.0.1:{port}",
                              "-w", str(workers), "--timeout", "30"])
        wait(f"http://127.0.0.1:{port}/robots.txt")
        return process


@pytest.fixture
def make_stack(tmp_path) -> Iterator[Callable[..., Stack]]:
    stacks: list[Stack] = []

    def make(**env: str) -> Stack:
        values = {**os.environ, "HUIWEN_DATA_DIR": str(tmp_path / "data"), "HUIWEN_DEBUG": "0",
                  "HUIWEN_ALLOWED_HOSTS": "127.0.0.1", "HUIWEN_LOG_LEVEL": "ERROR", **env}
        if "HUIWEN_DATABASE_URL" not in env:
            values.pop("HUIWEN_DATABASE_URL", None)
        stack = Stack(values, tmp_path)
        stacks.append(stack)
        return stack

    yield make
    for stack in stacks:
        for process in stack.processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # These tests build their own installation (SQLite, Redis, nginx, gunicorn) whatever the suite's
    # database is: they run once, in the SQLite pass, not again when the suite runs on PostgreSQL.
    if not os.environ.get("HUIWEN_DATABASE_URL"):
        return
    skip = pytest.mark.skip(reason="runs once, in the SQLite pass (it starts its own installation)")
    for item in items:
        if "tests/deploy/" in str(item.fspath):
            item.add_marker(skip)
