"""Collector fixtures: a fixture site on 127.0.0.1, a clean archive and media folder per test."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from huiwen.collect.models import Source
from huiwen.collect.pipeline import Collector
from tests import factories
from tests.sites.news import STORIES, people_like
from tests.sites.server import FixtureSite, Reply


@pytest.fixture(autouse=True)
def collector_settings(settings, tmp_path):
    settings.COLLECT = {**settings.COLLECT, "ARCHIVE_DIR": tmp_path / "archive", "BACKOFF": 0.01,
                        "TIMEOUT": 2, "DEADLINE": 3, "MAX_BYTES": 2 * 1024 * 1024}
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings


@pytest.fixture
def site():
    with FixtureSite() as running:
        running.page("/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
        yield running


def png(color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(buffer, "PNG")
    return buffer.getvalue()


def serve_stories(site: FixtureSite, stories=STORIES, charset: str = "utf-8", folder: str = "society") -> list[str]:
    """Serve each story as an article page; return their URLs."""
    urls = []
    for story in stories:
        path = f"/{folder}/{story.slug}.html"
        html = people_like(story, charset=charset, host=site.base)
        site.page(path, html.encode(charset, errors="xmlcharrefreplace"), f"text/html; charset={charset}")
        urls.append(site.url(path))
    for story in stories:
        for image in story.images:
            site.add(image, protected_image(png()))
    return urls


def protected_image(data: bytes):
    """An image that answers 403 unless the Referer is a page of the same site (hot-link protection)."""
    def handler(request):
        if "127.0.0.1" not in request.headers.get("referer", ""):
            return Reply(status=403, body=b"no hotlinking", headers={"Content-Type": "text/plain"})
        return Reply(body=data, headers={"Content-Type": "image/png"})
    return handler


def rss(site: FixtureSite, urls: list[str], titles: list[str]) -> str:
    items = "".join(f"<item><title>{t}</title><link>{u}</link><guid>{u}</guid></item>" for u, t in zip(urls, titles, strict=True))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>测试源</title>'
            f"<link>{site.base}/</link><description>测试</description>{items}</channel></rss>")


@pytest.fixture
def channel():
    return factories.channel("society", "社会", parent=factories.channel("news", "新闻频道"))


@pytest.fixture
def make_source(channel):
    def make(kind: str, url: str, **fields) -> Source:
        fields.setdefault("publisher", factories.publisher("汇闻测试日报"))
        fields.setdefault("allow_private", True)
        fields.setdefault("host_interval", 0)
        fields.setdefault("review", False)
        if not fields["review"]:
            fields.setdefault("editor", factories.editor())  # direct publication needs a responsible editor
        fields.setdefault("name", f"{kind} {url}")
        source = Source(kind=kind, url=url, channel=channel, **fields)
        source.full_clean()
        source.save()
        return source
    return make


@pytest.fixture
def run_collector():
    def run(source: Source):
        collector = Collector()
        try:
            return collector.run(source)
        finally:
            collector.close()
    return run
