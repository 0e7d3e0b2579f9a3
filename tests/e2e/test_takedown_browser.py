"""A rights holder's path in real Chromium: notice through the form; a first notice waits for the
compliance officer, who withdraws it from the back office's notice desk; then the article is gone
everywhere."""

from __future__ import annotations

from io import StringIO

import feedparser
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from huiwen.newsroom.demo import load_demo_content
from huiwen.newsroom.models import Article
from huiwen.takedown.models import Notice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_notice_submitted_in_the_browser_takes_the_article_down(live_server, page, artifacts):
    load_demo_content()
    article = Article.objects.visible().filter(story__isnull=True).order_by("-published_at")[5]
    word = article.title[:4]
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    page.get_by_role("complementary", name="免责声明").get_by_role("link").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("侵权通知与删除")

    page.get_by_label("权利人真实姓名或名称").fill("海西文化传媒有限公司")
    page.get_by_label("电子邮箱").fill("rights@haixi-media.example")
    page.get_by_label("通讯地址").fill("海西市文昌路8号")
    page.get_by_label("被侵权作品的名称").fill(f"《{article.title}》")
    page.get_by_label("本站侵权内容的网址").fill(f"{live_server.url}{article.get_absolute_url()}")
    page.get_by_label("构成侵权的初步证明材料").fill("本公司享有该文的信息网络传播权,授权书编号 2026-118。")
    page.get_by_label("我保证通知内容真实").check()
    page.screenshot(path=str(artifacts / "takedown-form.png"), full_page=True)
    page.get_by_role("button", name="提交通知 / Submit notice").click()
    page.wait_for_load_state()

    notice = Notice.objects.get()
    assert page.locator(".reference").inner_text() == notice.reference
    assert page.locator("dd.status").inner_text() == "已收到,待处理"  # a first-time claimant: reviewed first
    assert "合规专员审核" in page.locator("p.review-reason").inner_text()
    page.screenshot(path=str(artifacts / "takedown-received.png"), full_page=True)

    # The compliance officer, given the role by `huiwen roles`, works it from /newsroom/notices/.
    get_user_model().objects.create_user("hegui", password="Jiang-Pan-Deng-408")
    call_command("roles", "--assign", "hegui", "compliance", "--real-name", "何规", stdout=StringIO())
    page.goto(f"{live_server.url}/newsroom/login/")
    page.get_by_label("用户名").fill("hegui")
    page.get_by_label("密码").fill("Jiang-Pan-Deng-408")
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="侵权通知").click()
    page.get_by_role("link", name=notice.reference).click()
    page.get_by_label("理由").fill("核实授权书后删除")
    page.screenshot(path=str(artifacts / "takedown-desk.png"), full_page=True)
    page.get_by_role("button", name="执行").click()
    page.wait_for_load_state()
    assert page.locator("h1 .status").inner_text() == "已删除"

    gone = page.goto(f"{live_server.url}{article.get_absolute_url()}")
    assert gone.status == 410
    assert page.locator("h1").inner_text() == "这篇文章已撤下"

    page.goto(f"{live_server.url}/search?q={word}")
    result_links = page.locator("main a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert article.get_absolute_url() not in result_links
    feed = feedparser.parse(Client().get("/feed/rss.xml").content)
    assert f"{live_server.url}{article.get_absolute_url()}" not in [e.link for e in feed.entries]
    assert all(not e.link.endswith(article.get_absolute_url()) for e in feed.entries)
