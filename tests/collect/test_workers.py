"""Two worker processes on a real Redis queue, racing over the same URLs: each is collected once.

The workers store into their own SQLite data folder whatever the suite's database is, so these
tests run once (tests/conftest.py's RUN_ONCE)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.collect.conftest import rss, serve_stories
from tests.sites.news import STORIES

REDIS_URL = os.environ.get("HUIWEN_TEST_REDIS_URL", "")
pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not REDIS_URL, reason="HUIWEN_TEST_REDIS_URL not set (.ci/run starts Redis)"),
]
HUIWEN = [sys.executable, "-m", "huiwen"]
# A hang guard, not a speed goal: both passes of `make test` run side by side on two cores.
HANG_GUARD_SECONDS = 300


def not_due_until_tomorrow(data_dir: Path) -> None:
    """The workers' own scheduler (schedule_due_sources, every minute) queues a run of every due
    source, and a source never run is due: a test that crossed a minute boundary got a third run
    of its source (a CI run waited for two runs until its hang guard). The tests queue their runs
    themselves, so their sources are made not due."""
    database = sqlite3.connect(data_dir / "huiwen.sqlite3")
    with database:
        database.execute("UPDATE collect_source SET next_run_at = datetime('now', '+1 day')")
    database.close()


def test_two_workers_never_collect_a_url_twice(site, tmp_path):
    import redis

    urls = serve_stories(site, STORIES)
    for url in urls:  # slow pages keep both workers busy at the same time
        reply = site.routes[url.removeprefix(site.base)]
        reply.chunk, reply.drip = len(reply.body) // 2 + 1, 0.2
    site.page("/feed.xml", rss(site, urls, [s.title for s in STORIES]), "application/rss+xml")
    sitemap = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
    site.page("/sitemap.xml", f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{sitemap}</urlset>',
              "application/xml")
    queue = f"{REDIS_URL.rstrip('/')}"
    redis.Redis.from_url(queue).flushdb()
    env = {**os.environ, "HUIWEN_DATA_DIR": str(tmp_path), "HUIWEN_REDIS_URL": queue, "HUIWEN_LOG_LEVEL": "ERROR"}
    env.pop("HUIWEN_DATABASE_URL", None)

    def huiwen(*args: str) -> None:
        subprocess.run([*HUIWEN, *args], env=env, check=True, capture_output=True, timeout=120)

    huiwen("migrate", "--verbosity", "0")
    huiwen("channel", "add", "news", "新闻频道")
    for kind, path in (("feed", "/feed.xml"), ("sitemap", "/sitemap.xml")):
        huiwen("source", "add", kind, site.url(path), "--publisher", "测试", "--channel", "news",
               "--allow-private", "--host-interval", "0")
    not_due_until_tomorrow(tmp_path)
    workers = [subprocess.Popen([*HUIWEN, "worker", "--workers", "2"], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL) for _ in range(2)]
    try:
        huiwen("shell", "-c", "from huiwen.collect.tasks import collect_source\n"
                              "for pk in (1, 2, 1, 2): collect_source(pk)")
        database = sqlite3.connect(Path(tmp_path) / "huiwen.sqlite3", timeout=30)
        deadline = time.monotonic() + HANG_GUARD_SECONDS
        while True:
            done = database.execute("SELECT COUNT(*) FROM collect_seenurl WHERE state = 'done'").fetchone()[0]
            running = database.execute("SELECT COUNT(*) FROM collect_sourcerun WHERE finished_at IS NULL").fetchone()[0]
            pending = redis.Redis.from_url(queue).llen("huey.redis.huiwen")
            if done == len(urls) and running == 0 and pending == 0:
                break
            assert time.monotonic() < deadline, "workers did not finish"
            assert all(w.poll() is None for w in workers), "a worker died"
            time.sleep(0.3)
        workers_seen = {row[0] for row in database.execute("SELECT DISTINCT worker FROM collect_sourcerun")}
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=20)
    assert len({w.split(":")[1] for w in workers_seen}) >= 1
    for url in urls:
        assert len(site.requests_for(url.removeprefix(site.base))) == 1, url
    stored = [row[0] for row in database.execute("SELECT source_url FROM newsroom_article")]
    assert sorted(stored) == sorted(urls)


def test_two_workers_share_one_source_batch_by_batch(site, tmp_path):
    """A large source queued for two workers at once (a WARC import, a big sitemap): both take part,
    claiming a batch of URLs at a time, and every URL is fetched and stored once."""
    import redis

    urls = serve_stories(site, STORIES)
    for url in urls:
        reply = site.routes[url.removeprefix(site.base)]
        reply.chunk, reply.drip = len(reply.body) // 2 + 1, 0.3
    site.page("/feed.xml", rss(site, urls, [s.title for s in STORIES]), "application/rss+xml")
    queue = f"{REDIS_URL.rstrip('/')}"
    redis.Redis.from_url(queue).flushdb()
    env = {**os.environ, "HUIWEN_DATA_DIR": str(tmp_path), "HUIWEN_REDIS_URL": queue, "HUIWEN_LOG_LEVEL": "ERROR",
           "HUIWEN_COLLECT_BATCH": "2"}
    env.pop("HUIWEN_DATABASE_URL", None)

    def huiwen(*args: str) -> None:
        subprocess.run([*HUIWEN, *args], env=env, check=True, capture_output=True, timeout=120)

    huiwen("migrate", "--verbosity", "0")
    huiwen("channel", "add", "news", "新闻频道")
    huiwen("source", "add", "feed", site.url("/feed.xml"), "--publisher", "测试", "--channel", "news",
           "--allow-private", "--host-interval", "0", "--max-items", "100")
    not_due_until_tomorrow(tmp_path)
    workers = [subprocess.Popen([*HUIWEN, "worker", "--workers", "1"], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL) for _ in range(2)]
    try:
        huiwen("shell", "-c", "from huiwen.collect.tasks import collect_source\ncollect_source(1); collect_source(1)")
        database = sqlite3.connect(Path(tmp_path) / "huiwen.sqlite3", timeout=30)
        deadline = time.monotonic() + HANG_GUARD_SECONDS
        while True:
            runs = database.execute("SELECT worker, new, finished_at FROM collect_sourcerun").fetchall()
            if len(runs) == 2 and all(finished for _, _, finished in runs):
                break
            assert time.monotonic() < deadline, f"workers did not finish: {runs}"
            assert all(w.poll() is None for w in workers), "a worker died"
            time.sleep(0.3)
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=20)
    assert len({worker.split(":")[1] for worker, _, _ in runs}) == 2  # two processes ran it
    assert all(new > 0 for _, new, _ in runs), runs  # and both stored part of it
    assert sum(new for _, new, _ in runs) == len(urls)
    for url in urls:
        assert len(site.requests_for(url.removeprefix(site.base))) == 1, url
    stored = [row[0] for row in database.execute("SELECT source_url FROM newsroom_article")]
    assert sorted(stored) == sorted(urls)
