"""RSS and Atom feeds read back with feedparser; conditional GET answers 304 until something changes."""

from __future__ import annotations

from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone

from huiwen.newsroom.models import Article
from tests import factories
from tests.reader.pages import html

pytestmark = pytest.mark.django_db


@pytest.fixture
def channels():
    news = factories.channel("news", "新闻频道")
    return news, factories.channel("china", "国内新闻", parent=news), factories.channel("sports", "体育")


def test_site_feeds_parse_with_items_newest_first(client, channels):
    _, china, sports = channels
    older = factories.article(china, "较早的新闻", hours_ago=5, original_author="记者 林晓")
    newer = factories.article(sports, "较新的比赛", hours_ago=1)
    for url, version in [("/feed/rss.xml", "rss20"), ("/feed/atom.xml", "atom10")]:
        feed = feedparser.parse(client.get(url).content)
        assert feed.bozo == 0, feed.bozo_exception
        assert feed.version == version
        assert feed.feed.title == "汇闻 - 最新文章"
        assert [entry.title for entry in feed.entries] == [newer.title, older.title]
        assert feed.entries[0].link == f"http://testserver{newer.get_absolute_url()}"
        assert feed.entries[1].published_parsed[:4] == older.published_at.utctimetuple()[:4]
        assert feed.entries[1].author == "记者 林晓"
        assert feed.entries[1].tags[0].term == "国内新闻"


def test_channel_feed_holds_its_subtree_only(client, channels):
    news, china, sports = channels
    inside = factories.article(china, "频道内的新闻")
    factories.article(sports, "别的频道")
    for suffix in ("rss.xml", "atom.xml"):
        feed = feedparser.parse(client.get(f"/{news.path}/{suffix}").content)
        assert [entry.title for entry in feed.entries] == [inside.title]
        assert feed.feed.title == "汇闻 - 新闻频道"


def test_feeds_are_advertised_in_every_page_head(client, channels):
    _, china, _ = channels
    article = factories.article(china)
    for url in ["/", china.get_absolute_url(), article.get_absolute_url()]:
        head = html(client.get(url)).xpath("//head")[0]
        types = head.xpath("./link[@rel='alternate']/@type")
        assert "application/rss+xml" in types and "application/atom+xml" in types, url
    channel_head = html(client.get(china.get_absolute_url())).xpath("//head")[0]
    assert f"/{china.path}/rss.xml" in channel_head.xpath("./link[@rel='alternate']/@href")


def test_unknown_channel_feed_is_404(client, channels):
    assert client.get("/no-such-channel/rss.xml").status_code == 404


@pytest.mark.parametrize("url", ["/feed/rss.xml", "/feed/atom.xml", "/news/rss.xml"])
def test_conditional_get_304_then_200_after_a_withdrawal(client, channels, url):
    _, china, _ = channels
    article = factories.article(china, "会被撤下的新闻", hours_ago=2)
    # Pretend the last change was an hour ago, so "now" is distinguishable at one-second resolution.
    Article.objects.update(updated_at=timezone.now() - timedelta(hours=1))
    first = client.get(url)
    last_modified = first["Last-Modified"]
    assert client.get(url, headers={"if-modified-since": last_modified}).status_code == 304

    article.status = Article.Status.WITHDRAWN
    article.save()
    after = client.get(url, headers={"if-modified-since": last_modified})
    assert after.status_code == 200
    assert feedparser.parse(after.content).entries == []


@pytest.mark.parametrize("suffix", ["feed/rss.xml", "feed/atom.xml", "news/rss.xml", "news/china/atom.xml"])
def test_traditional_feeds(client, channels, suffix):
    _, china, _ = channels
    article = factories.article(china, "网络课堂让乡村学校用上优质软件", hours_ago=2, original_author="记者 林晓")
    response = client.get(f"/zh-hant/{suffix}")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.bozo_exception
    assert feed.feed.language == "zh-tw"
    assert feed.feed.title.startswith("匯聞 - ")
    assert feed.feed.link == "http://testserver/zh-hant/" + ("" if suffix.startswith("feed") else suffix.rsplit("/", 1)[0] + "/")
    entry = feed.entries[0]
    assert entry.title == "網路課堂讓鄉村學校用上優質軟體"
    assert entry.link == f"http://testserver/zh-hant{article.get_absolute_url()}"
    assert entry.author == "記者 林曉"
    assert entry.tags[0].term == "國內新聞"
    simplified = feedparser.parse(client.get(f"/{suffix}").content)
    assert simplified.feed.language == "zh-cn" and simplified.entries[0].title == article.title


def test_traditional_pages_advertise_traditional_feeds(client, channels):
    _, china, _ = channels
    head = html(client.get(f"/zh-hant{china.get_absolute_url()}")).xpath("//head")[0]
    hrefs = head.xpath("./link[@rel='alternate'][@type='application/rss+xml']/@href")
    assert "/zh-hant/feed/rss.xml" in hrefs and f"/zh-hant/{china.path}/rss.xml" in hrefs


def test_a_feed_reads_its_entries_and_their_last_changes_in_a_fixed_number_of_queries(client, channels):
    """Each entry's <updated> is its last content change (an edit after publication), read with the
    entries: a feed of many entries costs the queries of a feed of one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _, china, _ = channels
    edited = factories.article(china, "先发的新闻", hours_ago=6)
    edited.title = "后来改过标题的新闻"
    edited.save()

    def read() -> tuple[int, feedparser.FeedParserDict]:
        with CaptureQueriesContext(connection) as captured:
            feed = feedparser.parse(client.get("/feed/atom.xml").content)
        return len(captured), feed

    few, feed = read()
    entry = next(entry for entry in feed.entries if entry.title == edited.title)
    assert entry.updated_parsed > entry.published_parsed
    for number in range(8):
        factories.article(china, f"又一篇新闻{number}", hours_ago=number + 1)
    many, feed = read()
    assert len(feed.entries) == 9
    assert many == few
