"""A reader's path in real Chromium: home → channel → article, with every part of the page visible."""

from __future__ import annotations

import pytest

from huiwen.newsroom.demo import load_demo_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_to_channel_to_article(live_server, page, artifacts):
    load_demo_content()
    page.goto(live_server.url + "/")
    assert page.title() == "汇闻"
    page.screenshot(path=str(artifacts / "home.png"), full_page=True)

    page.get_by_role("navigation", name="频道导航").get_by_role("link", name="新闻频道").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "新闻频道"
    page.locator("ul.article-list h2 a").first.click()
    page.wait_for_load_state()
    assert "/a/" in page.url

    breadcrumbs = page.get_by_role("navigation", name="当前位置")
    assert breadcrumbs.is_visible()
    assert breadcrumbs.inner_text().split()[:2] == ["首页", "»"]
    assert page.locator(".article-meta time").is_visible()
    assert page.locator(".article-meta .source").inner_text().startswith("来源:")
    related = page.locator("section.related")
    assert related.is_visible()
    assert related.locator("h2").inner_text() == "相关阅读"
    assert related.locator("li").count() >= 1
    assert related.locator(".when").first.inner_text().startswith("时间:")
    disclaimer = page.get_by_role("complementary", name="免责声明")
    disclaimer.scroll_into_view_if_needed()
    assert disclaimer.is_visible()
    page.screenshot(path=str(artifacts / "article.png"), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts / "article-mobile.png"), full_page=False)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the article page scrolls sideways on a phone"
