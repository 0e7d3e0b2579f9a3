"""Every failed fetch counts (issue 15): HTTP errors, refused connections, timeouts and extraction
failures fail the run, raise the consecutive-failure count, and the CLI says 失败. Single pages:
several on one host, and “collect this URL now” from the desk. All against servers on 127.0.0.1."""

from __future__ import annotations

import socket
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from huiwen.collect.models import Source, SourceError
from huiwen.desk import dashboard
from huiwen.newsroom.models import Article, AuditEntry
from tests import factories
from tests.collect.conftest import serve_stories
from tests.newsroom.desk import user
from tests.reader.pages import html, text
from tests.sites.news import STORIES
from tests.sites.server import Reply

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    """A loopback port nothing listens on: connections to it are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def health_after(source: Source):
    Source.objects.filter(pk=source.pk).update(created_at=timezone.now() - timedelta(days=1))
    row = next(row for row in dashboard.health() if row.source.pk == source.pk)
    source.refresh_from_db()
    return row, source


def test_a_page_that_404s_fails_the_run_every_time(site, make_source, run_collector, capsys):
    source = make_source("url", site.url("/gone.html"), name="消失的页面")
    for expected in (1, 2):
        run = run_collector(source)
        source.refresh_from_db()
        assert (run.ok, run.failed, source.consecutive_failures, source.last_success_at) == (False, 1, expected, None)
    row, source = health_after(source)
    assert row.total_fetch_failures == 2 and "连续失败 2 次" in row.alerts
    with pytest.raises(CommandError):
        call_command("collect", "--source", "消失的页面", "--no-progress")
    last_line = capsys.readouterr().out.strip().splitlines()[-1]
    assert last_line.split()[0] == "消失的页面" and last_line.split()[-1] == "失败"


def test_a_refused_connection_is_a_failure(make_source, run_collector):
    source = make_source("url", f"http://127.0.0.1:{closed_port()}/a.html", name="拒绝连接")
    run = run_collector(source)
    source.refresh_from_db()
    assert not run.ok and source.consecutive_failures == 1
    assert list(SourceError.objects.filter(source=source).values_list("kind", flat=True)) == ["network"]
    assert "robots.txt unreachable" in SourceError.objects.get(source=source).message


def test_a_refused_feed_fails_in_discovery(make_source, run_collector):
    source = make_source("feed", f"http://127.0.0.1:{closed_port()}/feed.xml", name="拒绝连接的订阅")
    run = run_collector(source)
    source.refresh_from_db()
    assert not run.ok and source.consecutive_failures == 1
    row, _ = health_after(source)
    assert row.total_fetch_failures == 1


def test_a_timeout_is_a_failure(site, make_source, run_collector, settings):
    settings.COLLECT = {**settings.COLLECT, "RETRIES": 1, "TIMEOUT": 0.5, "DEADLINE": 1}

    def slow(request):
        time.sleep(1.5)
        return Reply(body=b"<html></html>", headers={"Content-Type": "text/html"})

    site.add("/slow.html", slow)
    source = make_source("url", site.url("/slow.html"), name="很慢的页面")
    run = run_collector(source)
    assert not run.ok and SourceError.objects.get(source=source).kind == "timeout"


def test_an_extraction_failure_is_a_failure(site, make_source, run_collector):
    site.page("/empty.html", "<html><head><title>空</title></head><body><nav>首页</nav></body></html>")
    source = make_source("url", site.url("/empty.html"), name="没有正文")
    run = run_collector(source)
    source.refresh_from_db()
    assert (run.ok, run.failed, source.consecutive_failures) == (False, 1, 1)
    row, _ = health_after(source)
    assert row.total_extraction_failures == 1


def test_one_good_page_among_failures_is_a_successful_run(site, make_source, run_collector):
    from tests.collect.conftest import rss

    urls = serve_stories(site, STORIES[:1])
    site.page("/feed.xml", rss(site, [*urls, site.url("/gone.html")], ["好", "坏"]), "application/rss+xml")
    source = make_source("feed", site.url("/feed.xml"))
    run = run_collector(source)
    assert (run.ok, run.new, run.failed) == (True, 1, 1)


def test_a_young_source_raises_no_alert():
    source = Source.objects.create(name="新来源", kind="feed", url="https://new.example/rss",
                                   publisher=factories.publisher(), channel=factories.channel("news"),
                                   consecutive_failures=1)
    assert dashboard.alerts(source, None, timezone.now()) == []
    later = timezone.now() + timedelta(minutes=source.interval_minutes + 1)
    assert dashboard.alerts(source, None, later) == ["连续失败 1 次", "尚未成功运行"]


def test_several_single_pages_on_one_host_get_names_from_their_paths(site, capsys):
    call_command("channel", "add", "news", "新闻频道")
    for path in ("/2026/11/river.html", "/2026/11/bridge.html", "/2026/11/river.html?page=2"):
        call_command("source", "add", "url", site.url(path), "--publisher", "测试", "--channel", "news")
    host = f"127.0.0.1:{site.port}"
    assert sorted(Source.objects.values_list("name", flat=True)) == sorted([
        f"{host}/2026/11/river.html", f"{host}/2026/11/bridge.html", f"{host}/2026/11/river.html?page=2"])
    call_command("source", "add", "url", site.url("/2026/11/river.html"), "--publisher", "测试", "--channel", "news")
    assert Source.objects.filter(name=f"{host}/2026/11/river.html (2)").exists()


def test_an_editor_collects_one_url_from_the_desk(site, make_source, client):
    urls = serve_stories(site, STORIES[:2])
    make_source("feed", site.url("/feed.xml"), name="本站订阅")  # the host's settings: private address allowed
    editor = user("zhaoyi", "editor", real_name="赵一")
    client.force_login(editor)
    response = client.post(reverse("backoffice:collect"), {"url": urls[0]}, follow=True)
    article = Article.objects.get()
    assert article.status == Article.Status.PENDING and article.title.startswith(STORIES[0].title)
    assert response.redirect_chain[-1][0] == reverse("backoffice:article", args=[article.pk])
    assert "在审核队列里等待审核" in text(html(response).xpath("//ul[@class='messages']")[0])
    single = Source.objects.get(kind="url")
    assert (single.name, single.review, single.allow_private) == (
        f"127.0.0.1:{site.port}/society/{STORIES[0].slug}.html", True, True)
    assert AuditEntry.objects.get(action=AuditEntry.Action.COLLECT).actor_name == "赵一(zhaoyi)"

    again = client.post(reverse("backoffice:collect"), {"url": urls[0]}, follow=True)
    assert "已经采集过了" in text(html(again).xpath("//ul[@class='messages']")[0])
    assert Article.objects.count() == 1


def test_collect_now_reports_what_went_wrong(site, make_source, client):
    make_source("feed", site.url("/feed.xml"), name="本站订阅")
    client.force_login(user("zhaoyi", "editor", real_name="赵一"))
    page = html(client.post(reverse("backoffice:collect"), {"url": site.url("/missing.html")}))
    assert "HTTP 404" in text(page.xpath("//ul[@class='messages']")[0])
    unknown = html(client.post(reverse("backoffice:collect"), {"url": "https://elsewhere.example/a.html"}))
    assert "请选择来源媒体和频道" in text(unknown.xpath("//ul[@class='messages']")[0])
    assert not Article.objects.exists()


def test_collect_now_refuses_private_addresses_without_an_allowed_source(site, client):
    client.force_login(user("zhaoyi", "editor", real_name="赵一"))
    channel = factories.channel("news", "新闻")
    page = html(client.post(reverse("backoffice:collect"), {
        "url": site.url("/a.html"), "publisher": factories.publisher().pk, "channel": channel.pk}))
    assert "未能采集" in text(page.xpath("//ul[@class='messages']")[0])
    assert site.hits == []  # nothing was fetched from the private address
