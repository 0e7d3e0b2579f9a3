"""A reprint with hostile markup, the whole way: a loopback site serves an authored article whose
paragraphs are interleaved with stored-XSS payloads of every family (tests/sites/hostile.py);
`huiwen collect` takes it from the site's feed, a source with a responsible editor publishes it,
gunicorn serves it, and Chromium reads it: no payload runs, every paragraph is there in order
with its strong/em/link, and 责任编辑 is named on the page, in JSON-LD and in the API."""

from __future__ import annotations

import json
import os
import re

import lxml.html
import pytest

from tests.collect.conftest import rss
from tests.collect.test_polling import conditional
from tests.deploy.conftest import fetch, free_port, make_stack  # noqa: F401 - the stack fixture
from tests.sites import hostile
from tests.sites.server import FixtureSite

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(bool(os.environ.get("HUIWEN_DATABASE_URL")),
                       reason="runs once, in the SQLite pass (it builds its own installation)"),
]
ARTICLE = "/city/2026/1118/ferry.html"


def _ran(page) -> list[str]:
    """Collect every alert() a payload manages to call."""
    ran: list[str] = []

    def dismiss(dialog) -> None:
        ran.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    return ran


def test_hostile_reprint_collected_served_and_read_in_chromium(make_stack, page, artifacts):  # noqa: F811
    with FixtureSite() as site:
        site.page("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")
        site.page(ARTICLE, hostile.page(hostile.all_payloads()))
        conditional(site, "/feed.xml", rss(site, [site.url(ARTICLE)], [hostile.TITLE]), "application/rss+xml")
        stack = make_stack(HUIWEN_ICP_BEIAN="桐ICP备20260001号", HUIWEN_PAGE_CACHE="0")
        stack.huiwen("channel", "add", "city", "城市")
        stack.env["DJANGO_SUPERUSER_PASSWORD"] = "Tong-Wan-Ferry-2026"
        stack.huiwen("createsuperuser", "--noinput", "--username", "weimc", "--email", "weimc@example.com")
        stack.huiwen("roles", "--assign", "weimc", "chief", "--real-name", "韦明川")
        stack.huiwen("source", "add", "feed", site.url("/feed.xml"), "--publisher", "桐湾日报", "--channel", "city",
                     "--editor", "weimc", "--allow-private", "--host-interval", "0", "--name", "桐湾日报")
        first = stack.huiwen("collect", "--all", "--no-progress")
        assert re.search(r"^桐湾日报\s+1\s+1\s+1\s", first.stdout, re.MULTILINE), first.stdout
        again = stack.huiwen("collect", "--all", "--no-progress")  # the feed has not changed: one 304
        assert "条件请求:1 次请求中 1 次回答 304" in again.stdout, again.stdout
        assert site.requests_for("/feed.xml")[-1].headers.get("if-none-match") == '"v1-/feed.xml"'

    stack.huiwen("collectstatic", "--noinput", "--verbosity", "0")  # production serves hashed static names
    port = free_port()
    stack.gunicorn(port)
    base = f"http://127.0.0.1:{port}"
    [summary] = json.loads(fetch(base + "/api/v1/articles")[2])["items"]
    detail = json.loads(fetch(f"{base}/api/v1/articles/{summary['id']}")[2])
    assert (detail["editor"], detail["source_editor"]) == ("韦明川", "韦小满")

    for prefix in ("", "/zh-hant"):
        ran = _ran(page)
        page.goto(f"{base}{prefix}/a/{summary['id']}.html")
        page.wait_for_load_state("networkidle")
        page.mouse.move(200, 300)  # an onmouseover payload would fire now
        body = page.locator(".article-body")
        paragraphs = [" ".join(text.split()) for text in body.locator("p").all_inner_texts()]
        if not prefix:
            assert paragraphs == hostile.expected_paragraphs()
        else:
            assert len(paragraphs) == len(hostile.expected_paragraphs())
        assert body.locator("strong").count() == 1 and body.locator("em").count() == 1
        link = body.locator("a")
        assert link.count() == 1 and set((link.get_attribute("rel") or "").split()) == {"nofollow", "noopener"}
        assert page.locator("script:not([type='application/ld+json'])").count() == 0
        assert ran == [], f"payloads ran: {ran}"
        tree = lxml.html.fromstring(page.content())
        graph = [json.loads(s.text) for s in tree.xpath("//script[@type='application/ld+json']")]
        [news] = [node for g in graph for node in g["@graph"] if node["@type"] == "NewsArticle"]
        assert news["editor"]["@type"] == "Person" and news["editor"]["name"] in ("韦明川", "韋明川")
        assert tree.xpath("string(//p[@class='licences']/a[@class='icp'])") == "桐ICP备20260001号"
    page.screenshot(path=str(artifacts / "hostile-reprint.png"), full_page=True)

    # The sanitiser alone, without the site's Content-Security-Policy to help: the stored body in
    # a bare page, where anything executable left in it would run.
    ran = _ran(page)
    page.set_content(f"<!doctype html><html><body><main>{detail['body_html']}</main></body></html>")
    page.wait_for_timeout(500)
    page.mouse.move(10, 10)
    page.mouse.move(300, 200)
    assert ran == [], f"payloads ran in the bare body: {ran}"
    texts = [" ".join(text.split()) for text in page.locator("main p").all_inner_texts()]
    assert texts == hostile.expected_paragraphs()
