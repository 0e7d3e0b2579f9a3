"""The Traditional edition under /zh-hant/: converted text, links that stay in the edition, hreflang."""

from __future__ import annotations

import pytest

from tests import factories
from tests.reader.pages import html

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    news = factories.channel("news", "新闻频道")
    city = factories.channel("city", "国内新闻", parent=news)
    return factories.article(city, "网络课堂让乡村学校用上优质软件", lede="县里的学校通过网络听城里老师讲课。",
                             body="<p>这套软件由志愿者团队开发,已经覆盖三十所学校。</p>")


def test_article_page_in_traditional(client, article):
    response = client.get(f"/zh-hant{article.get_absolute_url()}")
    assert response.status_code == 200 and response["Content-Language"] == "zh-Hant"
    page = html(response)
    assert page.get("lang") == "zh-Hant"
    assert page.xpath("string(//h1)") == "網路課堂讓鄉村學校用上優質軟體"  # s2twp: Taiwan phrasing
    assert "志願者團隊開發" in page.xpath("string(//div[@class='article-body'])")
    crumbs = page.xpath("//nav[contains(@class,'breadcrumbs')]//a/@href")
    assert crumbs == ["/zh-hant/", "/zh-hant/news/", "/zh-hant/news/city/"]
    assert page.xpath("string((//nav[contains(@class,'breadcrumbs')]//a)[3])") == "國內新聞"
    # Feeds have an edition; static files and sitemaps (which list both editions) do not.
    assert "/zh-hant/feed/rss.xml" in page.xpath("//link[@type='application/rss+xml']/@href")
    assert all(href.startswith("/static/") for href in page.xpath("//link[@rel='stylesheet']/@href"))
    assert "/sitemap.xml" in page.xpath("//a/@href")


def test_both_editions_announce_each_other_and_switch(client, article):
    for prefix, other in (("", "/zh-hant"), ("/zh-hant", "")):
        page = html(client.get(f"{prefix}{article.get_absolute_url()}"))
        alternates = dict(zip(page.xpath("//link[@hreflang]/@hreflang"), page.xpath("//link[@hreflang]/@href"), strict=True))
        assert alternates["zh-Hans"] == f"http://testserver{article.get_absolute_url()}"
        assert alternates["zh-Hant"] == f"http://testserver/zh-hant{article.get_absolute_url()}"
        switch = page.xpath("//nav[@class='script-switch']//a")[0]
        assert switch.get("href") == f"{other}{article.get_absolute_url()}"
    hant = html(client.get(f"/zh-hant{article.get_absolute_url()}"))
    assert hant.xpath("string(//nav[@class='script-switch']//a)") == "简体"  # the way back stays readable


def test_home_channel_and_search_in_traditional(client, article):
    assert html(client.get("/zh-hant/")).xpath("//a[@href='/zh-hant/news/']")
    assert client.get("/zh-hant/news/city/").status_code == 200
    results = html(client.get("/zh-hant/search", {"q": "網路課堂"}))
    assert f"/zh-hant{article.get_absolute_url()}" in results.xpath("//a/@href")


def test_no_edition_for_machinery(client, article):
    for path in ("/zh-hant/admin/", "/zh-hant/sitemap.xml", "/zh-hant/static/reader/site.css", "/zh-hant/api/v1/channels"):
        assert client.get(path).status_code == 404, path
    assert client.get("/zh-hant/a/999999.html").status_code == 404


def test_redirects_stay_in_the_edition(client, article):
    response = client.get("/zh-hant/news/city/index_1.html")
    assert response.status_code == 301 and response["Location"] == "/zh-hant/news/city/"
