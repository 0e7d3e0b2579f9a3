"""Changes to published articles follow the workflow (issue 15): held for a 主编, screened, audited.

Desk pages through Django's client; what readers get is read from the reader's own article view
(the gunicorn path is covered by tests/e2e/test_desk_live.py in Chromium).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from huiwen.backoffice.models import PendingRevision
from huiwen.newsroom.models import Article, AuditEntry
from tests import factories
from tests.newsroom.desk import collected, user, word
from tests.reader.pages import html, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def news():
    return factories.channel("news", "新闻")


@pytest.fixture
def live(news):
    chief = user("wanglan", "chief", real_name="王岚")
    article = collected(news, "江畔老街换新颜", status="published", editor="王岚",
                        body="<p>老街改造完成。</p><p>居民陆续回迁。</p>")
    return article, chief


def edit_form(article: Article, **changes) -> dict:
    return {"title": article.title, "column": article.column, "channel": article.channel_id,
            "publisher": article.publisher_id or "", "original_author": article.original_author,
            "lede": article.lede, "body": article.body, **changes}


def reader_title(client, article: Article) -> str:
    return text(html(client.get(article.get_absolute_url())).xpath("//h1[@class='article-title']")[0])


def reader_editor(client, article: Article) -> str:
    page = html(client.get(article.get_absolute_url()))
    return text(page.xpath("//dt[text()='责任编辑']/following-sibling::dd")[0])


def test_editor_change_waits_for_the_chief_and_readers_keep_the_live_version(client, live):
    article, chief = live
    editor = user("zhaoyi", "editor", real_name="赵一")
    client.force_login(editor)
    edit = reverse("backoffice:edit", args=[article.pk])

    refused = html(client.post(edit, edit_form(article, title="江畔老街焕然一新")))  # no reason given
    assert "请写明修改说明" in text(refused.xpath("//p[contains(@class,'field-note')]//span[@class='error']")[0])
    assert not PendingRevision.objects.exists()

    response = client.post(edit, edit_form(article, title="江畔老街焕然一新", note="标题更准确"), follow=True)
    assert "修改已提交主编审核" in text(html(response).xpath("//ul[@class='messages']")[0])
    article.refresh_from_db()
    assert (article.title, article.status, article.editor) == ("江畔老街换新颜", "published", "王岚")
    assert reader_title(client, article) == "江畔老街换新颜"
    change = PendingRevision.objects.get()
    assert (change.title, change.state, change.proposed_by, change.note) == (
        "江畔老街焕然一新", "waiting", editor, "标题更准确")
    proposed = AuditEntry.objects.get(action=AuditEntry.Action.PROPOSE)
    assert (proposed.actor_name, proposed.reason, proposed.details["fields"]) == ("赵一(zhaoyi)", "标题更准确", ["标题"])

    # The editor can see the change but not decide it.
    page = html(client.get(reverse("backoffice:revision", args=[article.pk, change.pk])))
    assert page.xpath("//form[contains(@class,'act-approve')]") == []
    assert client.post(reverse("backoffice:revision-approve", args=[article.pk, change.pk]),
                       {"confirm": "yes"}).status_code == 403

    client.force_login(chief)
    queue = html(client.get(reverse("backoffice:queue"), {"tab": "revisions"}))
    assert [text(a) for a in queue.xpath("//td[@class='title']/a")] == ["江畔老街换新颜"]
    approve = reverse("backoffice:revision-approve", args=[article.pk, change.pk])
    asked = html(client.post(approve))  # a confirmation page with the diff first
    assert asked.xpath("//dl[@class='diff']/dt/text()") == ["标题"]
    assert Article.objects.get(pk=article.pk).title == "江畔老街换新颜"
    client.post(approve, {"confirm": "yes"})
    article.refresh_from_db()
    assert (article.title, article.editor) == ("江畔老街焕然一新", "王岚")
    assert reader_title(client, article) == "江畔老街焕然一新"
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EDIT)
    assert (entry.actor_name, entry.reason, entry.details["fields"], entry.details["proposed_by"]) == (
        "王岚(wanglan)", "标题更准确", ["标题"], "赵一(zhaoyi)")
    assert PendingRevision.objects.get().state == PendingRevision.State.APPROVED
    assert article.history.first().history_user == chief


def test_the_editor_line_follows_the_approver(client, live, news):
    article, _ = live
    other_chief = user("lishan", "chief", real_name="李珊")
    editor = user("zhaoyi", "editor", real_name="赵一")
    client.force_login(editor)
    client.post(reverse("backoffice:edit", args=[article.pk]), edit_form(article, lede="新增导语。", note="补导语"))
    change = PendingRevision.objects.get()
    client.force_login(other_chief)
    client.post(reverse("backoffice:revision-approve", args=[article.pk, change.pk]), {"confirm": "yes"})
    assert reader_editor(client, article) == "李珊"


def test_review_and_block_words_hold_a_live_change_back(client, live):
    article, chief = live
    word("强拆", "review")
    word("赌博", "block")
    client.force_login(chief)  # even the chief's own edit is held when screening finds a word
    edit = reverse("backoffice:edit", args=[article.pk])
    response = client.post(edit, edit_form(article, body="<p>老街改造中没有强拆。</p>", note="补充说明"), follow=True)
    assert "须主编核对后生效" in text(html(response).xpath("//ul[@class='messages']")[0])
    article.refresh_from_db()
    assert "强拆" not in article.body and "强拆" not in reader_title(client, article)
    change = PendingRevision.objects.get(state="waiting")
    assert (change.level, change.hits) == ("review", [["强拆", "review", "body"]])

    approve = reverse("backoffice:revision-approve", args=[article.pk, change.pk])
    client.post(approve, {"confirm": "yes"})  # not confirmed: refused
    assert Article.objects.get(pk=article.pk).body == article.body
    client.post(approve, {"confirm": "yes", "confirmed": "on"})
    assert "强拆" in Article.objects.get(pk=article.pk).body

    article.refresh_from_db()
    client.post(edit, edit_form(article, body="<p>网络赌博害人。</p>", note="改写"))
    blocked = PendingRevision.objects.get(state="waiting")
    assert blocked.level == "block"
    client.post(reverse("backoffice:revision-approve", args=[article.pk, blocked.pk]),
                {"confirm": "yes", "confirmed": "on"})
    assert "赌博" not in Article.objects.get(pk=article.pk).body
    assert PendingRevision.objects.get(pk=blocked.pk).state == "waiting"


def test_chief_clean_edit_applies_at_once_and_is_audited(client, live):
    article, chief = live
    client.force_login(chief)
    client.post(reverse("backoffice:edit", args=[article.pk]),
                edit_form(article, body="<p>老街改造完成。</p><p>居民已全部回迁。</p>", note="更新回迁进度"))
    article.refresh_from_db()
    assert article.body == "<p>老街改造完成。</p><p>居民已全部回迁。</p>"
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EDIT)
    assert (entry.actor_name, entry.reason, entry.details["fields"]) == ("王岚(wanglan)", "更新回迁进度", ["正文"])
    assert not PendingRevision.objects.exists()


def test_decline_needs_a_reason_and_keeps_the_live_version(client, live):
    article, chief = live
    editor = user("zhaoyi", "editor", real_name="赵一")
    client.force_login(editor)
    client.post(reverse("backoffice:edit", args=[article.pk]), edit_form(article, title="改错的标题", note="试改"))
    change = PendingRevision.objects.get()
    client.force_login(chief)
    decline = reverse("backoffice:revision-decline", args=[article.pk, change.pk])
    client.post(decline, {"reason": ""})
    assert PendingRevision.objects.get().state == "waiting"
    client.post(decline, {"reason": "标题不得改动"})
    assert PendingRevision.objects.get().state == "declined"
    assert Article.objects.get(pk=article.pk).title == "江畔老街换新颜"
    entry = AuditEntry.objects.get(action=AuditEntry.Action.DECLINE)
    assert (entry.reason, entry.details["proposed_by"]) == ("标题不得改动", "赵一(zhaoyi)")


def test_a_second_change_replaces_the_waiting_one(client, live):
    article, _ = live
    client.force_login(user("zhaoyi", "editor", real_name="赵一"))
    edit = reverse("backoffice:edit", args=[article.pk])
    client.post(edit, edit_form(article, lede="第一稿导语。", note="加导语"))
    page = html(client.get(edit))  # the form starts from the waiting change
    assert page.xpath("string(//textarea[@name='lede'])").strip() == "第一稿导语。"
    client.post(edit, edit_form(article, lede="第二稿导语。", note="改导语"))
    assert list(PendingRevision.objects.order_by("pk").values_list("lede", "state")) == [
        ("第一稿导语。", "superseded"), ("第二稿导语。", "waiting")]


def test_restoring_an_old_revision_of_a_live_article_is_an_edit(client, live):
    article, chief = live
    client.force_login(chief)
    client.post(reverse("backoffice:edit", args=[article.pk]), edit_form(article, title="江畔老街新貌", note="改题"))
    first = article.history.order_by("history_date", "history_id").first()
    editor = user("zhaoyi", "editor", real_name="赵一")
    client.force_login(editor)
    client.post(reverse("backoffice:restore", args=[article.pk, first.history_id]),
                {"confirm": "yes", "reason": "恢复原标题"})
    assert Article.objects.get(pk=article.pk).title == "江畔老街新貌"  # held for the chief
    assert PendingRevision.objects.get().title == "江畔老街换新颜"


def test_unpublish_takes_an_article_back_to_review_with_a_reason(client, live):
    article, chief = live
    client.force_login(chief)
    act = reverse("backoffice:act", args=[article.pk])
    client.post(act, {"action": "unpublish", "reason": ""})
    assert Article.objects.get(pk=article.pk).status == "published"
    asked = html(client.post(act, {"action": "unpublish", "reason": "数据有误,待核实"}))
    assert text(asked.xpath("//q[@class='confirm-reason']")[0]) == "数据有误,待核实"
    assert Article.objects.get(pk=article.pk).status == "published"
    client.post(act, {"action": "unpublish", "reason": "数据有误,待核实", "confirm": "yes"})
    assert Article.objects.get(pk=article.pk).status == "pending"
    assert client.get(article.get_absolute_url()).status_code == 404
    entry = AuditEntry.objects.get(action=AuditEntry.Action.UNPUBLISH)
    assert (entry.actor_name, entry.reason) == ("王岚(wanglan)", "数据有误,待核实")


def test_editor_cannot_unpublish(client, live):
    article, _ = live
    client.force_login(user("zhaoyi", "editor", real_name="赵一"))
    client.post(reverse("backoffice:act", args=[article.pk]), {"action": "unpublish", "reason": "试试", "confirm": "yes"})
    assert Article.objects.get(pk=article.pk).status == "published"
