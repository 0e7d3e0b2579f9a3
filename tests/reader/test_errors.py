"""Bad URLs answer 404 (never 500) with the site's own page; bad methods 405."""

from __future__ import annotations

import pytest

from tests import factories
from tests.reader.pages import html

pytestmark = pytest.mark.django_db


@pytest.fixture
def china():
    news = factories.channel("news", "新闻频道")
    china = factories.channel("china", "国内新闻", parent=news)
    for hours in range(1, 4):
        factories.article(china, hours_ago=hours)
    return china


@pytest.mark.parametrize(
    "url",
    [
        "/a/999999.html",
        "/a/abc.html",
        "/a/1.htm",
        "/a/99999999999999999999999999.html",
        "/no-such-channel/",
        "/news/no-such-child/",
        "/news/china/index_0.html",
        "/news/china/index_2.html",
        "/news/china/index_999999.html",
        "/news/china/index_x.html",
        "/NEWS/",
        "/news//china/",
        "/%E6%96%B0%E9%97%BB/",
        "/news/china/rss.xml/extra",
        "/sitemap-%00.xml",
        "/a/1.html/%3Cscript%3E",
    ],
)
def test_bad_urls_are_404_in_site_layout(client, china, url):
    response = client.get(url)
    assert response.status_code == 404
    assert html(response).xpath("//h1")[0].text_content() == "页面不存在"


def test_page_one_redirects_to_the_channel_url(client, china):
    response = client.get("/news/china/index_1.html")
    assert response.status_code == 301 and response["Location"] == "/news/china/"


def test_channel_pagination(client, settings, china):
    settings.HUIWEN = {**settings.HUIWEN, "PAGE_SIZE": 2}
    first = html(client.get("/news/china/"))
    assert len(first.xpath("//ul[@class='article-list']/li")) == 2
    assert first.xpath("//nav[@class='pagination']//a[@rel='next']/@href") == ["/news/china/index_2.html"]
    second = html(client.get("/news/china/index_2.html"))
    assert len(second.xpath("//ul[@class='article-list']/li")) == 1
    assert second.xpath("//nav[@class='pagination']//a[@rel='prev']/@href") == ["/news/china/"]
    assert client.get("/news/china/index_3.html").status_code == 404


def test_post_to_a_page_is_405(client, china):
    assert client.post("/news/china/").status_code in (403, 405)
    assert client.put("/").status_code == 405
