"""Discovery from sitemaps, list pages, WARC files and saved pages; URL canonicalisation."""

from __future__ import annotations

import gzip

import pytest

from huiwen.collect.archive import Archive
from huiwen.collect.fetch import Response
from huiwen.collect.models import SourceError
from huiwen.newsroom.models import Article
from huiwen.text.urls import BadURL, canonical
from tests.collect.conftest import serve_stories
from tests.sites.news import STORIES, people_like

NEWS_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'


@pytest.mark.django_db
def test_sitemap_index_with_news_sitemap(site, make_source, run_collector):
    urls = serve_stories(site, STORIES[:3])
    news = "".join(
        f"<url><loc>{u}</loc><news:news><news:publication><news:name>测试</news:name><news:language>zh</news:language>"
        f"</news:publication><news:publication_date>2026-11-20</news:publication_date><news:title>{s.title}</news:title>"
        f"</news:news></url>" for u, s in zip(urls[:2], STORIES[:2], strict=True))
    site.page("/sitemap-news.xml", f'<?xml version="1.0"?><urlset {NEWS_NS}>{news}</urlset>', "application/xml")
    plain = f'<?xml version="1.0"?><urlset {NEWS_NS}><url><loc>{urls[2]}</loc></url></urlset>'
    site.page("/sitemap-old.xml.gz", gzip.compress(plain.encode()), "application/gzip")
    index = (f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             f'<sitemap><loc>{site.url("/sitemap-news.xml")}</loc></sitemap>'
             f'<sitemap><loc>{site.url("/sitemap-old.xml.gz")}</loc></sitemap></sitemapindex>')
    site.page("/sitemap.xml", index, "application/xml")
    run = run_collector(make_source("sitemap", site.url("/sitemap.xml")))
    assert run.ok and run.new == 3
    assert set(Article.objects.values_list("source_url", flat=True)) == set(urls)


@pytest.mark.django_db
def test_list_pages_follow_next_links(site, make_source, run_collector):
    urls = serve_stories(site, STORIES[:4] + STORIES[4:6], folder="society")

    def listing(items, next_path):
        links = "".join(f'<li><a href="{u.removeprefix(site.base)}">{s.title}</a> <span>11-20</span></li>' for u, s in items)
        nav = '<a href="/">首页</a> <a href="/society/">社会频道</a> <a href="/about.html">关于我们</a>'
        following = f'<a href="{next_path}">下一页</a>' if next_path else ""
        return f"<html><body><div>{nav}</div><ul>{links}</ul><div class='pages'>{following}</div></body></html>"

    pairs = list(zip(urls, STORIES, strict=True))
    site.page("/society/", listing(pairs[:3], "/society/index_2.html"))
    site.page("/society/index_2.html", listing(pairs[3:], None))
    source = make_source("listpage", site.url("/society/"), exclude_patterns="robots-secret")
    run = run_collector(source)
    assert run.ok and run.new == 5
    assert not Article.objects.filter(source_url__contains="about").exists()


@pytest.mark.django_db
def test_list_pages_with_a_url_template(site, make_source, run_collector):
    urls = serve_stories(site, [STORIES[0], STORIES[1]])
    for number, url in enumerate(urls, start=1):
        name = "list.html" if number == 1 else f"list_{number}.html"
        site.page(f"/{name}", f'<html><body><a href="{url}">{STORIES[number - 1].title}</a></body></html>')
    source = make_source("listpage", site.url("/list.html"), next_page=site.url("/list_{n}.html"), max_pages=3)
    run = run_collector(source)
    assert run.new == 2 and run.ok


@pytest.mark.django_db
def test_warc_file_and_saved_pages(tmp_path, make_source, run_collector):
    folder = tmp_path / "saved"
    folder.mkdir()
    with Archive(folder, prefix="import") as archive:
        for story in STORIES[:2]:
            body = people_like(story).encode()
            archive.write(Response(url=f"https://news.example/{story.slug}.html",
                                   final_url=f"https://news.example/{story.slug}.html", status=200,
                                   headers=[("Content-Type", "text/html; charset=utf-8")], body=body,
                                   request_headers=[], fetched_at=1_763_600_000.0))
    saved = people_like(STORIES[4]).replace("<head>", "<head><!-- saved from url=(0038)https://news.example/saved/ferry.html -->")
    (folder / "ferry.html").write_text(saved, encoding="utf-8")
    (folder / "nameless.html").write_text(people_like(STORIES[5]), encoding="utf-8")
    run = run_collector(make_source("warc", str(folder), allow_private=False))
    assert run.new == 3
    assert set(Article.objects.values_list("source_url", flat=True)) == {
        "https://news.example/bridge.html", "https://news.example/library.html", "https://news.example/saved/ferry.html"}
    assert SourceError.objects.filter(kind="no_address").count() == 1


@pytest.mark.django_db
def test_unreadable_feed_fails_the_run_and_is_recorded(site, make_source, run_collector):
    site.page("/feed.xml", "这不是订阅源", "text/plain")
    source = make_source("feed", site.url("/feed.xml"))
    run = run_collector(source)
    source.refresh_from_db()
    assert not run.ok and source.consecutive_failures == 1 and source.last_success_at is None
    assert SourceError.objects.filter(source=source).exists()
    assert source.last_error


@pytest.mark.parametrize(("raw", "expected"), [
    ("HTTP://News.Example.COM:80/a/b.html#top", "http://news.example.com/a/b.html"),
    ("https://news.example.com:443/a/?utm_source=x&b=2&a=1&spm=3", "https://news.example.com/a/?a=1&b=2"),
    ("https://news.example.com/news/index.html", "https://news.example.com/news/"),
    ("https://news.example.com/a/../b/./c.html", "https://news.example.com/b/c.html"),
    ("https://新闻.example/路径.html", f"https://{'新闻'.encode('idna').decode()}.example/%E8%B7%AF%E5%BE%84.html"),
    ("https://news.example.com:8080/x", "https://news.example.com:8080/x"),
])
def test_canonical_urls(raw, expected):
    assert canonical(raw) == expected


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "ftp://x.example/a", "http://", "not a url", "http://[::1"])
def test_bad_urls_are_refused_clearly(bad):
    with pytest.raises(BadURL):
        canonical(bad)
