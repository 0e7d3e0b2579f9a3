"""The article page shows the seed's parts, in the seed's order, with JSON-LD and a canonical link."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest

from huiwen.newsroom.models import Article
from tests import factories
from tests.reader.pages import html, jsonld, text

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def tree():
    news = factories.channel("news", "新闻频道")
    china = factories.channel("china", "国内新闻", parent=news)
    return news, china


@pytest.fixture
def commentary(tree):
    _, china = tree
    publisher = factories.publisher("江南日报-江南网", url="https://www.jiangnan-daily.example/", newspaper="江南日报")
    return factories.article(
        china,
        "让城市的老街也能连上新网络(江声)",
        column="江声",
        original_title="让城市的老街也能连上新网络",
        original_author="记者 顾晓川",
        editor="沈一鸣",
        lede="老街改造不只是修路补墙,更要让居民用上便捷的数字服务。",
        body="<p>清晨的南塘老街,茶馆刚刚开门。</p><p>街道办事处说,光纤已经铺到每一户。</p>",
        published_at=datetime(2026, 11, 10, 8, 42, tzinfo=SHANGHAI),
        publisher=publisher,
        source_url="https://www.jiangnan-daily.example/n1/2026/1110/c1003-1.html",
        print_newspaper="江南日报",
        print_date=datetime(2026, 11, 10).date(),
        print_page="03",
    )


def test_parts_present_and_in_seed_order(client, tree, commentary):
    _, china = tree
    neighbour = factories.article(
        china, "南塘老街夜市重新开张", body="<p>" + "夜市的灯笼一盏盏亮起来,摊主们忙着招呼客人。" * 10 + "</p>"
    )
    page = html(client.get(commentary.get_absolute_url()))
    main = page.xpath("//main")[0]

    crumbs = [text(a) for a in main.xpath(".//nav[contains(@class,'breadcrumbs')]//a")]
    assert crumbs == ["首页", "新闻频道", "国内新闻"]
    assert [text(s) for s in main.xpath(".//nav[contains(@class,'breadcrumbs')]//span[@class='sep']")] == ["»", "»"]

    title = main.xpath(".//h1")[0]
    assert text(title) == "让城市的老街也能连上新网络(江声)"
    time = main.xpath(".//p[@class='article-meta']/time")[0]
    assert text(time) == "2026-11-10 08:42:00"
    assert time.get("datetime") == "2026-11-10T08:42:00+08:00"
    source = main.xpath(".//p[@class='article-meta']/span[@class='source']")[0]
    assert text(source) == "来源:江南日报-江南网"
    # The 来源 link lists what the outlet published (issue 17); the original is under 原链接.
    assert source.xpath("./a/@href") == ["/search?" + urlencode({"q": '来源:"江南日报-江南网"', "sort": "new"})]
    lede = main.xpath(".//p[@class='lede']")[0]
    assert text(lede).startswith("老街改造不只是修路补墙")
    body = main.xpath(".//div[@class='article-body']")[0]
    paragraphs = [text(p) for p in body.xpath("./p")]
    assert paragraphs == ["清晨的南塘老街,茶馆刚刚开门。", "街道办事处说,光纤已经铺到每一户。"]
    citation = main.xpath(".//p[@class='print-citation']")[0]
    assert citation.text_content() == "《 江南日报 》( 2026年11月10日 03 版)"
    related = main.xpath(".//section[contains(@class,'related')]")[0]
    assert text(related.xpath(".//h2")[0]) == "相关阅读"
    item = related.xpath(".//li")[0]
    assert text(item.xpath(".//h3")[0]) == "南塘老街夜市重新开张"
    excerpt = text(item.xpath(".//p[@class='excerpt']")[0])
    assert excerpt.endswith("...") and len(excerpt) == 83
    assert text(item.xpath(".//p[@class='when']")[0]) == f"时间:{neighbour.published_at.astimezone(SHANGHAI):%m-%d}"
    disclaimer = main.xpath(".//aside[contains(@class,'disclaimer')]")[0]
    assert disclaimer.xpath(".//a/@href") == ["/takedown/"]

    order = [crumbs_nav := main.xpath(".//nav[contains(@class,'breadcrumbs')]")[0], title, time, source, lede,
             body, citation, related, disclaimer]
    positions = [list(main.iter()).index(element) for element in order]
    assert positions == sorted(positions), "parts out of the seed's order"
    assert crumbs_nav is not None

    footer = main.xpath(".//footer[@class='attribution']")[0]
    attribution = {text(dt): text(dd) for dt, dd in zip(footer.xpath(".//dt"), footer.xpath(".//dd"), strict=True)}
    assert attribution["原作者"] == "记者 顾晓川"
    assert attribution["责任编辑"] == "沈一鸣"
    assert attribution["原标题"] == "让城市的老街也能连上新网络"
    assert attribution["原链接"] == commentary.source_url
    assert footer.xpath(".//dd/a/@href") == [commentary.source_url]


def test_print_citation_absent_when_unknown(client, tree):
    article = factories.article(tree[1], "没有见报的网络稿件")
    page = html(client.get(article.get_absolute_url()))
    assert page.xpath("//p[@class='print-citation']") == []


def test_jsonld_news_article_and_breadcrumbs(client, commentary):
    nodes = {node["@type"]: node for node in jsonld(html(client.get(commentary.get_absolute_url())))}
    news = nodes["NewsArticle"]
    assert news["headline"] == commentary.title
    assert news["datePublished"] == commentary.published_at.isoformat()
    assert news["author"]["name"] == "记者 顾晓川"
    assert news["sourceOrganization"]["name"] == "江南日报-江南网"
    assert news["isBasedOn"] == commentary.source_url
    trail = [(item["position"], item["name"]) for item in nodes["BreadcrumbList"]["itemListElement"]]
    assert trail == [(1, "首页"), (2, "新闻频道"), (3, "国内新闻")]


def test_jsonld_cannot_break_out_of_script(client, tree):
    article = factories.article(tree[1], "标题里有</script><b>标签</b>")
    page_source = client.get(article.get_absolute_url()).content.decode()
    script = page_source.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in script
    nodes = jsonld(html(client.get(article.get_absolute_url())))
    assert nodes[0]["headline"] == "标题里有</script><b>标签</b>"


def test_canonical_points_to_original_by_default(client, commentary):
    page = html(client.get(commentary.get_absolute_url()))
    assert page.xpath("//link[@rel='canonical']/@href") == [commentary.source_url]


def test_canonical_setting_switches_to_own_url(client, settings, commentary):
    settings.HUIWEN = {**settings.HUIWEN, "CANONICAL": "self"}
    page = html(client.get(commentary.get_absolute_url()))
    assert page.xpath("//link[@rel='canonical']/@href") == [f"http://testserver{commentary.get_absolute_url()}"]


def test_related_excludes_itself_and_caps_at_ten(client, tree):
    _, china = tree
    articles = [factories.article(china, f"同频道文章{i}", hours_ago=i) for i in range(1, 14)]
    page = html(client.get(articles[0].get_absolute_url()))
    links = page.xpath("//section[contains(@class,'related')]//h3/a/@href")
    assert len(links) == 10
    assert articles[0].get_absolute_url() not in links


def test_body_is_sanitised_before_storage(tree):
    article = factories.article(
        tree[1], body='<p onclick="steal()">正文<script>alert(1)</script><a href="javascript:x()">链接</a></p>'
    )
    stored = Article.objects.get(pk=article.pk).body
    assert "script" not in stored and "onclick" not in stored and "javascript:" not in stored
    assert "正文" in stored
