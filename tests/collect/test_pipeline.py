"""End to end over loopback: discovery, fetching, archive, extraction, dedupe, store."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from warcio.archiveiterator import ArchiveIterator

from huiwen.collect.models import ArticleImage, Capture, SeenURL, SourceError
from huiwen.collect.reextract import reextract
from huiwen.newsroom.models import Article
from tests.collect.conftest import rss, serve_stories
from tests.sites.news import STORIES, people_like

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_feed_ingests_every_article_once_with_every_field(site, make_source, run_collector):
    stories = [STORIES[0], STORIES[1], STORIES[2]]
    urls = serve_stories(site, stories)
    site.page("/feed.xml", rss(site, urls, [s.title for s in stories]), "application/rss+xml")
    source = make_source("feed", site.url("/feed.xml"))

    run = run_collector(source)
    assert run.ok and (run.discovered, run.fetched, run.new, run.failed) == (3, 3, 3, 0)
    assert Article.objects.count() == 3

    bridge = Article.objects.get(source_url=urls[0])
    assert bridge.title == "南溪大桥合龙 两岸通行时间缩短到十分钟(在一线)"
    assert bridge.column == "在一线"
    assert bridge.original_title == bridge.title
    assert bridge.published_at == datetime(2026, 11, 20, 9, 15, tzinfo=SHANGHAI)
    assert bridge.publisher.name == "汇闻测试日报"
    assert "丁一帆" in bridge.original_author
    assert bridge.source_editor == "周若溪"
    assert (bridge.print_newspaper, bridge.print_date.isoformat(), bridge.print_page) == ("汇闻测试日报", "2026-11-20", "05")
    assert bridge.status == Article.Status.PUBLISHED
    assert "横跨南溪的新大桥" in bridge.body
    for boilerplate in ("责编", "相关新闻", "版权所有", "分享到"):
        assert boilerplate not in bridge.body
    library = Article.objects.get(source_url=urls[1])
    assert library.publisher.name == "汇闻测试晚报" and library.print_newspaper == ""
    # The batch writes every first revision together: one "+" record per article, holding its
    # text, timed at its save (not at the end of the batch).
    for article in Article.objects.all():
        [first] = article.history.all()
        assert first.history_type == "+" and first.history_user_id is None
        for field in Article.history.model.tracked_fields:
            assert getattr(first, field.attname) == getattr(article, field.attname), field.attname
        assert article.created_at <= first.history_date <= article.updated_at + timedelta(seconds=1)


def test_second_run_changes_nothing_and_sends_conditional_get(site, make_source, run_collector):
    urls = serve_stories(site, STORIES[:2])
    for url in urls:
        path = url.removeprefix(site.base)
        site.routes[path].headers.update({"ETag": f'"v1-{path}"', "Last-Modified": "Fri, 20 Nov 2026 01:00:00 GMT"})

        def conditional(request, reply=site.routes[path]):
            from tests.sites.server import Reply
            if request.headers.get("if-none-match") == reply.headers["ETag"]:
                return Reply(status=304, headers={"ETag": reply.headers["ETag"]})
            return reply
        site.add(path, conditional)
    site.page("/feed.xml", rss(site, urls, ["一", "二"]), "application/rss+xml")
    source = make_source("feed", site.url("/feed.xml"), interval_minutes=0)
    first = run_collector(source)
    assert first.new == 2
    versions = Article.history.count()

    second = run_collector(source)
    assert (second.new, second.updated, second.unchanged, second.failed) == (0, 0, 2, 0)
    assert Article.objects.count() == 2 and Article.history.count() == versions
    for url in urls:
        last = site.requests_for(url.removeprefix(site.base))[-1]
        assert last.headers.get("if-none-match", "").startswith('"v1-')
        assert last.headers.get("if-modified-since") == "Fri, 20 Nov 2026 01:00:00 GMT"


def test_changed_page_becomes_a_new_version(site, make_source, run_collector):
    from tests.sites.news import people_like

    story = STORIES[4]
    [url] = serve_stories(site, [story])
    site.page("/feed.xml", rss(site, [url], [story.title]), "application/rss+xml")
    source = make_source("feed", site.url("/feed.xml"), interval_minutes=0)
    run_collector(source)
    changed = story.__class__(**{**story.__dict__, "paragraphs": (*story.paragraphs, "记者补充:驿站还将在春节期间举办灯会。")})
    site.page(url.removeprefix(site.base), people_like(changed, host=site.base))
    run = run_collector(source)
    assert (run.new, run.updated) == (0, 1)
    article = Article.objects.get()
    assert "灯会" in article.body
    assert article.history.count() >= 2
    assert "灯会" not in article.history.earliest().body


def test_archive_holds_every_response_and_reextracts(site, make_source, run_collector):
    urls = serve_stories(site, STORIES[:2])
    site.page("/feed.xml", rss(site, urls, ["一", "二"]), "application/rss+xml")
    source = make_source("feed", site.url("/feed.xml"))
    run_collector(source)
    captures = list(Capture.objects.all())
    fetched = {c.url for c in captures}
    assert {site.url("/feed.xml"), *urls} <= fetched
    root = Path(settings.COLLECT["ARCHIVE_DIR"])
    for capture in captures:
        with open(root / capture.warc_path, "rb") as stream:
            stream.seek(capture.offset)
            record = next(iter(ArchiveIterator(stream)))
            assert record.rec_headers.get_header("WARC-Target-URI") == capture.final_url
            assert len(record.content_stream().read()) == capture.size

    assert reextract(source) == {"unchanged": 2}
    # A per-source selector (the escape hatch) changes what extraction gives: articles update.
    source.selectors = {"title": "div.path"}
    source.save()
    site.routes.clear()  # no fetching: the archive alone must be enough
    counts = reextract(source)
    assert counts == {"updated": 2}
    assert Article.objects.filter(title__contains="汇闻测试网").count() == 2


def test_encodings_gbk_and_big5(site, make_source, run_collector):
    gbk = serve_stories(site, [STORIES[2]], charset="gbk", folder="gbk")
    big5_story = STORIES[4].__class__(**{**STORIES[4].__dict__, "title": "老渡口變身文化驛站 週末遊客絡繹不絕",
                                         "paragraphs": ("停運多年的沙洲老渡口經過改造,成了文化驛站。", "驛站裡陳列著老船票和舊船燈,講述擺渡過江的故事。")})
    big5 = serve_stories(site, [big5_story], charset="big5", folder="big5")
    for url in gbk + big5:
        run_collector(make_source("url", url))
    assert Article.objects.get(source_url=gbk[0]).title == STORIES[2].title
    assert "滴灌" in Article.objects.get(source_url=gbk[0]).body
    assert Article.objects.get(source_url=big5[0]).title == "老渡口變身文化驛站 週末遊客絡繹不絕"


def test_robots_disallow_is_obeyed(site, make_source, run_collector):
    public = serve_stories(site, [STORIES[0]])
    private = serve_stories(site, [STORIES[3]], folder="private")
    site.page("/feed.xml", rss(site, public + private, ["公开", "禁止"]), "application/rss+xml")
    run = run_collector(make_source("feed", site.url("/feed.xml")))
    assert (run.new, run.skipped_robots) == (1, 1)
    assert site.requests_for(private[0].removeprefix(site.base)) == []
    assert not Article.objects.filter(source_url=private[0]).exists()
    assert SeenURL.objects.get(url=private[0]).state == SeenURL.State.SKIPPED


def test_crawl_delay_spaces_requests(site, make_source, run_collector):
    site.page("/robots.txt", "User-agent: *\nCrawl-delay: 0.4\n", "text/plain")
    urls = serve_stories(site, STORIES[:3])
    site.page("/feed.xml", rss(site, urls, ["一", "二", "三"]), "application/rss+xml")
    run_collector(make_source("feed", site.url("/feed.xml")))
    times = sorted(hit.at for hit in site.hits if hit.path.startswith("/society/"))
    assert len(times) == 3
    # The server notes when it handles each request: on a busy machine one can be noted late and
    # the next on time, so single gaps are held to half the delay and the whole run to most of both.
    assert times[-1] - times[0] >= 2 * 0.4 - 0.2  # without the delay: a few milliseconds
    assert all(later - earlier >= 0.2 for earlier, later in itertools.pairwise(times))


def test_referer_protected_image_is_stored_locally(site, make_source, run_collector):
    [url] = serve_stories(site, [STORIES[0]])
    run_collector(make_source("url", url))
    article = Article.objects.get()
    image = ArticleImage.objects.get(article=article)
    assert image.state == ArticleImage.State.STORED
    assert f'src="{settings.MEDIA_URL}{image.asset.file}"' in article.body
    assert site.base not in article.body  # never hot-linked
    assert (Path(settings.MEDIA_ROOT) / image.asset.file).read_bytes()[:4] == b"\x89PNG"
    assert site.requests_for("/img/bridge.png")[-1].headers["referer"] == url


def test_failed_image_is_listed_and_removed_not_hotlinked(site, make_source, run_collector):
    [url] = serve_stories(site, [STORIES[0]])
    site.routes.pop("/img/bridge.png")  # 404
    run_collector(make_source("url", url))
    article = Article.objects.get()
    assert ArticleImage.objects.get(article=article).state == ArticleImage.State.FAILED
    assert "<img" not in article.body and "bridge.png" not in article.body


def test_reprints_fold_into_one_story_with_the_earliest_as_original(site, make_source, run_collector):
    original = STORIES[5]
    reprint = original.__class__(**{
        **original.__dict__, "slug": "stadium-reprint", "source": "另一家转载网", "date": "2026-11-24 15:00",
        "title": "城东全民健身中心启用", "paper": "", "editor": "陈默",
        "paragraphs": tuple(p.replace(",", ", ").replace("。", ". ") for p in original.paragraphs),
    })
    other = STORIES[1]
    urls = serve_stories(site, [reprint, original, other])
    site.page("/feed.xml", rss(site, urls, ["转载", "原文", "别的"]), "application/rss+xml")
    run_collector(make_source("feed", site.url("/feed.xml")))
    first, second, third = (Article.objects.get(source_url=u) for u in urls)
    assert first.story_id == second.story_id
    assert third.story_id != first.story_id
    story = first.story
    assert story.original_publisher.name == "汇闻测试日报"
    assert story.first_published_at == second.published_at


def test_review_sources_land_pending(site, make_source, run_collector):
    [url] = serve_stories(site, [STORIES[1]])
    run_collector(make_source("url", url, review=True))
    assert Article.objects.get().status == Article.Status.PENDING
    assert not Article.objects.visible().exists()


def test_include_exclude_and_channel_rules(site, make_source, run_collector, channel):
    from tests import factories

    sports = factories.channel("sports", "体育")
    urls = serve_stories(site, STORIES[:3]) + serve_stories(site, [STORIES[5]], folder="sports")
    site.page("/feed.xml", rss(site, urls, ["一", "二", "三", "四"]), "application/rss+xml")
    source = make_source("feed", site.url("/feed.xml"), exclude_patterns="orchard", channel_rules="/sports/ => sports")
    run_collector(source)
    assert set(Article.objects.values_list("source_url", flat=True)) == {urls[0], urls[1], urls[3]}
    assert Article.objects.get(source_url=urls[3]).channel == sports
    assert Article.objects.get(source_url=urls[0]).channel == channel


def test_same_article_under_two_spellings_is_ingested_once(site, make_source, run_collector):
    [url] = serve_stories(site, [STORIES[0]])
    spellings = [url, url + "?utm_source=wechat&from=timeline", url.replace("127.0.0.1", "127.0.0.1:80".replace(":80", "")) + "#comments"]
    site.page("/feed.xml", rss(site, spellings, ["一", "二", "三"]), "application/rss+xml")
    run = run_collector(make_source("feed", site.url("/feed.xml")))
    assert run.discovered == 1 and Article.objects.count() == 1
    assert SourceError.objects.count() == 0


def test_two_addresses_of_one_article_in_one_batch_make_one_article(site, make_source, run_collector):
    """The mobile copy names the desktop page as canonical; both arrive in the same stored batch."""
    [desktop] = serve_stories(site, [STORIES[0]])
    mobile_html = people_like(STORIES[0], host=site.base).replace(
        "</head>", f'<link rel="canonical" href="{desktop}"></head>', 1
    )
    site.page("/m/bridge.html", mobile_html, "text/html; charset=utf-8")
    site.page("/feed.xml", rss(site, [desktop, site.url("/m/bridge.html")], ["桌面", "手机"]), "application/rss+xml")
    run = run_collector(make_source("feed", site.url("/feed.xml")))
    assert run.ok and run.discovered == 2
    assert Article.objects.count() == 1
    assert Article.objects.get().source_url == desktop
    assert (run.new, run.new + run.updated + run.unchanged) == (1, 2)


def test_an_article_changed_again_within_its_batch_keeps_the_batch_and_its_last_fingerprint(
        site, make_source, run_collector, caplog):
    """The mobile copy (canonical: the desktop page) carries an added paragraph: the article is
    stored from the first page and updated from the second in one batch, whose held fingerprint
    is replaced rather than written twice (which would fail the batch)."""
    from huiwen.newsroom.models import Fingerprint, FingerprintBand
    from huiwen.newsroom.text import html_to_text
    from huiwen.text import fingerprint

    [desktop] = serve_stories(site, [STORIES[4]])
    longer = STORIES[4].__class__(**{**STORIES[4].__dict__, "paragraphs": (
        *STORIES[4].paragraphs, "记者补充:驿站还将在春节期间举办灯会,届时免费开放。")})
    mobile_html = people_like(longer, host=site.base).replace(
        "</head>", f'<link rel="canonical" href="{desktop}"></head>', 1)
    site.page("/m/longer.html", mobile_html, "text/html; charset=utf-8")
    site.page("/feed.xml", rss(site, [desktop, site.url("/m/longer.html")], ["桌面", "手机"]), "application/rss+xml")
    run = run_collector(make_source("feed", site.url("/feed.xml")))
    assert run.ok and (run.new, run.updated) == (1, 1)
    assert "one at a time" not in caplog.text  # the batch held, no page-by-page fallback
    article = Article.objects.get()
    assert "灯会" in article.body
    expected = fingerprint.signature(html_to_text(article.body))
    stored = Fingerprint.objects.get(article=article)
    assert fingerprint.similarity(fingerprint.Signature.from_bytes(bytes(stored.signature)), expected) > 0.9
    assert stored.kind == Fingerprint.Kind.STORY
    assert sorted(FingerprintBand.objects.filter(fingerprint=stored, kind=stored.kind).values_list("key", flat=True)) == sorted(
        fingerprint.Signature.from_bytes(bytes(stored.signature)).band_keys())


def test_batches_commit_separately_and_index_what_they_store(site, make_source, run_collector, settings):
    settings.COLLECT = {**settings.COLLECT, "BATCH": 2}
    urls = serve_stories(site, STORIES[:5])
    site.page("/feed.xml", rss(site, urls, ["一", "二", "三", "四", "五"]), "application/rss+xml")
    run = run_collector(make_source("feed", site.url("/feed.xml")))
    assert run.ok and run.new == 5
    stored = Article.objects.order_by("pk")
    assert Capture.objects.filter(seen__article__in=stored).count() == 5
    # Indexed in batches, the index and its statistics match a rebuild from scratch.
    from django.core.management import call_command

    from huiwen.search.models import Profile, TermStat

    assert set(Profile.objects.values_list("pk", flat=True)) == {a.pk for a in stored}
    incremental = {term: df for term, df in TermStat.objects.values_list("term", "df") if df}
    call_command("search_index", "--rebuild")
    assert incremental == {term: df for term, df in TermStat.objects.values_list("term", "df") if df}


def test_a_page_that_fails_at_the_end_of_its_batch_does_not_sink_the_others(site, make_source, run_collector):
    """A real database fault (a trigger) refuses the search profile of one article: that happens
    when the batch is indexed, after every page of it was stored; the batch is rolled back and
    stored again page by page, so only that page fails and the others are stored and indexed."""
    from django.db import connection

    from huiwen.search.models import Profile

    bad = STORIES[2]
    title = bad.headline.replace("'", "''")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "CREATE TEMP TRIGGER refuse_profile BEFORE INSERT ON search_profile WHEN "
                f"(SELECT title FROM newsroom_article WHERE id = NEW.article_id) = '{title}' "
                "BEGIN SELECT RAISE(ABORT, 'injected fault'); END"
            )
        else:  # dropped with the test's transaction
            cursor.execute(
                "CREATE FUNCTION refuse_profile() RETURNS trigger AS $$ BEGIN "
                f"IF (SELECT title FROM newsroom_article WHERE id = NEW.article_id) = '{title}' THEN "
                "RAISE EXCEPTION 'injected fault'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            cursor.execute("CREATE TRIGGER refuse_profile BEFORE INSERT ON search_profile "
                           "FOR EACH ROW EXECUTE FUNCTION refuse_profile()")
    try:
        urls = serve_stories(site, STORIES[:4])
        site.page("/feed.xml", rss(site, urls, ["一", "二", "三", "四"]), "application/rss+xml")
        source = make_source("feed", site.url("/feed.xml"))
        run = run_collector(source)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS refuse_profile" + (" ON search_profile" if connection.vendor != "sqlite" else ""))
    assert (run.new, run.failed) == (3, 1)
    assert set(Article.objects.values_list("title", flat=True)) == {s.headline for s in STORIES[:4]} - {bad.headline}
    assert Profile.objects.count() == 3
    failed = SeenURL.objects.get(state=SeenURL.State.FAILED)
    assert failed.url == urls[2] and "injected fault" in failed.last_error
    # Nothing of the failed page is half-stored, and the next run collects it.
    run = run_collector(source)
    assert (run.new, run.failed) == (1, 0)
    assert Article.objects.filter(title=bad.headline).count() == 1 and Profile.objects.count() == 4


def test_a_lede_the_body_already_holds_is_not_stored_twice(site, make_source, run_collector):
    """The description repeats the first paragraph (people_like): no lede, the paragraph once.
    A summary box of its own stays the lede."""
    [repeated] = serve_stories(site, [STORIES[1]])
    summary = "图书馆延长开放时间的做法受到上班族欢迎,夜间到馆人数明显增加。"
    own = people_like(STORIES[2], host=site.base).replace(
        '<div class="rm_txt_con">', f'<div class="summary">{summary}</div>\n<div class="rm_txt_con">')
    site.page("/society/with-summary.html", own)
    site.page("/feed.xml", rss(site, [repeated, site.url("/society/with-summary.html")], ["一", "二"]),
              "application/rss+xml")
    run_collector(make_source("feed", site.url("/feed.xml")))

    library = Article.objects.get(source_url=repeated)
    assert library.lede == "" and library.body.count(STORIES[1].paragraphs[0]) == 1
    assert STORIES[1].paragraphs[0][:20] in library.excerpt  # from the body now
    orchard = Article.objects.get(source_url=site.url("/society/with-summary.html"))
    assert orchard.lede == summary and summary not in orchard.body
