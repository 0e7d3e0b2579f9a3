"""Static publishing: the whole site as files, then only what a change touches."""

from __future__ import annotations

import feedparser
import lxml.html
import pytest
from django.core.management import call_command

from huiwen.newsroom import actions
from huiwen.publish.static import publish
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(settings):
    settings.HUIWEN = {**settings.HUIWEN, "PAGE_SIZE": 2}
    news = factories.channel("news", "新闻频道")
    city = factories.channel("city", "城市", parent=news)
    sports = factories.channel("sports", "体育")
    articles = [factories.article(city, f"城市新闻{i}", hours_ago=10 - i) for i in range(5)]
    articles.append(factories.article(sports, "篮球联赛开幕", hours_ago=1))
    return articles


def read(root, relative):
    return lxml.html.fromstring((root / relative).read_text(encoding="utf-8"))


def test_full_build_writes_every_page(site, tmp_path):
    report = publish(tmp_path / "out", full=True)
    root = tmp_path / "out"
    assert report.full and report.written > 0
    for relative in ["index.html", "news/index.html", "news/city/index.html", "news/city/index_2.html",
                     "news/city/index_3.html", "sports/index.html", "feed/rss.xml", "feed/atom.xml",
                     "news/city/rss.xml", "sitemap.xml", "sitemap-articles.xml", "sitemap-news.xml", "robots.txt",
                     "zh-hant/index.html", "zh-hant/news/city/index.html"]:
        assert (root / relative).exists(), relative
    for article in site:
        page = read(root, f"a/{article.pk}.html")
        assert page.xpath("string(//h1)") == article.title
        assert (root / f"zh-hant/a/{article.pk}.html").exists()
    assert not (root / "news/city/index_4.html").exists()
    feed = feedparser.parse((root / "feed/rss.xml").read_bytes())
    assert len(feed.entries) == len(site)


def test_second_run_touches_nothing(site, tmp_path):
    publish(tmp_path / "out", full=True)
    again = publish(tmp_path / "out")
    assert not again.full and again.written == 0 and again.deleted == 0


def test_editing_one_article_rewrites_only_its_dependents(site, tmp_path, settings):
    settings.HUIWEN = {**settings.HUIWEN, "RELATED_COUNT": 1}
    culture = factories.channel("culture", "文化")
    for number in range(12):  # a bigger site, so one article is not on every page
        factories.article(culture, f"博物馆夜场第{number}期", hours_ago=20 + number,
                          body=f"<p>第{number}期夜场展出了青铜器和书画。</p>")
    publish(tmp_path / "out", full=True)
    target = site[1]
    target.title = "城市新闻一(更新)"
    target.save()
    report = publish(tmp_path / "out")
    touched = set(report.touched)
    assert f"a/{target.pk}.html" in touched and f"zh-hant/a/{target.pk}.html" in touched
    assert "news/city/index.html" in touched or "news/city/index_2.html" in touched
    assert "feed/rss.xml" in touched
    assert "sports/index.html" not in touched and "zh-hant/sports/index.html" not in touched
    total = len(list((tmp_path / "out").rglob("*.*")))
    assert len(touched) < total / 2, (len(touched), total)
    assert read(tmp_path / "out", f"a/{target.pk}.html").xpath("string(//h1)") == "城市新闻一(更新)"


def test_withdrawal_removes_the_file_at_once_and_lists_follow(site, tmp_path):
    root = tmp_path / "out"
    publish(root, full=True)
    target = site[2]
    actions.withdraw([target], None, "测试")
    assert not (root / f"a/{target.pk}.html").exists()  # gone before any publish run
    assert not (root / f"zh-hant/a/{target.pk}.html").exists()
    assert not (root / "feed/rss.xml").exists()  # lists that showed it wait for the next run
    report = publish(root)
    assert not (root / f"a/{target.pk}.html").exists()
    feed = feedparser.parse((root / "feed/rss.xml").read_bytes())
    assert all(not entry.link.endswith(f"/a/{target.pk}.html") for entry in feed.entries)
    for relative in ["news/city/index.html", "index.html"]:
        assert f"/a/{target.pk}.html" not in read(root, relative).xpath("//a/@href")
    assert report.written >= 3


def test_publish_command_reports(site, tmp_path, capsys):
    call_command("publish", "--out", str(tmp_path / "cmd"), "--no-progress")
    out = capsys.readouterr().out
    assert "全量发布完成" in out and "页/秒" in out


def test_published_article_pages_equal_the_live_pages(site, tmp_path, client, settings):
    settings.HUIWEN = {**settings.HUIWEN, "SITE_URL": "http://testserver"}
    publish(tmp_path / "out", full=True)
    for article in site[:3]:
        for prefix in ("", "/zh-hant"):
            live = client.get(f"{prefix}{article.get_absolute_url()}").content
            assert (tmp_path / "out" / f"{prefix.lstrip('/')}/a/{article.pk}.html".lstrip("/")).read_bytes() == live


def test_parallel_publishing_writes_the_same_files(site, tmp_path):
    one = publish(tmp_path / "one", full=True)
    two = publish(tmp_path / "two", full=True, workers=2)
    files = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "two") for p in (tmp_path / "two").rglob("*") if p.is_file())
    assert one.written == two.written
    for relative in files:
        if str(relative).startswith(("a/", "zh-hant/a/")):
            assert (tmp_path / "one" / relative).read_bytes() == (tmp_path / "two" / relative).read_bytes()


def test_published_channel_pages_equal_the_live_pages(site, tmp_path, client, settings):
    settings.HUIWEN = {**settings.HUIWEN, "SITE_URL": "http://testserver"}
    publish(tmp_path / "out", full=True)
    for url, relative in [("/news/city/", "news/city/index.html"), ("/news/city/index_2.html", "news/city/index_2.html"),
                          ("/zh-hant/news/city/index_3.html", "zh-hant/news/city/index_3.html"), ("/news/", "news/index.html")]:
        assert (tmp_path / "out" / relative).read_bytes() == client.get(url).content, url


def test_incremental_run_adds_new_and_released_articles_and_grows_lists(site, tmp_path):
    from datetime import timedelta

    from django.utils import timezone

    from huiwen.newsroom.models import Article

    root = tmp_path / "out"
    city = site[0].channel
    embargoed = factories.article(city, "明天早上发布的新闻", published_at=timezone.now() + timedelta(hours=5))
    publish(root, full=True)
    assert not (root / f"a/{embargoed.pk}.html").exists()
    fresh = factories.article(city, "刚刚发布的新闻", hours_ago=0)
    # The embargo passes with nothing saved: only the clock moved.
    Article.objects.filter(pk=embargoed.pk).update(published_at=timezone.now())
    report = publish(root)
    for article in (fresh, embargoed):
        assert read(root, f"a/{article.pk}.html").xpath("string(//h1)") == article.title
    assert (root / "news/city/index_4.html").exists()  # the list grew by a page (2 per page)
    assert report.written < 60


def test_title_edit_leaves_deep_list_pages_alone(site, tmp_path):
    root = tmp_path / "out"
    publish(root, full=True)
    newest = site[4]
    newest.title = "城市新闻四(改标题)"
    newest.save()
    touched = set(publish(root).touched)
    assert "news/city/index.html" in touched
    assert "news/city/index_3.html" not in touched and "news/city/index_2.html" not in touched


@pytest.fixture
def long_lists(site, settings):
    """The city list over six pages of two, of which only the first two are rewritten at once."""
    settings.PUBLISH = {**settings.PUBLISH, "FIRST_LIST_PAGES": 2, "STALE_PAGES_PER_RUN": 3}
    city = site[0].channel
    return site + [factories.article(city, f"城市旧闻{i}", hours_ago=30 + i) for i in range(7)]


def list_pages(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("index*.html") if "city" in str(p) or "news" in str(p))


def test_a_new_article_rewrites_the_first_list_pages_now_and_deep_ones_a_budget_per_run(
        long_lists, tmp_path, client, settings):
    settings.HUIWEN = {**settings.HUIWEN, "SITE_URL": "http://testserver"}
    root = tmp_path / "out"
    publish(root, full=True)
    deep = root / "news/city/index_5.html"
    before = deep.read_bytes()
    fresh = factories.article(long_lists[0].channel, "刚到的城市新闻", hours_ago=0)
    assert not (root / "news/city/index.html").exists()  # first pages: deleted at once, as before
    assert deep.read_bytes() == before  # deep pages stay served until a run refreshes them

    report = publish(root)
    assert {"news/city/index.html", "news/city/index_2.html", f"a/{fresh.pk}.html"} <= set(report.touched)
    assert "news/city/index_7.html" in report.touched  # the page the list grew into: written now
    # Pages 3-6 of news/city and news/, both editions: 16 stale, 3 of them refreshed in this run.
    assert report.stale == 16 - 3
    runs = [report]
    while runs[-1].stale and len(runs) < 10:
        runs.append(publish(root))
    assert [run.stale for run in runs] == [13, 10, 7, 4, 1, 0]
    assert [run.swept for run in runs] == [3, 3, 3, 3, 3, 1]
    assert all(run.written <= 3 for run in runs[1:])
    for relative in list_pages(root):  # converged: every list page as the live site renders it
        url = "/" + relative.removesuffix("index.html")
        assert (root / relative).read_bytes() == client.get(url).content, relative


def test_a_withdrawal_reaches_a_deep_list_page_at_once(long_lists, tmp_path):
    root = tmp_path / "out"
    publish(root, full=True)
    deep_links = read(root, "news/city/index_5.html").xpath("//main//a/@href")
    victim = next(a for a in long_lists if a.get_absolute_url() in deep_links)
    untouched = root / "news/city/index_3.html"
    assert victim.get_absolute_url() not in read(root, "news/city/index_3.html").xpath("//a/@href")
    actions.withdraw([victim], None, "测试")
    assert not (root / "news/city/index_5.html").exists()  # it showed the article: gone at once
    assert untouched.exists()  # a deep page that did not show it waits, as a new article's shift does
    publish(root)
    assert victim.get_absolute_url() not in read(root, "news/city/index_5.html").xpath("//a/@href")


def test_the_publish_command_says_how_many_deep_pages_wait(long_lists, tmp_path, capsys):
    call_command("publish", "--out", str(tmp_path / "cmd"), "--no-progress")
    factories.article(long_lists[0].channel, "刚到的城市新闻", hours_ago=0)
    call_command("publish", "--out", str(tmp_path / "cmd"), "--no-progress")
    assert "个较深的列表页待后续运行更新" in capsys.readouterr().out


def test_the_upgrade_retags_deep_pages_published_before(long_lists, tmp_path):
    """Files written before deep pages had their own tag depend on list:<pk>; the migration moves
    those of deep pages to listdeep:<pk>, so the first new article after the upgrade spares them."""
    from importlib import import_module

    from django.apps import apps

    from huiwen.publish.models import FileTag

    root = tmp_path / "out"
    publish(root, full=True)
    deep = FileTag.objects.filter(tag__startswith="listdeep:")
    tagged = sorted(deep.values_list("file__path", "tag"))
    assert tagged and all(int(path.rsplit("_", 1)[1].removesuffix(".html")) > 2 for path, _ in tagged)
    for row in deep:  # as the old publisher recorded them
        row.tag = row.tag.replace("listdeep:", "list:")
        row.save()
    import_module("huiwen.publish.migrations.0007_retag_deep_list_pages").retag(apps, None)
    assert sorted(FileTag.objects.filter(tag__startswith="listdeep:").values_list("file__path", "tag")) == tagged
    factories.article(long_lists[0].channel, "刚到的城市新闻", hours_ago=0)
    assert (root / "news/city/index_5.html").exists()


def test_incremental_pages_go_in_page_order_and_far_pages_are_read_apart():
    from huiwen.publish.static import _in_page_order, _runs

    urls = ["/news/index_10.html", "/news/index_9.html", "/news/", "/zh-hant/news/index_2.html", "/a/100.html",
            "/a/99.html"]
    assert _in_page_order(urls) == ["/a/99.html", "/a/100.html", "/news/", "/news/index_9.html",
                                    "/news/index_10.html", "/zh-hant/news/index_2.html"]
    assert _runs([2, 3, 4, 9, 3000, 3001]) == [[2, 3, 4, 9], [3000, 3001]]


def test_an_embargo_that_passes_alone_reaches_the_home_page_feeds_and_sitemaps(site, tmp_path):
    """Nothing is saved when an embargo passes, so no tag changes: the run itself finds what the
    newly visible article shows on (its lists, the home page, the site's and its channels' feeds,
    the sitemaps), and leaves the feeds of other channels alone."""
    from datetime import timedelta

    from django.utils import timezone

    from huiwen.newsroom.models import Article

    root = tmp_path / "out"
    city = site[0].channel
    embargoed = factories.article(city, "明天早上发布的新闻", published_at=timezone.now() + timedelta(hours=5))
    publish(root, full=True)
    sports_feed = (root / "sports/rss.xml").stat().st_mtime_ns
    Article.objects.filter(pk=embargoed.pk).update(published_at=timezone.now())  # only the clock moved
    report = publish(root)
    assert read(root, "index.html").xpath(f"//a[@href='/a/{embargoed.pk}.html']")
    for feed in ("feed/rss.xml", "news/rss.xml", "news/city/atom.xml", "zh-hant/feed/atom.xml"):
        titles = [entry.title for entry in feedparser.parse((root / feed).read_bytes()).entries]
        assert any(title.startswith("明天早上") or title.startswith("明天早上".replace("发", "發")) for title in titles), feed
    assert f"/a/{embargoed.pk}.html" in (root / "sitemap-news.xml").read_text(encoding="utf-8")
    assert f"/a/{embargoed.pk}.html" in (root / "sitemap-articles.xml").read_text(encoding="utf-8")
    assert "sports/rss.xml" not in report.touched and (root / "sports/rss.xml").stat().st_mtime_ns == sports_feed


def test_a_new_article_leaves_the_feeds_of_other_channels_alone(site, tmp_path):
    root = tmp_path / "out"
    publish(root, full=True)
    fresh = factories.article(site[0].channel, "刚刚发布的新闻", hours_ago=0)
    report = publish(root)
    assert {"feed/rss.xml", "news/rss.xml", "news/city/rss.xml", "zh-hant/news/city/atom.xml", "index.html",
            f"a/{fresh.pk}.html", "sitemap-articles.xml"} <= set(report.touched)
    # Every page the run renders shows the change: the feeds of 体育 (and robots.txt) are not
    # rendered at all, where they were rendered and found unchanged (5 pages) before.
    assert report.unchanged == 0
