"""The source dashboard in real Chromium: the server-drawn charts render (screenshot kept)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from huiwen.collect.models import SeenURL, Source, SourceError
from tests import factories
from tests.newsroom.desk import user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _source(name: str, slug: str, per_day: list[int], **fields) -> Source:
    source = Source.objects.create(name=name, kind=Source.Kind.FEED, url=f"https://{slug}.example/rss",
                                   publisher=factories.publisher(name), channel=factories.channel(slug, name),
                                   **fields)
    # Older than its interval: a younger source raises no alert.
    Source.objects.filter(pk=source.pk).update(created_at=timezone.now() - timedelta(days=15))
    for days_ago, count in enumerate(reversed(per_day)):
        for number in range(count):
            article = factories.article(source.channel, f"{name}稿件{days_ago}-{number}")
            seen = SeenURL.objects.create(url=article.source_url, source=source, article=article, state="done")
            SeenURL.objects.filter(pk=seen.pk).update(first_seen_at=timezone.now() - timedelta(days=days_ago))
    return source


def test_dashboard_charts_render(live_server, page, artifacts):
    now = timezone.now()
    steady = _source("澄州日报", "chengzhou", [3, 4, 2, 5, 3, 0, 4, 6, 2, 3, 5, 4, 3, 2], last_success_at=now)
    for kind in ("timeout", "timeout", "extraction"):
        SourceError.objects.create(source=steady, kind=kind, message="示例错误", at=now - timedelta(days=3))
    _source("宁川晚报", "ningchuan", [2, 3, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0], last_success_at=now)
    _source("桐湾资讯", "tongwan", [0] * 14, consecutive_failures=4)
    admin = user("sunli", "admin", real_name="孙立")
    page.context.add_cookies([_session_cookie(live_server, admin)])

    page.goto(live_server.url + "/newsroom/sources/")
    assert page.locator("h1").inner_text() == "来源看板"
    charts = page.locator("svg.chart")
    assert charts.count() == 3
    box = charts.first.bounding_box()
    assert box["width"] > 300 and box["height"] > 100, box
    tallest = page.locator("section[aria-label='澄州日报'] rect.bar[fill='#1f5fa8']").evaluate_all(
        "bars => Math.max(...bars.map(b => b.getBoundingClientRect().height))")
    assert tallest > 50  # the busiest day's bar reaches most of the plot's height
    assert page.locator("section[aria-label='宁川晚报'] .alerts").inner_text().startswith("闲置")
    page.screenshot(path=str(artifacts / "editor-sources.png"), full_page=True)


def _session_cookie(live_server, member) -> dict:
    from django.test import Client

    client = Client()
    client.force_login(member)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}
