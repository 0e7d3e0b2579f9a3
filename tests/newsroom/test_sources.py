"""The source dashboard: articles per day as an inline SVG chart, failures, last success, idle alerts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from huiwen.collect.models import SeenURL, Source, SourceError
from tests import factories
from tests.newsroom.desk import user
from tests.reader.pages import html, text

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def make_source(name: str, **fields) -> Source:
    made = Source.objects.create(name=name, kind=Source.Kind.FEED, url=f"https://{name}.example/rss",
                                 publisher=factories.publisher(name), channel=factories.channel(name), **fields)
    # Older than its interval: a younger source raises no alert (tests/collect/test_source_health.py).
    Source.objects.filter(pk=made.pk).update(created_at=timezone.now() - timedelta(days=2))
    made.refresh_from_db()
    return made


def collected_on(source: Source, days_ago: int, count: int) -> None:
    for number in range(count):
        article = factories.article(source.channel, f"{source.name}{days_ago}-{number}")
        seen = SeenURL.objects.create(url=f"{article.source_url}?d={days_ago}", source=source, article=article,
                                      state=SeenURL.State.DONE)
        SeenURL.objects.filter(pk=seen.pk).update(first_seen_at=timezone.now() - timedelta(days=days_ago))


def test_dashboard_charts_articles_per_day_and_flags_idle_sources(client):
    client.force_login(user("ops", "admin", real_name="孙立"))
    now = timezone.now()
    busy = make_source("busy", last_success_at=now)
    collected_on(busy, 0, 3)
    collected_on(busy, 2, 1)
    SourceError.objects.create(source=busy, kind="extraction", message="no body")
    SourceError.objects.create(source=busy, kind="timeout", message="read timeout")
    idle = make_source("idle", last_success_at=now)
    collected_on(idle, 5, 2)
    make_source("broken", consecutive_failures=3)

    page = html(client.get(reverse("backoffice:sources")))
    cards = {card.get("aria-label"): card for card in page.xpath("//section[contains(@class,'source-card')]")}
    assert set(cards) == {"busy", "idle", "broken"}

    busy_card = cards["busy"]
    assert text(busy_card.xpath(".//p[@class='healthy']")[0]) == "正常"
    assert [text(busy_card.xpath(f".//dd[@class='{name}']")[0]) for name in ("n-articles", "n-fetch", "n-extract")] \
        == ["4", "1", "1"]
    svg = busy_card.xpath(".//*[local-name()='svg']")[0]
    bars = [bar for bar in svg.iter() if bar.tag in ("rect", f"{SVG}rect") and bar.get("class") == "bar"]
    assert len(bars) == 14 * 2  # 14 days, articles and failures
    heights = [float(bar.get("height")) for bar in bars if bar.get("fill") == "#1f5fa8"]
    assert heights[-1] > heights[-3] > 0 and heights[:-3] == [0.0] * 11

    assert "闲置:超过 24 小时没有新文章" in [text(li) for li in cards["idle"].xpath(".//ul[@class='alerts']/li")]
    assert [text(li) for li in cards["broken"].xpath(".//ul[@class='alerts']/li")] == ["连续失败 3 次", "尚未成功运行"]
    assert text(page.xpath("//p[@class='summary']/strong")[0]) == "2 个需要处理"


def test_dashboard_queries_do_not_grow_with_sources(client):
    client.force_login(user("ops", "admin", real_name="孙立"))

    def queries(first: int, count: int) -> int:
        for number in range(first, first + count):
            collected_on(make_source(f"s{number}", last_success_at=timezone.now()), 1, 1)
        client.get(reverse("backoffice:sources"))  # warm: per-process caches (content types, cache epoch)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("backoffice:sources")).status_code == 200
        return len(captured)

    few = queries(0, 2)
    assert queries(2, 8) == few <= 14  # site middleware included (session, user, page-cache epoch)


def axis_labels(svg) -> list[str]:
    return [label.text for label in svg.iter(f"{SVG}text", "text")
            if label.get("class") == "axis" and label.get("text-anchor") == "end"]


def test_chart_axes_count_whole_articles(client):
    client.force_login(user("ops", "admin", real_name="孙立"))
    one = make_source("one", last_success_at=timezone.now())
    collected_on(one, 0, 1)
    three = make_source("three", last_success_at=timezone.now())
    collected_on(three, 1, 3)
    many = make_source("many", last_success_at=timezone.now())
    collected_on(many, 1, 7)
    page = html(client.get(reverse("backoffice:sources")))
    labels = {card.get("aria-label"): axis_labels(card.xpath(".//*[local-name()='svg']")[0])
              for card in page.xpath("//section[contains(@class,'source-card')]")}
    assert labels == {"one": ["0", "1"], "three": ["0", "1", "2", "3", "4", "5"], "many": ["0", "5", "10"]}


def test_each_card_leads_to_the_sources_settings_and_runs(client):
    admin = user("ops", "admin", real_name="孙立")
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    source = make_source("broken", consecutive_failures=2, last_error="HTTP 404")
    SourceError.objects.create(source=source, kind="http", message="HTTP 404", url="https://broken.example/a")
    page = html(client.get(reverse("backoffice:sources")))
    card = page.xpath("//section[@aria-label='broken']")[0]
    detail = reverse("backoffice:source", args=[source.pk])
    assert card.xpath(".//h2/a/@href") == [detail]
    settings_page = html(client.get(detail))
    assert text(settings_page.xpath("//dt[text()='地址']/following-sibling::dd")[0]) == "https://broken.example/rss"
    assert [text(td) for td in settings_page.xpath("//table[@class='errors']//td")][1:4] == [
        "http", "https://broken.example/a", "HTTP 404"]
    assert settings_page.xpath("//a[text()='修改设置(管理后台)']/@href") == [
        reverse("admin:collect_source_change", args=[source.pk])]
    chief = user("wanglan", "chief", real_name="王岚")
    client.force_login(chief)
    assert html(client.get(detail)).xpath("//a[text()='修改设置(管理后台)']") == []
