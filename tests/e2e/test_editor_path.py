"""The main editor path in real Chromium: log in, open the queue, edit, publish, see it on the site."""

from __future__ import annotations

import pytest

from huiwen.newsroom.models import Article
from tests import factories
from tests.newsroom.desk import PASSWORD, collected, user, word

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_in_review_edit_publish_and_read(live_server, page, artifacts):
    news = factories.channel("news", "新闻")
    user("wanglan", "chief", real_name="王岚")
    word("偷排", "review")
    article = collected(news, "清漪河治理见成效", lede="河道两岸的排污口已全部封堵。",
                        body="<p>沿河村民说,过去常见工厂夜间偷排,如今河水清了。</p><p>治理还将持续三年。</p>")
    collected(news, "桐湾新建一所小学")

    page.goto(live_server.url + "/newsroom/")
    assert "/newsroom/login/" in page.url
    page.get_by_label("用户名").fill("wanglan")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()

    assert page.locator("h1").inner_text() == "审核队列"
    queue = page.locator("table.queue tbody tr")
    assert queue.count() == 2
    assert page.locator("tr.row-review .flag-review").inner_text() == "敏感词"
    page.screenshot(path=str(artifacts / "editor-queue.png"), full_page=True)

    page.get_by_role("link", name="清漪河治理见成效").click()
    page.wait_for_load_state()
    assert page.locator(".body mark.sensitive-review").inner_text() == "偷排"
    page.screenshot(path=str(artifacts / "editor-preview.png"), full_page=True)

    page.get_by_role("link", name="编辑", exact=True).click()
    page.wait_for_load_state()
    page.get_by_label("导语", exact=True).fill("清漪河沿岸的排污口已全部封堵,水质连续六个月达标。")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    assert page.locator(".messages").inner_text() == "已保存。"

    page.get_by_label("已核对:偷排", exact=True).check()
    page.get_by_role("button", name="立即发布…").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "发布以下 1 篇文章?"  # asked first: nothing is live yet
    assert Article.objects.get(pk=article.pk).status == Article.Status.PENDING
    page.get_by_role("button", name="确认发布").click()
    page.wait_for_load_state()
    assert page.locator(".messages").inner_text() == "已发布 1 篇。"
    assert page.locator("p.status").inner_text() == "状态:已发布"
    page.screenshot(path=str(artifacts / "editor-published.png"), full_page=True)

    page.goto(live_server.url + Article.objects.get(pk=article.pk).get_absolute_url())
    assert page.locator("h1.article-title").inner_text() == "清漪河治理见成效"
    assert page.locator("p.lede").inner_text() == "清漪河沿岸的排污口已全部封堵,水质连续六个月达标。"
    assert page.locator("dt", has_text="责任编辑").locator("xpath=following-sibling::dd").inner_text() == "王岚"
    page.screenshot(path=str(artifacts / "editor-on-site.png"), full_page=True)
