"""Every desk action in real Chromium, once with the mouse and once with the keyboard alone (issue 15).

What must never happen is checked where it could: Enter in a reason field rejects (never publishes),
Enter in the queue's bulk form does nothing, publishing and 撤下 stop at a confirmation page.
Screenshots are kept in test-artifacts/ (desk-*.png).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from huiwen.backoffice.models import PendingRevision, ScheduledPublication, SensitiveWord
from huiwen.collect.models import Source
from huiwen.newsroom.models import Article, AuditEntry, Channel
from tests import factories
from tests.e2e.desk import Hands, log_in, messages
from tests.newsroom.desk import collected, user, word

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WAYS = ["mouse", "keyboard"]


def status(article: Article) -> str:
    return Article.objects.values_list("status", flat=True).get(pk=article.pk)


@pytest.mark.parametrize("how", WAYS)
def test_review_actions_one_article_and_in_bulk(live_server, page, artifacts, how):
    news, world = factories.channel("news", "新闻"), factories.channel("world", "国际")
    user("wanglan", "chief", real_name="王岚")
    word("偷排", "review")
    flagged = collected(news, "清漪河治理见成效", body="<p>过去常见工厂夜间偷排。</p>")
    unsure = collected(news, "老街换新颜")
    later = collected(news, "新校区启用")
    moving = collected(news, "公园扩建完工")
    duplicate = collected(news, "桥梁合龙")
    hands = Hands(page, how)
    base = live_server.url
    log_in(page, base, "wanglan", hands)

    # 退回 with Enter in its reason field: the article is rejected, never published.
    page.goto(f"{base}/newsroom/a/{unsure.pk}/")
    reason = page.get_by_label("退回理由")
    hands.fill(reason, "来源不明")
    if hands.keyboard:
        hands.enter()
    else:
        hands.press(page.get_by_role("button", name="退回", exact=True))
    assert status(unsure) == "draft" and messages(page) == ["已退回 1 篇。"]
    assert not AuditEntry.objects.filter(article=unsure, action="publish").exists()

    # 发布: asks first, then publishes.
    page.goto(f"{base}/newsroom/a/{flagged.pk}/")
    confirm_box = page.get_by_label("已核对:偷排", exact=True)
    hands.check(confirm_box)
    hands.press(page.get_by_role("button", name="立即发布…"), after=confirm_box)
    assert page.locator("h1").inner_text() == "发布以下 1 篇文章?" and status(flagged) == "pending"
    page.screenshot(path=str(artifacts / f"desk-confirm-publish-{how}.png"), full_page=True)
    hands.press(page.get_by_role("button", name="确认发布"))
    assert status(flagged) == "published" and messages(page) == ["已发布 1 篇。"]

    # 撤下: a reason, a confirmation, and readers get 404.
    reason = page.get_by_label("撤下理由")
    hands.fill(reason, "数据待核实")
    hands.press(page.get_by_role("button", name="撤下…"), after=reason)
    assert page.locator("q.confirm-reason").inner_text() == "数据待核实" and status(flagged) == "published"
    hands.press(page.get_by_role("button", name="确认撤下"))
    assert status(flagged) == "pending"
    assert AuditEntry.objects.get(article=flagged, action="unpublish").reason == "数据待核实"
    assert page.request.get(f"{base}/a/{flagged.pk}.html").status == 404

    # 定时发布 and 移动 from the preview.
    page.goto(f"{base}/newsroom/a/{later.pk}/")
    when = page.get_by_label("定时", exact=True)
    if hands.keyboard:
        when.focus()
    when.fill(timezone.localtime(timezone.now() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    hands.press(page.get_by_role("button", name="定时发布", exact=True), after=when)
    assert ScheduledPublication.objects.filter(article=later, state="waiting").count() == 1
    page.goto(f"{base}/newsroom/a/{moving.pk}/")
    channel = page.locator("form.act-move select")
    hands.choose(channel, "国际  (/world/)")
    hands.press(page.get_by_role("button", name="移动", exact=True), after=channel)
    assert Article.objects.get(pk=moving.pk).channel == world

    # The queue's bulk form: Enter in its reason field does nothing; its buttons do their own action.
    page.goto(f"{base}/newsroom/")
    # Its Enter guard is a hidden submit button: no stylesheet rule may show it as an empty box.
    assert page.locator("button[aria-hidden='true'][disabled]").evaluate("b => getComputedStyle(b).display") == "none"
    hands.check(page.get_by_label(f"选择《{duplicate.title}》"))
    bulk_reason = page.locator("fieldset.bulk input[name='reason']")
    hands.fill(bulk_reason, "重复稿件")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert page.url.endswith("/newsroom/") and status(duplicate) == "pending"
    page.screenshot(path=str(artifacts / f"desk-queue-{how}.png"), full_page=True)
    hands.press(page.locator("fieldset.bulk").get_by_role("button", name="退回"), after=bulk_reason)
    assert status(duplicate) == "draft"

    hands.check(page.get_by_label(f"选择《{moving.title}》"))
    hands.press(page.locator("fieldset.bulk").get_by_role("button", name="发布…"))
    hands.press(page.get_by_role("button", name="确认发布"))
    assert status(moving) == "published"

    page.goto(f"{base}/newsroom/?tab=published")
    hands.check(page.get_by_label(f"选择《{moving.title}》"))
    bulk_reason = page.locator("fieldset.bulk input[name='reason']")
    hands.fill(bulk_reason, "重新审核")
    hands.press(page.locator("fieldset.bulk").get_by_role("button", name="撤下…"), after=bulk_reason)
    hands.press(page.get_by_role("button", name="确认撤下"))
    assert status(moving) == "pending"


@pytest.mark.parametrize("how", WAYS)
def test_changes_to_a_live_article_wait_for_the_chief(live_server, page, artifacts, how):
    news = factories.channel("news", "新闻")
    user("wanglan", "chief", real_name="王岚")
    user("zhaoyi", "editor", real_name="赵一")
    live = collected(news, "江畔老街换新颜", status="published", editor="王岚")
    draft = collected(news, "社区食堂开张", status="draft")
    hands = Hands(page, how)
    base = live_server.url

    log_in(page, base, "zhaoyi", hands)
    page.goto(f"{base}/newsroom/a/{draft.pk}/")
    hands.press(page.get_by_role("button", name="提交审核"))
    assert status(draft) == "pending"

    page.goto(f"{base}/newsroom/a/{live.pk}/edit/")
    title = page.get_by_label("标题", exact=True)
    hands.fill(title, "江畔老街焕然一新")
    note = page.get_by_label("修改说明")
    hands.fill(note, "标题更准确")
    page.screenshot(path=str(artifacts / f"desk-edit-live-{how}.png"), full_page=True)
    if hands.keyboard:  # Enter in a field presses 提交修改, the form's first button: it never publishes
        hands.enter()
    else:
        hands.press(page.get_by_role("button", name="提交修改"))
    assert "修改已提交主编审核" in messages(page)[0]
    assert page.request.get(f"{base}/a/{live.pk}.html").status == 200
    assert Article.objects.get(pk=live.pk).title == "江畔老街换新颜"

    page.context.clear_cookies()
    log_in(page, base, "wanglan", hands)
    page.goto(f"{base}/newsroom/?tab=revisions")
    hands.follow(page.get_by_role("link", name="江畔老街换新颜"))
    page.screenshot(path=str(artifacts / f"desk-revision-{how}.png"), full_page=True)
    hands.press(page.get_by_role("button", name="采用修改…"))
    hands.press(page.get_by_role("button", name="确认采用"))
    article = Article.objects.get(pk=live.pk)
    assert (article.title, article.editor) == ("江畔老街焕然一新", "王岚")
    page.goto(f"{base}/a/{live.pk}.html")
    assert page.locator("h1.article-title").inner_text() == "江畔老街焕然一新"

    PendingRevision.objects.create(article=article, title="改坏的标题", body=article.body, channel=news,
                                   publisher=article.publisher, note="试改", proposed_by=None)
    change = PendingRevision.objects.get(state="waiting")
    page.goto(f"{base}/newsroom/a/{live.pk}/revision/{change.pk}/")
    reason = page.get_by_label("驳回理由")
    hands.fill(reason, "标题不得改动")
    hands.press(page.get_by_role("button", name="驳回"), after=reason)
    assert PendingRevision.objects.get(pk=change.pk).state == "declined"

    page.goto(f"{base}/newsroom/a/{live.pk}/history/")
    hands.press(page.get_by_role("button", name="恢复到这个版本的内容…").first)
    reason = page.get_by_label("理由(写入审计日志)")
    hands.fill(reason, "恢复原题")
    hands.press(page.get_by_role("button", name="确认恢复"), after=reason)
    assert Article.objects.get(pk=live.pk).title == "江畔老街换新颜"
    assert AuditEntry.objects.filter(article=live, action="edit").count() == 2


@pytest.mark.parametrize("how", WAYS)
def test_channel_tree_actions(live_server, page, artifacts, how):
    news = factories.channel("news", "新闻")
    factories.channel("life", "生活")
    factories.article(news, "新闻频道的文章")
    user("wanglan", "chief", real_name="王岚")
    hands = Hands(page, how)
    base = live_server.url
    log_in(page, base, "wanglan", hands)
    page.goto(f"{base}/newsroom/channels/")

    hands.fill(page.get_by_label("名称"), "本地")
    hands.fill(page.get_by_label("标识"), "local")
    hands.choose(page.get_by_label("上级频道"), "新闻  (/news/)")
    hands.press(page.get_by_role("button", name="新建"))
    assert Channel.objects.get(slug="local").path == "news/local"

    move = page.get_by_label("本地 的新上级")
    hands.choose(move, "生活(/life/)")
    hands.press(page.get_by_role("button", name="移动 本地"), after=move)
    assert Channel.objects.get(slug="local").path == "life/local"

    hands.press(page.get_by_role("button", name="生活 上移"))
    assert list(Channel.objects.filter(parent=None).order_by("position", "pk").values_list("slug", flat=True)) == [
        "life", "news"]

    hands.press(page.get_by_role("button", name="隐藏 新闻"))
    assert page.locator("h1").inner_text() == "隐藏频道“新闻”?"
    page.screenshot(path=str(artifacts / f"desk-confirm-hide-{how}.png"), full_page=True)
    assert Channel.objects.get(slug="news").live
    reason = page.get_by_label("理由(写入审计日志)")
    hands.fill(reason, "栏目调整")
    hands.press(page.get_by_role("button", name="确认隐藏"), after=reason)
    assert not Channel.objects.get(slug="news").live
    assert AuditEntry.objects.get(action="hide").reason == "栏目调整"
    hands.press(page.get_by_role("button", name="上线 新闻"))
    hands.press(page.get_by_role("button", name="确认上线"))
    assert Channel.objects.get(slug="news").live


@pytest.mark.parametrize("how", WAYS)
def test_word_list_actions(live_server, page, how):
    user("hefang", "compliance", real_name="何芳")
    hands = Hands(page, how)
    base = live_server.url
    log_in(page, base, "hefang", hands)
    page.goto(f"{base}/newsroom/words/")
    hands.fill(page.locator("#id_word"), "偷排")
    hands.choose(page.locator("#id_kind"), "人工审核")
    note = page.get_by_label("理由(备注)")
    hands.fill(note, "读者举报")
    hands.press(page.get_by_role("button", name="添加", exact=True).first, after=note)
    assert SensitiveWord.objects.get(word="偷排").note == "读者举报"
    hands.press(page.locator("li", has_text="偷排").get_by_role("button", name="停用"))
    assert not SensitiveWord.objects.get(word="偷排").active
    many = page.locator("textarea[name='words']")
    hands.fill(many, "赌博\n传销")
    page.locator("form[action$='/words/import/'] select").select_option(label="禁止发布")
    hands.press(page.locator("form[action$='/words/import/']").get_by_role("button", name="添加"))
    assert set(SensitiveWord.objects.filter(kind="block").values_list("word", flat=True)) == {"赌博", "传销"}
    hands.press(page.locator("li", has_text="传销").get_by_role("button", name="删除"))
    assert not SensitiveWord.objects.filter(word="传销").exists()


@pytest.mark.parametrize("how", WAYS)
def test_collect_one_url_and_open_a_sources_settings(live_server, page, artifacts, how):
    from tests.collect.conftest import serve_stories
    from tests.sites.news import STORIES
    from tests.sites.server import FixtureSite

    news = factories.channel("news", "新闻")
    user("zhaoyi", "editor", real_name="赵一")
    admin = user("sunli", "admin", real_name="孙立")
    hands = Hands(page, how)
    base = live_server.url
    with FixtureSite() as site:
        site.page("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")
        urls = serve_stories(site, STORIES[:1])
        Source.objects.create(name="测试站", kind="feed", url=site.url("/feed.xml"), publisher=factories.publisher(),
                              channel=news, allow_private=True, host_interval=0)
        log_in(page, base, "zhaoyi", hands)
        hands.follow(page.get_by_role("link", name="采集单篇"))
        address = page.get_by_label("文章网址")
        hands.fill(address, urls[0])
        hands.press(page.get_by_role("button", name="立即采集"), after=address)
    article = Article.objects.get()
    assert page.url.endswith(f"/newsroom/a/{article.pk}/") and article.status == "pending"
    assert "在审核队列里等待审核" in messages(page)[0]

    page.context.clear_cookies()
    log_in(page, base, admin.username, hands)
    page.goto(f"{base}/newsroom/sources/")
    hands.follow(page.locator("section[aria-label='测试站'] h2 a"))
    assert page.locator("h1").inner_text().startswith("测试站")
    page.screenshot(path=str(artifacts / f"desk-source-{how}.png"), full_page=True)
