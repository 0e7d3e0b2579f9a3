"""No accidental state change (issue 15): one form per action, a harmless default, confirmation pages,
only the actions a role can take, and the desk's warnings about work that did not happen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from huiwen.backoffice import health
from huiwen.backoffice.models import ScheduledPublication, WorkerBeat
from huiwen.newsroom.models import Article
from tests import factories
from tests.newsroom.desk import collected, user, word
from tests.reader.pages import html, text

pytestmark = pytest.mark.django_db
QUEUE = reverse("backoffice:queue")
BULK = reverse("backoffice:bulk")


@pytest.fixture
def news():
    return factories.channel("news", "新闻")


@pytest.fixture
def chief(client):
    made = user("wanglan", "chief", real_name="王岚")
    client.force_login(made)
    return made


def default_button(form):
    """What Enter in a field presses: the form's first submit button (HTML's implicit submission)."""
    buttons = form.xpath(".//button[not(@type) or @type='submit'] | .//input[@type='submit']")
    return buttons[0] if buttons else None


def test_every_preview_form_has_one_action_and_no_text_field_submits_publish(client, chief, news):
    word("偷排", "review")
    article = collected(news, body="<p>工厂夜间偷排。</p>")
    page = html(client.get(reverse("backoffice:article", args=[article.pk])))
    forms = page.xpath("//section[contains(@class,'actions')]//form")
    actions = [form.xpath("string(.//input[@name='action']/@value)") for form in forms]
    assert actions == ["publish", "schedule", "reject", "move"]
    for form, action in zip(forms, actions, strict=True):
        assert form.xpath(".//button[@name='action']") == [], "the action is fixed by the form, not by a button"
        if form.xpath(".//input[@type='text' or @type='datetime-local']"):
            assert action != "publish"
    reject = forms[actions.index("reject")]
    assert default_button(reject).text == "退回"


def test_bulk_forms_default_button_is_disabled(client, chief, news):
    collected(news)
    form = html(client.get(QUEUE)).xpath("//form[@class='queue-form']")[0]
    first = default_button(form)
    assert first.get("disabled") is not None and first.get("value") == ""


def test_publish_asks_first_and_lists_what_would_stop_each_article(client, chief, news):
    good = collected(news, "可以发布的稿件")
    unattributed = collected(news, "没有原链接的稿件", source_url=None)
    asked = html(client.post(BULK, {"action": "publish", "articles": [good.pk, unattributed.pk], "next": QUEUE}))
    assert set(Article.objects.values_list("status", flat=True)) == {"pending"}
    assert text(asked.xpath("//h1")[0]) == "发布以下 2 篇文章?"
    items = {text(li.xpath("a")[0]): [text(p) for p in li.xpath(".//ul[@class='problems']/li")]
             for li in asked.xpath("//ul[@class='confirm-items']/li")}
    assert items == {"可以发布的稿件": [], "没有原链接的稿件": ["缺少原链接。"]}
    form = asked.xpath("//form[@class='confirm-form']")[0]
    hidden = sorted((i.get("name"), i.get("value")) for i in form.xpath(".//input[@type='hidden']")
                    if i.get("name") != "csrfmiddlewaretoken")
    assert hidden == sorted([("action", "publish"), ("articles", str(good.pk)), ("articles", str(unattributed.pk)),
                             ("next", QUEUE), ("confirm", "yes")])
    assert form.xpath(".//a[@class='button']/@href") == [QUEUE]
    client.post(BULK, dict(hidden))  # what the confirm button sends (dict keeps one article)
    assert Article.objects.get(pk=unattributed.pk).status == "pending"


def test_an_editor_sees_only_what_she_can_do(client, news):
    collected(news, "待审稿件")
    collected(news, "草稿", status="draft")
    client.force_login(user("zhaoyi", "editor", real_name="赵一"))
    pending = html(client.get(QUEUE))
    assert pending.xpath("//input[@name='articles']") == [] and pending.xpath("//fieldset[@class='bulk']") == []
    drafts = html(client.get(QUEUE, {"tab": "draft"}))
    assert len(drafts.xpath("//input[@name='articles']")) == 1
    assert [b.get("value") for b in drafts.xpath("//fieldset[@class='bulk']//button")] == ["submit"]


def test_chief_sees_the_actions_of_each_tab(client, chief, news):
    collected(news, "已发布", status="published")
    page = html(client.get(QUEUE, {"tab": "published"}))
    assert [b.get("value") for b in page.xpath("//fieldset[@class='bulk']//button")] == ["move", "unpublish"]


def test_desk_warns_of_a_missing_worker_and_overdue_schedules(client, chief, news):
    article = collected(news, "定时稿件")
    ScheduledPublication.objects.create(article=article, at=timezone.now() - timedelta(minutes=10), requested_by=chief)

    def warnings() -> dict[str, str]:
        page = html(client.get(QUEUE))
        return {li.get("class"): text(li) for li in page.xpath("//ul[@class='desk-warnings']/li")}

    shown = warnings()
    assert shown["warning-worker"].startswith("没有在运行的 worker(从未收到心跳)")
    assert shown["warning-overdue"].startswith("1 篇定时发布已过时间仍未发布。")
    health.beat()
    assert "warning-worker" not in warnings()
    WorkerBeat.objects.update(beat_at=timezone.now() - timedelta(minutes=5))
    assert "最近心跳" in warnings()["warning-worker"]
    ScheduledPublication.objects.update(at=timezone.now() + timedelta(minutes=10))
    assert "warning-overdue" not in warnings()


def test_heartbeat_task_and_startup_hook_write_a_beat():
    from huiwen.backoffice.tasks import first_beat, heartbeat

    heartbeat.call_local()
    first_beat()
    assert WorkerBeat.objects.count() == 1  # one row per process


def test_failed_schedule_is_shown_on_the_desk_and_the_article(client, chief, news):
    article = collected(news, "出问题的定时稿件")
    ScheduledPublication.objects.create(article=article, at=timezone.now(), requested_by=chief,
                                        state=ScheduledPublication.State.FAILED, outcome="含禁止发布的词语:某词。")
    page = html(client.get(QUEUE))
    assert [li.get("class") for li in page.xpath("//ul[@class='desk-warnings']/li")] == [
        "warning-worker", "warning-failed"]
    preview = html(client.get(reverse("backoffice:article", args=[article.pk])))
    assert "含禁止发布的词语:某词。" in text(preview.xpath("//p[contains(@class,'flag-block')]")[0])


def test_scheduled_tab_flags_overdue_rows(client, chief, news):
    article = collected(news, "过期的定时稿件")
    ScheduledPublication.objects.create(article=article, at=timezone.now() - timedelta(minutes=30), requested_by=chief)
    page = html(client.get(QUEUE, {"tab": "scheduled"}))
    assert [text(s) for s in page.xpath("//span[contains(@class,'flag-overdue')]")] == ["已过期"]


def test_words_page_lets_a_chief_add_with_a_reason(client, chief):
    page = html(client.get(reverse("backoffice:words")))
    assert page.xpath("//form//input[@name='word']") and page.xpath("//form//input[@name='note']")
    client.post(reverse("backoffice:words"), {"word": "某词", "kind": "review", "note": "读者投诉"})
    compliance_only = user("hefang", "editor", real_name="何方")
    client.force_login(compliance_only)
    page = html(client.get(reverse("backoffice:words")))
    assert page.xpath("//form//input[@name='word']") == []
    assert "由主编和合规专员维护" in text(page.xpath("//p[@class='hint who-edits']")[0])
