"""Polite polling: feeds, sitemaps and list pages are asked for with If-None-Match and
If-Modified-Since; a 304 costs no parse; the run counts what that saved, the dashboard shows it."""

from __future__ import annotations

import feedparser
import pytest
from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from huiwen.collect.discover import feeds
from huiwen.collect.models import PolledDocument, SourceRun
from tests.collect.conftest import rss, serve_stories
from tests.newsroom.desk import user
from tests.reader.pages import html, text
from tests.sites.news import STORIES
from tests.sites.server import FixtureSite, Reply

pytestmark = pytest.mark.django_db
LAST_MODIFIED = "Fri, 20 Nov 2026 01:00:00 GMT"


def conditional(site: FixtureSite, path: str, body: str | bytes, content_type: str, version: str = "v1") -> None:
    """Serve `path` with validators, answering 304 when the request names them (as real servers do)."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    etag = f'"{version}-{path}"'

    def answer(request):
        if request.headers.get("if-none-match") == etag or (
                "if-none-match" not in request.headers and request.headers.get("if-modified-since") == LAST_MODIFIED):
            return Reply(status=304, headers={"ETag": etag})
        return Reply(body=data, headers={"Content-Type": content_type, "ETag": etag, "Last-Modified": LAST_MODIFIED})

    site.add(path, answer)


@pytest.fixture
def parses(monkeypatch):
    """How often feedparser was asked to read a feed (the library, counted, not replaced)."""
    calls: list[int] = []
    real = feedparser.parse

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(feeds.feedparser, "parse", counting)
    return calls


def test_an_unchanged_feed_is_answered_304_and_not_parsed_again(site, make_source, run_collector, parses):
    urls = serve_stories(site, STORIES[:3])
    feed = rss(site, urls, [s.title for s in STORIES[:3]])
    conditional(site, "/feed.xml", feed, "application/rss+xml")
    source = make_source("feed", site.url("/feed.xml"))

    first = run_collector(source)
    assert first.new == 3 and len(parses) == 1
    assert (first.not_modified, first.bytes_saved) == (0, 0)
    assert first.requests == 4 and first.bytes_received > len(feed.encode())

    second = run_collector(source)
    [*_, asked] = site.requests_for("/feed.xml")
    assert asked.headers["if-none-match"] == '"v1-/feed.xml"'
    assert asked.headers["if-modified-since"] == LAST_MODIFIED
    assert len(parses) == 1, "a 304 must not be parsed"
    assert second.ok and (second.discovered, second.fetched, second.new) == (0, 0, 0)
    assert (second.requests, second.not_modified) == (1, 1)
    assert second.bytes_saved == len(feed.encode()) and second.bytes_received == 0
    document = PolledDocument.objects.get(source=source, url=site.url("/feed.xml"))
    assert document.unchanged == 1 and document.parsed_at < document.fetched_at


def test_articles_listed_by_an_unchanged_feed_are_still_rechecked_conditionally(site, make_source, run_collector):
    urls = serve_stories(site, STORIES[:2])
    for url in urls:  # the article pages answer 304 too
        path = url.removeprefix(site.base)
        conditional(site, path, site.routes[path].body, "text/html; charset=utf-8")
    conditional(site, "/feed.xml", rss(site, urls, ["一", "二"]), "application/rss+xml")
    source = make_source("feed", site.url("/feed.xml"), interval_minutes=0)  # due for a re-check at once
    first = run_collector(source)
    pages = first.bytes_received
    second = run_collector(source)
    assert (second.fetched, second.unchanged, second.not_modified, second.requests) == (2, 2, 3, 3)
    assert second.bytes_saved == pages  # the feed and both pages, not sent again


def test_a_changed_feed_is_read_again(site, make_source, run_collector, parses):
    urls = serve_stories(site, STORIES[:3])
    conditional(site, "/feed.xml", rss(site, urls[:2], ["一", "二"]), "application/rss+xml")
    source = make_source("feed", site.url("/feed.xml"))
    assert run_collector(source).new == 2
    conditional(site, "/feed.xml", rss(site, urls, ["一", "二", "三"]), "application/rss+xml", version="v2")
    again = run_collector(source)
    assert (again.new, again.not_modified, len(parses)) == (1, 0, 2)


def test_sitemaps_and_list_pages_are_polled_conditionally_too(site, make_source, run_collector):
    urls = serve_stories(site, STORIES[:3])
    index = ('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             f"<sitemap><loc>{site.url('/sitemap-news.xml')}</loc></sitemap></sitemapindex>")
    news = ('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(f"<url><loc>{u}</loc></url>" for u in urls) + "</urlset>")
    conditional(site, "/sitemap.xml", index, "application/xml")
    conditional(site, "/sitemap-news.xml", news, "application/xml")
    first_list = "".join(f'<li><a href="{u}">{s.title}</a></li>' for u, s in zip(urls[:2], STORIES, strict=False))
    conditional(site, "/list.html", f'<ul>{first_list}</ul><a href="/list_2.html">下一页</a>', "text/html; charset=utf-8")
    conditional(site, "/list_2.html", f'<ul><li><a href="{urls[2]}">{STORIES[2].title}</a></li></ul>',
                "text/html; charset=utf-8")
    sitemap = make_source("sitemap", site.url("/sitemap.xml"), name="地图")
    listing = make_source("listpage", site.url("/list.html"), name="列表")
    assert run_collector(sitemap).new == 3 and run_collector(listing).discovered == 0  # same articles, seen once

    again = [run_collector(sitemap), run_collector(listing)]
    for path in ("/sitemap.xml", "/sitemap-news.xml", "/list.html", "/list_2.html"):
        assert site.requests_for(path)[-1].headers["if-none-match"] == f'"v1-{path}"', path
    assert [(run.ok, run.requests, run.not_modified) for run in again] == [(True, 2, 2), (True, 2, 2)]
    for document in PolledDocument.objects.all():
        assert document.unchanged == 1, document.url  # answered from its kept listing, not parsed


def test_a_server_without_validators_is_simply_read_every_time(site, make_source, run_collector):
    urls = serve_stories(site, STORIES[:1])
    site.page("/feed.xml", rss(site, urls, ["一"]), "application/rss+xml")
    source = make_source("feed", site.url("/feed.xml"))
    run_collector(source)
    again = run_collector(source)
    asked = site.requests_for("/feed.xml")[-1]
    assert "if-none-match" not in asked.headers and "if-modified-since" not in asked.headers
    assert again.ok and again.not_modified == 0


def test_the_dashboard_shows_the_304_share_and_the_bytes_saved(client, site, make_source, run_collector):
    urls = serve_stories(site, STORIES[:2])
    feed = rss(site, urls, ["一", "二"])
    conditional(site, "/feed.xml", feed, "application/rss+xml")
    source = make_source("feed", site.url("/feed.xml"), name="条件订阅")
    for _ in range(3):
        run_collector(source)
    totals = SourceRun.objects.filter(source=source)
    requests = sum(run.requests for run in totals)
    assert (requests, sum(run.not_modified for run in totals)) == (5, 2)
    client.force_login(user("ops", "admin", real_name="孙立"))
    page = html(client.get(reverse("backoffice:sources")))
    [card] = page.xpath("//section[@aria-label='条件订阅']")
    stats = card.xpath(".//dl[contains(@class,'fetch-stats')]")[0]
    assert text(stats.xpath(".//dd[@class='n-requests']")[0]) == "5"
    assert text(stats.xpath(".//dd[@class='share-304']")[0]) == "40%(2 次)"
    saved = sum(run.bytes_saved for run in totals)
    assert saved == 2 * len(feed.encode())
    assert text(stats.xpath(".//dd[@class='bytes-saved']")[0]) == " ".join(filesizeformat(saved).split())
