"""Sitemap index, article and channel sitemaps, and the Google News sitemap (last two days only)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from huiwen.newsroom.models import Article
from tests import factories
from tests.reader.pages import xml

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "news": "http://www.google.com/schemas/sitemap-news/0.9"}


@pytest.fixture
def china():
    return factories.channel("china", "国内新闻", parent=factories.channel("news", "新闻频道"))


def test_index_lists_every_section(client, china):
    factories.article(china)
    index = xml(client.get("/sitemap.xml"))
    locs = index.xpath("/s:sitemapindex/s:sitemap/s:loc/text()", namespaces=NS)
    assert sorted(locs) == [f"http://testserver/sitemap-{name}.xml" for name in ("articles", "channels", "news")]
    for loc in locs:
        assert client.get(loc.removeprefix("http://testserver")).status_code == 200


def test_article_and_channel_sitemaps(client, china):
    article = factories.article(china)
    articles = xml(client.get("/sitemap-articles.xml"))
    assert articles.xpath("//s:loc/text()", namespaces=NS) == [f"http://testserver{article.get_absolute_url()}"]
    assert articles.xpath("//s:lastmod/text()", namespaces=NS)
    channels = xml(client.get("/sitemap-channels.xml"))
    assert channels.xpath("//s:loc/text()", namespaces=NS) == ["http://testserver/news/", "http://testserver/news/china/"]


def test_news_sitemap_holds_only_the_last_two_days(client, china):
    fresh = factories.article(china, "今天的新闻", hours_ago=3)
    edge = factories.article(china, "差一点两天的新闻", hours_ago=47)
    factories.article(china, "三天前的新闻", hours_ago=72)
    factories.article(china, "草稿", hours_ago=1, status=Article.Status.DRAFT)
    document = xml(client.get("/sitemap-news.xml"))
    urls = document.xpath("/s:urlset/s:url", namespaces=NS)
    titles = [url.xpath("string(news:news/news:title)", namespaces=NS) for url in urls]
    assert titles == [fresh.title, edge.title]
    first = urls[0]
    assert first.xpath("string(news:news/news:publication/news:name)", namespaces=NS) == "汇闻"
    assert first.xpath("string(news:news/news:publication/news:language)", namespaces=NS) == "zh"
    published = first.xpath("string(news:news/news:publication_date)", namespaces=NS)
    assert published == timezone.localtime(fresh.published_at).isoformat()


def test_sitemap_conditional_get(client, china):
    factories.article(china, hours_ago=5)
    Article.objects.update(updated_at=timezone.now() - timedelta(hours=1))
    urls = ["/sitemap.xml", "/sitemap-articles.xml", "/sitemap-news.xml"]
    stamps = {url: client.get(url)["Last-Modified"] for url in urls}
    for url, stamp in stamps.items():
        assert client.get(url, headers={"if-modified-since": stamp}).status_code == 304, url
    factories.article(china, "新文章")
    for url, stamp in stamps.items():
        assert client.get(url, headers={"if-modified-since": stamp}).status_code == 200, url


def test_unknown_sitemap_section_is_404(client):
    assert client.get("/sitemap-nothing.xml").status_code == 404
