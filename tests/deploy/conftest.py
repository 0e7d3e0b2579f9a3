"""Helpers for tests that run huiwen the way production does: separate processes over loopback."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import RUN_ONCE

HUIWEN = [sys.executable, "-m", "huiwen"]
TEST_DATABASE = os.environ.get("HUIWEN_TEST_DATABASE_URL", "")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@contextmanager
def postgres_databases(*names: str) -> Iterator[list[str]]:
    """Fresh PostgreSQL databases on the test server (HUIWEN_TEST_DATABASE_URL), one per name and
    this process, as URLs for an installation of their own; dropped afterwards, connections or not."""
    url = urlsplit(TEST_DATABASE)
    env = {**os.environ, "PGPASSWORD": url.password or ""}
    admin = ["psql", "-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "huiwen",
             "-d", url.path.lstrip("/")]
    databases = [f"huiwen_{name}_{os.getpid()}" for name in names]
    for database in databases:
        subprocess.run([*admin, "-c", f"DROP DATABASE IF EXISTS {database}"], env=env, check=True, capture_output=True)
        subprocess.run([*admin, "-c", f"CREATE DATABASE {database}"], env=env, check=True, capture_output=True)
    try:
        yield [url._replace(path=f"/{database}").geturl() for database in databases]
    finally:
        for database in databases:
            subprocess.run([*admin, "-c", f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"], env=env,
                           capture_output=True)


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
        # The configuration huiwen ships (docs/deployment.md), as production runs it.
        process = self.start([sys.executable, "-m", "gunicorn", "-c", "python:huiwen.gunicorn_conf", "huiwen.wsgi",
                              "-b", f"127.0.0.1:{port}", "-w", str(workers), "--timeout", "30"])
        wait(f"http://127.0.0.1:{port}/robots.txt")
        return process

    def nginx(self, web_port: int, app_port: int) -> subprocess.Popen[bytes]:
        """nginx with the configuration `huiwen nginx_config` prints, in front of the app on app_port."""
        server = self.huiwen("nginx_config", "--listen", f"127.0.0.1:{web_port}",
                             "--app", f"127.0.0.1:{app_port}").stdout
        work = self.root / "nginx"
        work.mkdir(exist_ok=True)
        user = "user root;\n" if os.geteuid() == 0 else ""
        conf = work / "nginx.conf"
        conf.write_text(
            f"{user}worker_processes 1;\npid {work}/nginx.pid;\nerror_log {work}/error.log;\n"
            f"events {{ worker_connections 256; }}\nhttp {{\n include /etc/nginx/mime.types;\n access_log off;\n"
            f" client_body_temp_path {work}/body; proxy_temp_path {work}/proxy;\n"
            f" fastcgi_temp_path {work}/fcgi; uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;\n"
            f"{server}\n}}\n"
        )
        process = self.start([NGINX, "-c", str(conf), "-g", "daemon off;"])
        wait(f"http://127.0.0.1:{web_port}/robots.txt")
        return process

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()


def _stack(root: Path, **env: str) -> Stack:
    values = {**os.environ, "HUIWEN_DATA_DIR": str(root / "data"), "HUIWEN_DEBUG": "0",
              "HUIWEN_ALLOWED_HOSTS": "127.0.0.1", "HUIWEN_LOG_LEVEL": "ERROR", **env}
    if "HUIWEN_DATABASE_URL" not in env:
        values.pop("HUIWEN_DATABASE_URL", None)
    return Stack(values, root)


@pytest.fixture
def make_stack(tmp_path) -> Iterator[Callable[..., Stack]]:
    stacks: list[Stack] = []

    def make(**env: str) -> Stack:
        stack = _stack(tmp_path, **env)
        stacks.append(stack)
        return stack

    yield make
    for stack in stacks:
        stack.stop()


@dataclass
class DemoSite:
    """The demo content served as in production: gunicorn (the shipped configuration) and, when
    nginx is installed, nginx in front of it serving the static publisher's files."""

    stack: Stack
    app: str  # gunicorn's base URL
    web: str | None  # nginx's base URL
    articles: list[int]  # visible articles, newest first
    withdrawn: int  # an article withdrawn before publishing: 410 everywhere
    channels: list[str]  # paths of the public channels
    paged_channel: str  # a channel with more than one page of articles


_FACTS = """
import json
from django.conf import settings
from huiwen.newsroom.models import Article, Channel
from huiwen.newsroom import actions
withdrawn = Article.objects.visible().order_by("pk").first()
actions.withdraw([withdrawn], None, "served-site fixture")
visible = list(Article.objects.visible().order_by("-published_at", "-pk").values_list("pk", flat=True))
channels = list(Channel.objects.public().order_by("path"))
size = settings.HUIWEN["PAGE_SIZE"]
paged = [c.path for c in channels if Article.objects.visible().in_channel_tree(c).count() > size]
print(json.dumps({"articles": visible, "withdrawn": withdrawn.pk, "channels": [c.path for c in channels],
                  "paged": paged}))
"""


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Iterator[DemoSite]:
    """One served demo installation for every test of the session that reads the site over a socket."""
    root = tmp_path_factory.mktemp("served")
    stack = _stack(root, HUIWEN_PROXY_ADDRESSES="127.0.0.1", HUIWEN_PAGE_SIZE="8")
    try:
        stack.huiwen("demo", "--no-serve")
        facts = json.loads(stack.huiwen("shell", "--no-imports", "-c", _FACTS).stdout.splitlines()[-1])
        stack.huiwen("publish", "--no-progress")
        app_port = free_port()
        stack.gunicorn(app_port)
        web = None
        if Path(NGINX).exists():
            web_port = free_port()
            stack.nginx(web_port, app_port)
            web = f"http://127.0.0.1:{web_port}"
        yield DemoSite(stack, f"http://127.0.0.1:{app_port}", web, facts["articles"], facts["withdrawn"],
                       facts["channels"], facts["paged"][0])
    finally:
        stack.stop()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # These tests build their own installation (SQLite, Redis, nginx, gunicorn) whatever the suite's
    # database is: they run once, in the SQLite pass, not again when the suite runs on PostgreSQL
    # (but those tests/conftest.py sends to the PostgreSQL pass).
    if not os.environ.get("HUIWEN_DATABASE_URL"):
        return
    skip = pytest.mark.skip(reason="runs once, in the SQLite pass (it starts its own installation)")
    for item in items:
        if "tests/deploy/" in str(item.fspath) and not item.nodeid.startswith(RUN_ONCE):
            item.add_marker(skip)
