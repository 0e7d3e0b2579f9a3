"""Sitemap index, article and channel sitemaps, and the Google News sitemap (last two days only)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from huiwen.newsroom.models import Article
from tests import factories
from tests.reader.pages import xml

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "news": "http://www.google.com/schemas/sitemap-news/0.9",
      "x": "http://www.w3.org/1999/xhtml"}


@pytest.fixture
def china():
    return factories.channel("china", "国内新闻", parent=factories.channel("news", "新闻频道"))


def test_index_lists_every_section(client, china):
    factories.article(china)
    index = xml(client.get("/sitemap.xml"))
    locs = index.xpath("/s:sitemapindex/s:sitemap/s:loc/text()", namespaces=NS)
    sections = ("articles", "articles-zh-hant", "channels", "channels-zh-hant", "news", "news-zh-hant")
    assert sorted(locs) == sorted(f"http://testserver/sitemap-{name}.xml" for name in sections)
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
    # Google News takes zh-cn or zh-tw for Chinese, never plain zh.
    assert first.xpath("string(news:news/news:publication/news:language)", namespaces=NS) == "zh-cn"
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


def _alternates(url) -> dict[str, str]:
    links = url.xpath("x:link[@rel='alternate']", namespaces=NS)
    return {link.get("hreflang"): link.get("href") for link in links}


def test_both_editions_listed_each_naming_every_version(client, china):
    article = factories.article(china, "网络课堂开课", hours_ago=2)
    plain = f"http://testserver{article.get_absolute_url()}"
    hant = f"http://testserver/zh-hant{article.get_absolute_url()}"
    expected = {"zh-Hans": plain, "zh-Hant": hant, "x-default": plain}
    for section, loc in (("articles", plain), ("articles-zh-hant", hant), ("news", plain), ("news-zh-hant", hant)):
        urls = xml(client.get(f"/sitemap-{section}.xml")).xpath("/s:urlset/s:url", namespaces=NS)
        assert [url.xpath("string(s:loc)", namespaces=NS) for url in urls] == [loc], section
        assert _alternates(urls[0]) == expected, section
    channels = xml(client.get("/sitemap-channels-zh-hant.xml"))
    assert channels.xpath("//s:loc/text()", namespaces=NS) == ["http://testserver/zh-hant/news/",
                                                               "http://testserver/zh-hant/news/china/"]
    news = xml(client.get("/sitemap-news-zh-hant.xml")).xpath("//news:news", namespaces=NS)[0]
    assert news.xpath("string(news:publication/news:language)", namespaces=NS) == "zh-tw"
    assert news.xpath("string(news:title)", namespaces=NS) == "網路課堂開課"
    assert news.xpath("string(news:publication/news:name)", namespaces=NS) == "匯聞"


def test_lastmod_is_the_last_content_change_not_any_save(client, china):
    article = factories.article(china, "原来的标题", hours_ago=30)

    def lastmod() -> str:
        return xml(client.get("/sitemap-articles.xml")).xpath("string(//s:lastmod)", namespaces=NS)

    assert lastmod() == timezone.localtime(article.published_at).isoformat()  # never changed: its publication
    article.save()  # a save that changes nothing readers see (bookkeeping)
    assert lastmod() == timezone.localtime(article.published_at).isoformat()
    article.title = "改过的标题"
    article.save()
    changed = lastmod()
    assert changed > timezone.localtime(article.published_at).isoformat()
    assert abs((timezone.now() - datetime.fromisoformat(changed)).total_seconds()) < 60


@pytest.mark.parametrize("news", [False, True])
def test_the_written_sections_equal_what_their_templates_render(news):
    """UrlsetWriter writes each section without the template engine: the same text as the template,
    for values that need escaping, entries with and without lastmod, naive and aware times."""
    from django.template.loader import render_to_string

    from huiwen.reader.sitemaps import NewsSitemap, UrlsetWriter

    aware = timezone.now().replace(microsecond=123456)
    awkward = ["a&b", "<标题>", "他说\"好\"", "it's", "  ", " 前后空格 ", "換行\n之後", "漢字"]
    urls = []
    for number, text in enumerate(awkward):
        url = {"location": f"http://testserver/a/{number}.html?x=1&y='2'",
               "alternates": [{"lang_code": "zh-Hans", "location": f"http://testserver/a/{number}.html"},
                              {"lang_code": "x-default", "location": f"http://testserver/a/{number}.html&{text}"}]}
        if number % 3:
            url["lastmod"] = aware - timedelta(days=number) if number % 2 else datetime(2023, 11, 10, 3, 4, 5)
        url["news"] = {"publication": {"name": f"汇闻{text}", "language": "zh-cn"},
                       "title": text, "publication_date": aware - timedelta(hours=number)}
        urls.append(url)
    template = NewsSitemap.template_name if news else "reader/sitemap.xml"
    for urlset in (urls, urls[:1], []):
        assert UrlsetWriter(template, news).render({"urlset": urlset}) == render_to_string(template, {"urlset": urlset})


def test_one_run_counts_and_reads_each_scope_once_and_writes_the_same_sections(client, china):
    """The static publisher renders the index and every section of both editions inside read_once:
    the articles are counted once and their page read once, and every section is what it is alone."""
    from huiwen.publish import pagecache
    from huiwen.reader.sitemaps import SITEMAPS, read_once

    for number in range(4):
        factories.article(china, hours_ago=number + 1)
    urls = ["/sitemap.xml", *(f"/sitemap-{section}.xml" for section in SITEMAPS)]

    def render() -> tuple[list[bytes], int, int]:
        with CaptureQueriesContext(connection) as captured:
            bodies = [client.get(url).content for url in urls]
        on_articles = [q["sql"] for q in captured.captured_queries if 'FROM "newsroom_article"' in q["sql"]]
        counts = sum("COUNT(" in sql for sql in on_articles)
        listings = sum("ORDER BY" in sql and "COUNT(" not in sql for sql in on_articles)  # a page of a section
        return bodies, counts, listings

    token = pagecache.bypass.set(True)  # rendered, as the publisher renders, not from the page cache
    try:
        alone, counts_alone, listings_alone = render()
        with read_once():
            together, counts_together, listings_together = render()
    finally:
        pagecache.bypass.reset(token)
    assert together == alone
    assert (counts_together, listings_together) == (2, 2)  # articles and news: counted once, one page each
    assert counts_alone > counts_together and listings_alone == 4  # one page each per edition


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5", "2", "99999999999999999999"])
def test_a_page_of_a_section_that_does_not_exist_is_404(client, china, page):
    from huiwen.reader.sitemaps import read_once

    factories.article(china)
    assert client.get(f"/sitemap-articles.xml?p={page}").status_code == 404
    with read_once():
        assert client.get(f"/sitemap-articles-zh-hant.xml?p={page}").status_code == 404
