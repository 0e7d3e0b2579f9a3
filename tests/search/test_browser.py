"""Searching in real Chromium: from the home page's search box to highlighted results."""

from __future__ import annotations

import pytest

from huiwen.newsroom.demo import load_demo_content
from tests import factories
from tests.search.conftest import para

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_from_home_page_with_highlights_and_traditional_query(live_server, page, artifacts):
    load_demo_content()
    channel = factories.channel("digital", "数字生活")
    article = factories.article(
        channel, "县城老人学用互联网 社区开设手机课堂",
        body=para("社区志愿者每周二下午在活动中心开课,教老人用手机挂号、视频通话。", "不少老人说,互联网让生活方便了不少。"),
    )

    page.goto(live_server.url + "/")
    box = page.get_by_role("search", name="站内搜索")
    assert box.is_visible()
    box.get_by_role("searchbox").fill("科技馆")
    box.get_by_role("button", name="搜索").click()
    page.wait_for_load_state()
    assert "/search?q=" in page.url
    results = page.locator("ol.search-results > li")
    assert results.count() >= 2
    first_marks = results.first.locator("mark")
    assert first_marks.count() >= 1
    assert first_marks.first.inner_text() == "科技馆"
    assert page.locator(".search-summary").inner_text().startswith("找到")
    page.screenshot(path=str(artifacts / "search-results.png"), full_page=True)

    # Traditional script in, Simplified article out, marked where the words are.
    box = page.get_by_role("search", name="站内搜索")
    box.get_by_role("searchbox").fill("網際網路")
    box.get_by_role("searchbox").press("Enter")
    page.wait_for_load_state()
    titles = page.locator("ol.search-results > li h3 a")
    assert article.title in titles.all_inner_texts()
    hit = page.locator("ol.search-results > li", has=page.locator(f"a[href='{article.get_absolute_url()}']"))
    assert hit.locator("mark").first.inner_text() == "互联网"
    page.screenshot(path=str(artifacts / "search-traditional.png"), full_page=True)

    hit.locator("h3 a").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == article.title

    page.goto(live_server.url + "/search?q=" + "%22%22%20-")
    assert page.locator(".search-help").is_visible()

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/search?q=科技馆")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the results page scrolls sideways on a phone"
    page.screenshot(path=str(artifacts / "search-mobile.png"), full_page=False)
