"""The collector never re-ingests a withdrawn work: not at its URL, not at another URL, not from another source."""

from __future__ import annotations

import pytest

from huiwen.collect.models import SeenURL, SourceError
from huiwen.newsroom.models import Article
from huiwen.takedown import service
from huiwen.takedown.models import Notice
from tests.collect.conftest import rss, serve_stories
from tests.sites.news import STORIES, people_like

pytestmark = pytest.mark.django_db


def test_withdrawn_work_is_not_collected_again(site, make_source, run_collector, settings, tmp_path):
    settings.TAKEDOWN = {**settings.TAKEDOWN, "PRIVATE_DIR": tmp_path / "private", "MODE": "immediate",
                         "REVIEW_NEW_CLAIMANTS": False}
    story = STORIES[1]
    [url] = serve_stories(site, [story])
    site.page("/feed.xml", rss(site, [url], [story.title]), "application/rss+xml")
    source = make_source("feed", site.url("/feed.xml"), interval_minutes=0)
    run_collector(source)
    assert Article.objects.count() == 1

    notice = Notice.objects.create(claimant_name="梧桐社区文化中心", email="a@b.example", address="梧桐路1号",
                                   works="社区图书馆一文", urls=url, evidence_text="本中心原创稿件。", accuracy=True)
    service.receive(notice)
    assert Article.objects.get().status == Article.Status.WITHDRAWN

    # 1. The same source runs again, and even after the article row is gone the URL stays blocked.
    run_collector(source)
    assert Article.objects.get().status == Article.Status.WITHDRAWN
    Article.objects.all().delete()
    SeenURL.objects.all().delete()
    rerun = run_collector(source)
    assert rerun.new == 0 and not Article.objects.exists()

    # 2. The same text at another URL, from another source, with its own page furniture.
    copy = story.__class__(**{**story.__dict__, "slug": "library-copy", "title": "社区图书馆开到夜里十点",
                              "source": "另一家网站", "editor": "王某"})
    site.page("/mirror/library-copy.html", people_like(copy, host=site.base))
    other = make_source("url", site.url("/mirror/library-copy.html"), name="mirror")
    mirrored = run_collector(other)
    assert mirrored.new == 0 and mirrored.skipped == 1
    assert not Article.objects.exists()
    assert "侵权通知" in SourceError.objects.filter(source=other).get().message

    # 3. A different work from the same site is still collected.
    fresh = serve_stories(site, [STORIES[4]])
    assert run_collector(make_source("url", fresh[0], name="fresh")).new == 1


def test_restoring_lifts_the_block(site, make_source, run_collector, settings, tmp_path):
    settings.TAKEDOWN = {**settings.TAKEDOWN, "PRIVATE_DIR": tmp_path / "private", "MODE": "immediate",
                         "REVIEW_NEW_CLAIMANTS": False}
    [url] = serve_stories(site, [STORIES[2]])
    source = make_source("url", url)
    run_collector(source)
    notice = Notice.objects.create(claimant_name="某", email="a@b.example", address="某地", works="果园", urls=url,
                                   evidence_text="证明", accuracy=True)
    service.receive(notice)
    service.restore(notice, None, "权利人撤回通知")
    Article.objects.all().delete()
    SeenURL.objects.all().delete()
    assert run_collector(source).new == 1
