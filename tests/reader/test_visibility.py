"""The one visibility rule holds on every surface: a hidden article appears nowhere."""

from __future__ import annotations

from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone

from huiwen.newsroom.models import Article
from tests import factories
from tests.reader.pages import article_links, html, xml

pytestmark = pytest.mark.django_db
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def world():
    news = factories.channel("news", "新闻频道")
    china = factories.channel("china", "国内新闻", parent=news)
    hidden_parent = factories.channel("archive", "旧闻", live=False)
    under_hidden = factories.channel("old", "旧闻子栏目", parent=hidden_parent)
    visible = factories.article(china, "公开的文章")
    hidden = {
        "draft": factories.article(china, "草稿文章", status=Article.Status.DRAFT),
        "pending": factories.article(china, "待审文章", status=Article.Status.PENDING),
        "withdrawn": factories.article(china, "撤下的文章", status=Article.Status.WITHDRAWN),
        "embargoed": factories.article(china, "尚未到发布时间", published_at=timezone.now() + timedelta(hours=3)),
        "hidden channel": factories.article(under_hidden, "隐藏频道里的文章"),
    }
    return visible, hidden, china


def surfaces(client, china):
    """Every reader surface that lists articles, as (name, set of article URLs)."""
    found = {
        "home": article_links(html(client.get("/"))),
        "channel": article_links(html(client.get(china.get_absolute_url()))),
        "parent channel": article_links(html(client.get(china.parent.get_absolute_url()))),
    }
    for name, url in [("rss", "/feed/rss.xml"), ("atom", "/feed/atom.xml"),
                      ("channel rss", f"/{china.path}/rss.xml"), ("channel atom", f"/{china.path}/atom.xml")]:
        feed = feedparser.parse(client.get(url).content)
        found[name] = [entry.link.removeprefix("http://testserver") for entry in feed.entries]
    for section in ("articles", "news"):
        document = xml(client.get(f"/sitemap-{section}.xml"))
        locs = document.xpath("//s:loc/text()", namespaces=SITEMAP_NS)
        found[f"sitemap {section}"] = [loc.removeprefix("http://testserver") for loc in locs]
    return found


def test_visible_article_is_on_every_surface(client, world):
    visible, _, china = world
    for surface, links in surfaces(client, china).items():
        assert visible.get_absolute_url() in links, surface


def test_hidden_articles_are_on_no_surface(client, world):
    visible, hidden, china = world
    found = surfaces(client, china)
    for reason, article in hidden.items():
        for surface, links in found.items():
            assert article.get_absolute_url() not in links, f"{reason} article listed on {surface}"
    related = article_links(html(client.get(visible.get_absolute_url())))
    for reason, article in hidden.items():
        assert article.get_absolute_url() not in related, f"{reason} article in 相关阅读"


@pytest.mark.parametrize("reason", ["draft", "pending", "embargoed", "hidden channel"])
def test_hidden_article_page_is_404(client, world, reason):
    _, hidden, _ = world
    assert client.get(hidden[reason].get_absolute_url()).status_code == 404


def test_withdrawn_article_page_is_410_with_notice(client, world):
    _, hidden, _ = world
    response = client.get(hidden["withdrawn"].get_absolute_url())
    assert response.status_code == 410
    page = html(response)
    assert page.xpath("//h1")[0].text_content() == "这篇文章已撤下"
    assert "撤下的文章" not in response.content.decode()


def test_withdrawing_removes_from_every_surface(client, world):
    visible, _, china = world
    visible.status = Article.Status.WITHDRAWN
    visible.save()
    for surface, links in surfaces(client, china).items():
        assert visible.get_absolute_url() not in links, surface
    assert client.get(visible.get_absolute_url()).status_code == 410


def test_hiding_a_channel_hides_its_subtree(client, world):
    visible, _, china = world
    news = china.parent
    news.live = False
    news.save()
    china.refresh_from_db()
    assert china.public is False
    assert client.get(china.get_absolute_url()).status_code == 404
    assert client.get(visible.get_absolute_url()).status_code == 404
    assert visible.get_absolute_url() not in article_links(html(client.get("/")))
