"""A small newsroom for the API: visible articles with full attribution, and one article of every
kind readers must never see (draft, pending, embargoed, in a hidden channel, withdrawn), each
carrying the same words so a search would find them if the visibility rule were skipped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from huiwen.newsroom.models import Article, Channel, Publisher
from tests import factories

API = "/api/v1"


@dataclass
class Newsroom:
    news: Channel
    china: Channel
    tech: Channel
    hidden: Channel  # not live
    hidden_child: Channel  # live, under a hidden channel
    daily: Publisher
    weekly: Publisher
    full: Article  # every attribution field filled
    china_story: Article
    tech_story: Article
    weekly_story: Article
    draft: Article
    pending: Article
    embargoed: Article
    in_hidden: Article
    withdrawn: Article

    @property
    def visible(self) -> list[Article]:
        return [self.full, self.china_story, self.tech_story, self.weekly_story]

    @property
    def never_shown(self) -> list[Article]:
        return [self.draft, self.pending, self.embargoed, self.in_hidden, self.withdrawn]


@pytest.fixture
def newsroom() -> Newsroom:
    news = factories.channel("news", "新闻", position=1)
    china = factories.channel("china", "国内", parent=news)
    tech = factories.channel("tech", "科技", position=2, description="科技新闻")
    hidden = factories.channel("archive", "旧闻", live=False, position=3)
    hidden_child = factories.channel("old", "老新闻", parent=hidden)
    daily = factories.publisher("澄州日报", url="https://daily.chengzhou.example/", newspaper="澄州日报")
    weekly = factories.publisher("澜山周刊")
    full = factories.article(
        news, "城市绿道贯通(和音)", column="和音", original_title="绿道连起城市的东西两岸",
        original_author="林晓", editor="王明", lede="全长四十公里的滨江绿道昨日全线贯通。",
        body='<p>滨江绿道把东西两岸连在一起。</p><script>alert(1)</script><p onclick="x()">市民骑行。</p>',
        publisher=daily, print_newspaper="澄州日报", print_date=date(2026, 1, 5), print_page="03",
        source_url="https://daily.chengzhou.example/2026/01/05/greenway.html", hours_ago=1,
    )
    china_story = factories.article(china, "绿道沿线新开三座驿站", publisher=daily, hours_ago=2)
    tech_story = factories.article(tech, "绿道装上智能路灯", publisher=daily, hours_ago=3)
    weekly_story = factories.article(news, "周末去绿道走走", publisher=weekly, hours_ago=4)
    hidden_kw = {"body": "<p>绿道的另一种说法。</p>"}
    draft = factories.article(news, "绿道草稿", status=Article.Status.DRAFT, **hidden_kw)
    pending = factories.article(news, "绿道待审", status=Article.Status.PENDING, **hidden_kw)
    embargoed = factories.article(news, "绿道定时", published_at=timezone.now() + timedelta(hours=3), **hidden_kw)
    in_hidden = factories.article(hidden_child, "绿道旧闻", **hidden_kw)
    withdrawn = factories.article(news, "绿道撤稿", status=Article.Status.WITHDRAWN, **hidden_kw)
    return Newsroom(
        news, china, tech, hidden, hidden_child, daily, weekly, full, china_story, tech_story, weekly_story,
        draft, pending, embargoed, in_hidden, withdrawn,
    )


def get(client, path: str, expect: int = 200, **params):
    """GET an API path; the answer must be JSON with the expected status. Returns (response, data)."""
    response = client.get(f"{API}{path}", params)
    assert response.status_code == expect, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return response, response.json()


def ids(items) -> list[int]:
    return [item["id"] for item in items]
