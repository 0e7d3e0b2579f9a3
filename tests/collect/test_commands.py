"""The collector's command line: channels, sources, collect with its summary, and a crash midway."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from huiwen.collect.models import Source
from huiwen.newsroom.models import Article, Channel
from tests.collect.conftest import rss, serve_stories
from tests.sites.news import STORIES

HUIWEN = [sys.executable, "-m", "huiwen"]


@pytest.mark.django_db
def test_channel_and_source_commands(capsys):
    call_command("channel", "add", "news", "新闻频道")
    call_command("channel", "add", "china", "国内新闻", "--parent", "news")
    assert Channel.objects.get(path="news/china").name == "国内新闻"
    with pytest.raises(CommandError):
        call_command("channel", "add", "china", "重复", "--parent", "news")
    with pytest.raises(CommandError):
        call_command("channel", "add", "admin", "后台")  # a reserved root slug

    call_command("source", "add", "feed", "https://news.example/rss.xml", "--publisher", "人民网-人民日报",
                 "--channel", "china", "--review", "--exclude", "/video/", "--rule", "/world/ => news")
    source = Source.objects.get()
    assert (source.kind, source.channel.path, source.review, source.allow_private) == ("feed", "news/china", True, False)
    assert source.publisher.name == "人民网-人民日报"
    assert not source.wants("https://news.example/video/1.html")
    with pytest.raises(CommandError):
        call_command("source", "add", "feed", "https://x.example/", "--publisher", "某", "--channel", "nowhere")
    with pytest.raises(CommandError):
        call_command("source", "add", "feed", "https://x.example/", "--publisher", "某", "--channel", "news",
                     "--include", "([unclosed")
    capsys.readouterr()
    call_command("source", "list")
    listing = capsys.readouterr().out
    assert "news.example (feed)" in listing and "news/china" in listing
    assert listing.splitlines()[1].endswith("  https://news.example/rss.xml")  # the address tells two feeds apart


@pytest.mark.django_db
def test_collect_prints_a_per_source_summary(site, capsys):
    urls = serve_stories(site, STORIES[:2])
    site.page("/feed.xml", rss(site, urls, ["一", "二"]), "application/rss+xml")
    call_command("channel", "add", "news", "新闻频道")
    call_command("source", "add", "feed", site.url("/feed.xml"), "--publisher", "测试", "--channel", "news",
                 "--allow-private", "--host-interval", "0", "--name", "测试订阅")
    call_command("collect", "--source", "测试订阅", "--no-progress")
    out = capsys.readouterr().out
    polling, header, row = out.strip().splitlines()[-3:]
    assert header.split()[:5] == ["来源", "发现", "抓取", "新增", "更新"] and header.split()[-2:] == ["304", "结果"]
    assert row.split()[:5] == ["测试订阅", "2", "2", "2", "0"] and row.split()[-2] == "0"
    assert polling.startswith("条件请求:3 次请求中 0 次回答 304")
    assert Article.objects.count() == 2
    with pytest.raises(CommandError):
        call_command("collect", "--source", "没有这个")


def _huiwen(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*HUIWEN, *args], env=env, capture_output=True, text=True, check=True, timeout=120)


def test_kill_minus_nine_midway_then_rerun_loses_and_duplicates_nothing(site, tmp_path):
    urls = serve_stories(site, STORIES)
    for url in urls:  # each page takes a moment, so the kill lands mid-run
        reply = site.routes[url.removeprefix(site.base)]
        reply.chunk, reply.drip = len(reply.body) // 2 + 1, 0.25
    site.page("/feed.xml", rss(site, urls, [s.title for s in STORIES]), "application/rss+xml")
    env = {**os.environ, "HUIWEN_DATA_DIR": str(tmp_path), "HUIWEN_LOG_LEVEL": "ERROR"}
    env.pop("HUIWEN_DATABASE_URL", None)  # this test owns a SQLite file it can inspect after the crash
    _huiwen(env, "migrate", "--verbosity", "0")
    _huiwen(env, "channel", "add", "news", "新闻频道")
    _huiwen(env, "source", "add", "feed", site.url("/feed.xml"), "--publisher", "测试", "--channel", "news",
            "--allow-private", "--host-interval", "0")

    victim = subprocess.Popen([*HUIWEN, "collect", "--all", "--no-progress"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while sum(1 for hit in site.hits if hit.path.startswith("/society/")) < 3:
        assert time.monotonic() < deadline and victim.poll() is None, "collection ended before the kill"
        time.sleep(0.05)
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()

    _huiwen(env, "collect", "--all", "--no-progress")
    database = sqlite3.connect(Path(tmp_path) / "huiwen.sqlite3")
    stored = [row[0] for row in database.execute("SELECT source_url FROM newsroom_article")]
    assert sorted(stored) == sorted(urls)
    states = dict(database.execute("SELECT url, state FROM collect_seenurl"))
    assert set(states.values()) == {"done"}
    again = _huiwen(env, "collect", "--all", "--no-progress")
    row = next(line for line in again.stdout.splitlines() if line.startswith("127.0.0.1"))
    assert row.split()[-10:-7] == ["0", "0", "0"]  # nothing discovered, fetched, new
    assert database.execute("SELECT COUNT(*) FROM newsroom_article").fetchone()[0] == len(stored)


@pytest.mark.django_db
def test_due_sources_are_queued_once():
    from huey.contrib.djhuey import HUEY

    from huiwen.collect.tasks import schedule_due_sources

    call_command("channel", "add", "news", "新闻频道")
    call_command("source", "add", "url", "https://news.example/a.html", "--publisher", "某", "--channel", "news")
    source = Source.objects.get()
    assert source.is_due()
    first = schedule_due_sources.call_local()
    second = schedule_due_sources.call_local()
    assert (first, second) == (1, 0)
    source.refresh_from_db()
    assert not source.is_due()
    assert HUEY.pending_count() >= 1
    HUEY.flush()  # the queued run is not for this test to perform
