"""Faults, for real: PostgreSQL restarted under a serving site, Redis unreachable, a worker killed."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import lxml.html
import pytest

from tests.collect.conftest import rss, serve_stories
from tests.deploy.conftest import HUIWEN, TEST_DATABASE, fetch, free_port, postgres_databases, wait
from tests.sites.news import STORIES
from tests.sites.server import FixtureSite

REDIS_SERVER = shutil.which("redis-server")


def _article_path(base: str) -> str:
    home = lxml.html.fromstring(fetch(base + "/")[2])
    return next(href for href in home.xpath("//a/@href") if href.startswith("/a/"))


@pytest.mark.postgres
@pytest.mark.skipif(not TEST_DATABASE or not shutil.which("pg_ctlcluster") or os.geteuid() != 0,
                    reason="needs the local PostgreSQL cluster that .ci/run starts, and root to restart it")
@pytest.mark.skipif(bool(os.environ.get("HUIWEN_DATABASE_URL")),
                    reason="the suite itself is running on PostgreSQL: restarting it would break the run")
def test_postgresql_restart_fails_cleanly_and_recovers_without_restarting_the_app(make_stack):
    with postgres_databases("faults") as (database,):
        _restart_drill(make_stack, database)


def _restart_drill(make_stack, database: str) -> None:
    stack = make_stack(HUIWEN_DATABASE_URL=database, HUIWEN_PAGE_CACHE="0")
    stack.huiwen("demo", "--no-serve")
    port = free_port()
    stack.gunicorn(port)
    base = f"http://127.0.0.1:{port}"
    article = _article_path(base)
    assert fetch(base + article)[0] == 200

    subprocess.run(["pg_ctlcluster", "15", "main", "stop", "-m", "fast"], check=True)
    try:
        status, _, body = fetch(base + article)
        assert status == 500
        page = lxml.html.fromstring(body)
        assert page.xpath("string(//h1)") == "服务暂时不可用" and "Traceback" not in body.decode()
    finally:
        subprocess.run(["pg_ctlcluster", "15", "main", "start"], check=True)
    deadline = time.monotonic() + 30
    while fetch(base + article)[0] != 200:
        assert time.monotonic() < deadline, "the app did not recover after PostgreSQL came back"
        time.sleep(0.5)
    assert all(fetch(base + path)[0] == 200 for path in ("/", article, "/feed/rss.xml"))


@pytest.mark.redis
@pytest.mark.skipif(not REDIS_SERVER, reason="redis-server is not installed (make test installs it)")
def test_redis_unreachable_pages_keep_serving_and_nothing_stale_afterwards(make_stack, tmp_path):
    redis_port = free_port()
    stack = make_stack(HUIWEN_REDIS_URL=f"redis://127.0.0.1:{redis_port}/0")
    stack.start([REDIS_SERVER, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
                 "--dir", str(tmp_path)])
    stack.huiwen("demo", "--no-serve")
    port = free_port()
    stack.gunicorn(port, workers=1)
    base = f"http://127.0.0.1:{port}"
    article = _article_path(base)
    fetch(base + article)
    assert fetch(base + article)[1].get("X-Huiwen-Cache") == "hit"

    # Redis stops answering (its data kept): pages are still served, rendered afresh.
    cli = ["redis-cli", "-p", str(redis_port)]
    subprocess.run([*cli, "CLIENT", "PAUSE", "6000", "ALL"], check=True, capture_output=True)
    status, headers, _ = fetch(base + article)
    assert status == 200 and "X-Huiwen-Cache" not in headers
    # An article withdrawn while the cache cannot be told: its old cached page must never return.
    pk = article.removeprefix("/a/").removesuffix(".html")
    stack.huiwen("shell", "-c", "from huiwen.newsroom.models import Article; from huiwen.newsroom import actions; "
                                f"actions.withdraw([Article.objects.get(pk={pk})], None, 'during an outage')")
    assert fetch(base + article)[0] == 410
    subprocess.run([*cli, "CLIENT", "UNPAUSE"], check=True, capture_output=True)
    time.sleep(1.2)  # the cache epoch is re-read at most once a second
    for _ in range(3):
        assert fetch(base + article)[0] == 410



@pytest.mark.redis
@pytest.mark.skipif(not REDIS_SERVER, reason="redis-server is not installed (make test installs it)")
def test_tasks_resume_when_redis_returns(make_stack, tmp_path):
    redis_port = free_port()
    stack = make_stack(HUIWEN_REDIS_URL=f"redis://127.0.0.1:{redis_port}/0")
    server = [REDIS_SERVER, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)]
    redis_process = stack.start(server)
    stack.huiwen("migrate", "--verbosity", "0")
    worker = stack.start([*HUIWEN, "worker", "--workers", "1"])
    # A task whose result comes back through Redis: a source that does not exist gives {}.
    ask = ("from huiwen.collect.tasks import collect_source; "
           "print('done', collect_source(999999).get(blocking=True, timeout=30))")
    assert "done {}" in stack.huiwen("shell", "-c", ask).stdout

    redis_process.terminate()
    redis_process.wait(timeout=10)
    time.sleep(2)  # the worker keeps polling a queue that is gone
    assert worker.poll() is None, "the worker died with Redis"
    stack.start(server)
    time.sleep(1)
    assert "done {}" in stack.huiwen("shell", "-c", ask).stdout  # the same worker took the new task


@pytest.mark.redis
@pytest.mark.skipif(not REDIS_SERVER, reason="redis-server is not installed (make test installs it)")
def test_worker_killed_mid_task_then_restarted_loses_and_duplicates_nothing(make_stack, tmp_path):
    redis_port = free_port()
    stack = make_stack(HUIWEN_REDIS_URL=f"redis://127.0.0.1:{redis_port}/0")
    stack.start([REDIS_SERVER, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
                 "--dir", str(tmp_path)])
    with FixtureSite() as site:
        site.page("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")
        urls = serve_stories(site, STORIES)
        for url in urls:
            reply = site.routes[url.removeprefix(site.base)]
            reply.chunk, reply.drip = len(reply.body) // 2 + 1, 0.3
        site.page("/feed.xml", rss(site, urls, [s.title for s in STORIES]), "application/rss+xml")
        stack.huiwen("migrate", "--verbosity", "0")
        stack.huiwen("channel", "add", "news", "新闻频道")
        stack.huiwen("source", "add", "feed", site.url("/feed.xml"), "--publisher", "测试", "--channel", "news",
                     "--allow-private", "--host-interval", "0")
        enqueue = "from huiwen.collect.tasks import collect_source; collect_source(1)"
        worker_command = [*HUIWEN, "worker", "--workers", "1"]
        worker = stack.start(worker_command)
        stack.huiwen("shell", "-c", enqueue)
        deadline = time.monotonic() + 60
        while sum(1 for hit in site.hits if hit.path.startswith("/society/")) < 2:
            assert time.monotonic() < deadline and worker.poll() is None
            time.sleep(0.05)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()

        stack.start(worker_command)  # a new worker; the interrupted run is queued again by the operator
        stack.huiwen("shell", "-c", enqueue)
        database = sqlite3.connect(Path(stack.env["HUIWEN_DATA_DIR"]) / "huiwen.sqlite3", timeout=30)
        deadline = time.monotonic() + 90
        while database.execute("SELECT COUNT(*) FROM collect_seenurl WHERE state = 'done'").fetchone()[0] < len(urls):
            assert time.monotonic() < deadline, "the restarted worker did not finish the source"
            time.sleep(0.3)
        stored = [row[0] for row in database.execute("SELECT source_url FROM newsroom_article")]
        assert sorted(stored) == sorted(urls)


def test_saturation_for_a_minute_without_errors(make_stack):
    if not shutil.which("wrk"):
        pytest.skip("wrk is not installed (make test installs it)")
    stack = make_stack(HUIWEN_PAGE_CACHE="1")
    stack.huiwen("demo", "--no-serve")
    port = free_port()
    stack.gunicorn(port, workers=2)
    base = f"http://127.0.0.1:{port}"
    paths = ["/", "/news/", _article_path(base), "/feed/rss.xml", "/sitemap-articles.xml", "/zh-hant/",
             "/search?q=%E9%AB%98%E9%93%81"]
    script = stack.root / "paths.lua"
    script.write_text(
        "local paths = {" + ", ".join(f'"{p}"' for p in paths) + "}\nlocal i = 0\n"
        "request = function() i = i + 1; return wrk.format(nil, paths[(i % #paths) + 1]) end\n"
        "done = function(summary, latency, requests)\n"
        "  io.write(string.format('RESULT requests=%d non2xx=%d connect=%d read=%d write=%d timeout=%d\\n',\n"
        "    summary.requests, summary.errors.status, summary.errors.connect, summary.errors.read,\n"
        "    summary.errors.write, summary.errors.timeout))\nend\n")
    duration = os.environ.get("HUIWEN_SATURATION_SECONDS", "60")
    result = subprocess.run(["wrk", "-t2", "-c64", f"-d{duration}s", "--timeout", "10s", "-s", str(script), base],
                            capture_output=True, text=True, check=True, timeout=int(duration) + 60)
    line = next(line for line in result.stdout.splitlines() if line.startswith("RESULT"))
    counts = dict(part.split("=") for part in line.split()[1:])
    assert int(counts["requests"]) > 1000, result.stdout
    assert {k: v for k, v in counts.items() if k != "requests"} == {
        "non2xx": "0", "connect": "0", "read": "0", "write": "0", "timeout": "0"}, result.stdout
    wait(base + "/")
