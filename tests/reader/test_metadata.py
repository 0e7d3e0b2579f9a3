"""What crawlers and share cards read: JSON-LD, Open Graph, Twitter cards, canonical URLs; HTTP methods."""

from __future__ import annotations

import pytest

from tests import factories
from tests.reader.pages import html, jsonld

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    news = factories.channel("news", "新闻频道")
    return factories.channel("city", "国内新闻", parent=news)


def _types(nodes) -> dict[str, dict]:
    return {node["@type"]: node for node in nodes}


def _meta(page, name: str) -> list[str]:
    return page.xpath(f"//meta[@property='{name}' or @name='{name}']/@content")


def test_news_article_has_what_google_requires_in_both_editions(client, city):
    with_image = factories.article(city, "网络课堂开课", body='<p>正文。</p><figure><img src="/media/img/ab/cd.jpg" alt="课堂"></figure>')
    plain = factories.article(city, "没有图片的文章", body="<p>只有文字。</p>")
    for prefix, lang in (("", "zh-Hans"), ("/zh-hant", "zh-Hant")):
        node = _types(jsonld(html(client.get(f"{prefix}{with_image.get_absolute_url()}"))))["NewsArticle"]
        assert node["inLanguage"] == lang
        assert node["image"] == ["http://testserver/media/img/ab/cd.jpg"]
        assert node["url"] == f"http://testserver{prefix}{with_image.get_absolute_url()}"
        logo = node["publisher"]["logo"]
        assert logo["@type"] == "ImageObject" and logo["url"].startswith("http://testserver/static/reader/logo")
        assert node["datePublished"] and node["dateModified"] and node["headline"] and node["author"]["name"]
    fallback = _types(jsonld(html(client.get(plain.get_absolute_url()))))["NewsArticle"]["image"][0]
    assert fallback["width"] >= 1200 and fallback["url"].startswith("http://testserver/static/reader/share")


def test_date_modified_follows_content_changes_only(client, city):
    article = factories.article(city, "会被修改的文章", hours_ago=30)

    def modified() -> str:
        return _types(jsonld(html(client.get(article.get_absolute_url()))))["NewsArticle"]["dateModified"]

    first = modified()
    assert first == _types(jsonld(html(client.get(article.get_absolute_url()))))["NewsArticle"]["datePublished"]
    article.save()
    assert modified() == first
    article.body = "<p>更正后的正文。</p>"
    article.save()
    assert modified() > first


def test_home_and_channel_pages_describe_the_site(client, city):
    article = factories.article(city, "频道里的文章")
    for path in ("/", "/zh-hant/", city.get_absolute_url(), f"/zh-hant{city.get_absolute_url()}"):
        nodes = _types(jsonld(html(client.get(path))))
        assert {"WebSite", "Organization", "CollectionPage"} <= set(nodes), path
        action = nodes["WebSite"]["potentialAction"]
        assert action["@type"] == "SearchAction" and "{search_term_string}" in action["target"]["urlTemplate"]
        items = nodes["CollectionPage"]["mainEntity"]["itemListElement"]
        prefix = "/zh-hant" if path.startswith("/zh-hant") else ""
        assert f"http://testserver{prefix}{article.get_absolute_url()}" in [item["url"] for item in items], path
        assert nodes["CollectionPage"]["inLanguage"] == ("zh-Hant" if prefix else "zh-Hans")


def test_open_graph_and_twitter_cards(client, city):
    article = factories.article(city, "分享卡片上的标题", lede="导语写在这里。")
    for prefix, locale, other in (("", "zh_CN", "zh_TW"), ("/zh-hant", "zh_TW", "zh_CN")):
        page = html(client.get(f"{prefix}{article.get_absolute_url()}?utm_source=x&from=timeline"))
        assert _meta(page, "og:url") == [f"http://testserver{prefix}{article.get_absolute_url()}"]
        assert _meta(page, "og:locale") == [locale] and _meta(page, "og:locale:alternate") == [other]
        assert _meta(page, "og:site_name") and _meta(page, "og:description")[0]
        assert _meta(page, "og:image")[0].startswith("http://testserver/")
        assert _meta(page, "twitter:card") == ["summary_large_image"]
        assert _meta(page, "twitter:title") == _meta(page, "og:title")
    for path in ("/", city.get_absolute_url()):
        page = html(client.get(path))
        assert _meta(page, "og:type") == ["website"] and _meta(page, "og:image"), path


def test_canonical_urls_carry_no_query(client, city):
    for index in range(25):
        factories.article(city, f"第{index}篇", hours_ago=index + 1)
    for path, canonical in (("/?utm_source=x", "/"), ("/zh-hant/?from=app", "/zh-hant/"),
                            (f"{city.get_absolute_url()}?utm_source=x&page=999", city.get_absolute_url()),
                            (f"{city.get_absolute_url()}index_2.html?spm=1", f"{city.get_absolute_url()}index_2.html")):
        page = html(client.get(path))
        assert page.xpath("//link[@rel='canonical']/@href") == [f"http://testserver{canonical}"], path
        alternates = dict(zip(page.xpath("//link[@hreflang]/@hreflang"), page.xpath("//link[@hreflang]/@href"), strict=True))
        assert alternates["x-default"] == alternates["zh-Hans"] and "?" not in alternates["zh-Hant"]
    assert client.get(f"{city.get_absolute_url()}index_99.html").status_code == 404  # past the last page


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_other_methods_get_a_branded_405(client, city, method):
    article = factories.article(city)
    for path in (article.get_absolute_url(), f"/zh-hant{article.get_absolute_url()}", "/", city.get_absolute_url(),
                 "/feed/rss.xml", "/sitemap.xml"):
        response = getattr(client, method)(path)
        assert response.status_code == 405, (method, path)
        assert response["Allow"] == "GET, HEAD"
        page = html(response)
        assert page.xpath("//footer[contains(@class,'site-footer')]"), path  # the site's own layout
        heading = page.xpath("string(//h1)")
        assert heading == ("不支援這種請求" if path.startswith("/zh-hant") else "不支持这种请求"), path


def test_an_over_long_search_gets_a_page_that_says_so(client, city):
    factories.article(city, "长长的搜索")
    assert client.get("/search", {"q": "长" * 200}).status_code == 200  # the limit itself is fine
    for prefix in ("", "/zh-hant"):
        response = client.get(f"{prefix}/search", {"q": "长" * 750})
        assert response.status_code == 414
        page = html(response)
        assert "750" in page.xpath("string(//div[@role='alert'])") and "200" in page.xpath("string(//div[@role='alert'])")
        assert len(page.xpath("string(//input[@id='search-q']/@value)")) == 200  # kept to go on with
