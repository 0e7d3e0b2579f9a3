"""Every reader surface, both editions, read off the socket from gunicorn (and nginx): whole responses.

The fault this guards against: a Content-Length computed before the Traditional conversion made
the page longer, so gunicorn sent a page cut off mid-footer. Django's test client ignores the
header; these tests read what the server actually sends, until it closes the connection.
"""

from __future__ import annotations

import json

import lxml.html
import pytest
from lxml import etree

from tests.deploy import wire
from tests.deploy.surfaces import HANT, Surface, every_surface, html_pages


def assert_whole(response: wire.Response, surface: Surface) -> None:
    where = f"{surface.method} {surface.path}"
    assert response.status == surface.status, (where, response.status)
    assert response.declared is not None, f"{where}: no Content-Length"
    assert response.received == response.declared == len(response.body), (where, response.received, response.declared)
    text = response.text  # strict UTF-8
    if surface.kind == "html":
        assert response.header("content-type").startswith("text/html"), where
        assert text.rstrip().endswith("</html>"), f"{where}: no closing </html>"
        page = lxml.html.fromstring(text)
        assert page.xpath("//footer[contains(@class,'site-footer')]") or surface.status >= 500, f"{where}: no footer"
    elif surface.kind in ("feed", "sitemap"):
        etree.fromstring(response.body)  # well-formed XML, all of it
    elif surface.kind == "json":
        json.loads(text)


def _read_all(base: str, surfaces: list[Surface]) -> list[tuple[Surface, wire.Response]]:
    return [(surface, wire.request(base + surface.path, method=surface.method)) for surface in surfaces]


def test_every_surface_arrives_whole_from_gunicorn(demo_site):
    surfaces = every_surface(demo_site)
    for surface, response in _read_all(demo_site.app, surfaces):
        assert_whole(response, surface)
    # Again: the same pages from the page cache must be just as whole. Each of the two workers
    # has its own in-process cache, and either may answer, so two more passes make most hits.
    cached = [s for s in surfaces if s.kind == "html" and s.status in (200, 410) and s.method == "GET"]
    hits = 0
    for surface, response in _read_all(demo_site.app, cached + cached):
        assert_whole(response, surface)
        hits += response.header("x-huiwen-cache") == "hit"
    assert hits > len(cached) / 2, hits  # about 1.25 per page expected


def test_traditional_pages_are_longer_and_still_whole(demo_site):
    """The case that failed: the converted page is longer than the Simplified one it came from."""
    for page in ("/", f"/a/{demo_site.articles[0]}.html"):
        hans = wire.get(demo_site.app + page)
        hant = wire.get(demo_site.app + HANT + page)
        assert len(hant.body) > len(hans.body)
        assert hant.received == hant.declared
        footer = lxml.html.fromstring(hant.text).xpath("string(//footer[contains(@class,'site-footer')])")
        assert "侵權通知" in footer


def test_head_declares_the_length_get_sends(demo_site):
    for page in ("/", HANT + "/", f"{HANT}/a/{demo_site.articles[1]}.html"):
        head = wire.request(demo_site.app + page, method="HEAD")
        get = wire.get(demo_site.app + page)
        assert head.status == 200 and head.received == 0
        assert head.declared == get.declared == len(get.body)


def test_nginx_serves_both_editions_whole(demo_site):
    if demo_site.web is None:
        pytest.skip("nginx is not installed (make test installs it)")
    pages = [p for p in html_pages(demo_site) if "?" not in p]
    for page in pages:
        for path in (page, HANT + page):
            response = wire.get(demo_site.web + path)
            assert_whole(response, Surface(path, "html"))
    # Published files, not the app: nginx sent them with no cache marker of ours.
    assert "x-huiwen-cache" not in wire.get(demo_site.web + HANT + "/").headers
