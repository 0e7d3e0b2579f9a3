"""The review queue and its actions, one article and in bulk, through the pages an editor uses."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from huiwen.backoffice import workflow
from huiwen.backoffice.models import ScheduledPublication
from huiwen.backoffice.tasks import publish_scheduled
from huiwen.newsroom.models import Article, AuditEntry
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


def queue_titles(client, **params) -> list[str]:
    page = html(client.get(QUEUE, params))
    return [text(a) for a in page.xpath("//table[@class='queue']//td[@class='title']/a")]


def test_queue_lists_pending_articles_with_flags(client, chief, news):
    word("传销", "block")
    collected(news, "第一篇待审稿件")
    flagged = collected(news, "第二篇待审稿件", lede="揭秘传销骗局")
    collected(news, "已经发布的稿件", status="published")
    changed = collected(news, "改过的标题", original_title="原来的标题")
    assert sorted(queue_titles(client)) == sorted(["第一篇待审稿件", "第二篇待审稿件", "改过的标题"])
    page = html(client.get(QUEUE))
    row = page.xpath(f"//tr[.//a[@href='{reverse('backoffice:article', args=[flagged.pk])}']]")[0]
    assert row.xpath(".//span[contains(@class,'flag-block')]/@title") == ["传销"]
    row = page.xpath(f"//tr[.//a[@href='{reverse('backoffice:article', args=[changed.pk])}']]")[0]
    assert text(row.xpath(".//span[contains(@class,'flag-title')]")[0]) == "标题已改"
    assert queue_titles(client, tab="published") == ["已经发布的稿件"]
    assert queue_titles(client, flag="sensitive") == ["第二篇待审稿件"]


def test_a_channel_filter_that_is_not_a_number_filters_nothing(client, chief, news):
    """Bad input in the address is never a 500: ?channel=abc shows the whole queue."""
    collected(news, "第一篇待审稿件")
    assert queue_titles(client, channel="abc") == ["第一篇待审稿件"]
    assert queue_titles(client, channel=str(news.pk)) == ["第一篇待审稿件"]


def test_the_phrase_list_with_junk_to_edit_shows_the_empty_form(client, chief):
    response = client.get("/newsroom/phrases/", {"edit": "abc"})
    assert response.status_code == 200
    assert html(response).xpath("//form[@method='post']//input[@name='simplified']/@value") in ([], [""])


def test_queue_queries_do_not_grow_with_rows(client, chief, news):
    def queries(rows: int) -> int:
        for number in range(rows):
            collected(news, f"待审稿件{rows}-{number}")
        client.get(reverse("backoffice:queue"))  # warm: per-process caches (content types, cache epoch)
        with CaptureQueriesContext(connection) as captured:
            assert len(queue_titles(client)) == Article.objects.filter(status="pending").count()
        return len(captured)

    few = queries(3)
    assert queries(27) == few <= 17  # site middleware (session, user, page-cache epoch), desk warnings


def test_bulk_publish_sets_real_name_and_audits(client, chief, news):
    first, second = collected(news, "甲稿"), collected(news, "乙稿")
    response = client.post(BULK, {"action": "publish", "articles": [first.pk, second.pk], "confirm": "yes"},
                           follow=True)
    assert response.status_code == 200
    for article in (first, second):
        article.refresh_from_db()
        assert article.status == Article.Status.PUBLISHED and article.editor == "王岚"
        entry = AuditEntry.objects.get(article=article)
        assert (entry.action, entry.actor_id) == (AuditEntry.Action.PUBLISH, chief.pk)
    assert client.get(first.get_absolute_url()).status_code == 200


def test_bulk_publish_refuses_each_article_for_its_own_reasons(client, chief, news):
    word("赌博", "block")
    good = collected(news, "可以发布的稿件")
    blocked = collected(news, "不能发布的稿件", lede="网络赌博案开庭")
    unattributed = collected(news, "没有原链接的稿件", source_url=None)
    response = client.post(BULK, {"action": "publish", "articles": [good.pk, blocked.pk, unattributed.pk],
                                  "confirm": "yes"}, follow=True)
    messages = [text(li) for li in html(response).xpath("//ul[@class='messages']/li")]
    assert messages[0] == "已发布 1 篇。"
    refusals = sorted(messages[1:])
    assert refusals[0].startswith("《不能发布的稿件》未能发布:") and "含禁止发布的词语:赌博" in refusals[0]
    assert refusals[1] == "《没有原链接的稿件》未能发布:缺少原链接。"
    statuses = dict(Article.objects.values_list("title", "status"))
    assert statuses == {"可以发布的稿件": "published", "不能发布的稿件": "pending", "没有原链接的稿件": "pending"}


def test_review_words_need_confirmation(client, chief, news):
    word("拆迁", "review")
    article = collected(news, "拆迁补偿方案公布")
    client.post(BULK, {"action": "publish", "articles": [article.pk], "confirm": "yes"})
    article.refresh_from_db()
    assert article.status == Article.Status.PENDING
    client.post(BULK, {"action": "publish", "articles": [article.pk], "confirmed": "on", "confirm": "yes"})
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


def test_reject_needs_a_reason_and_is_audited(client, chief, news):
    article = collected(news)
    client.post(BULK, {"action": "reject", "articles": [article.pk], "reason": ""})
    article.refresh_from_db()
    assert article.status == Article.Status.PENDING
    client.post(BULK, {"action": "reject", "articles": [article.pk], "reason": "与本站定位不符"})
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert AuditEntry.objects.get(article=article, action=AuditEntry.Action.REJECT).reason == "与本站定位不符"
    assert queue_titles(client, tab="draft") == [article.title]


def test_bulk_move_to_another_channel(client, chief, news):
    world = factories.channel("world", "国际")
    articles = [collected(news, f"稿件{n}") for n in range(3)]
    client.post(BULK, {"action": "move", "articles": [a.pk for a in articles], "channel": world.pk})
    assert set(Article.objects.values_list("channel__path", flat=True)) == {"world"}
    assert AuditEntry.objects.filter(action=AuditEntry.Action.MOVE).count() == 3


def test_editor_edits_but_cannot_publish(client, news):
    editor = user("zhaoyi", "editor", real_name="赵一")
    client.force_login(editor)
    article = collected(news)
    client.post(BULK, {"action": "publish", "articles": [article.pk], "confirm": "yes"})
    article.refresh_from_db()
    assert article.status == Article.Status.PENDING
    page = html(client.get(reverse("backoffice:article", args=[article.pk])))
    assert page.xpath("//button[@value='publish']") == []
    assert page.xpath("//a[text()='编辑']/@href") == [reverse("backoffice:edit", args=[article.pk])]


def test_schedule_then_publish_on_time_by_task_and_command(client, chief, news):
    soon = collected(news, "定时稿件甲")
    later = collected(news, "定时稿件乙")
    at = timezone.now() + timedelta(minutes=30)
    client.post(BULK, {"action": "schedule", "articles": [soon.pk, later.pk],
                       "at": timezone.localtime(at).strftime("%Y-%m-%dT%H:%M")})
    assert ScheduledPublication.objects.filter(state="waiting").count() == 2
    assert AuditEntry.objects.filter(action=AuditEntry.Action.SCHEDULE).count() == 2
    assert queue_titles(client, tab="scheduled") == ["定时稿件甲", "定时稿件乙"]
    assert queue_titles(client) == []
    assert publish_scheduled.call_local() == 0  # not yet due

    ScheduledPublication.objects.filter(article=soon).update(at=timezone.now() - timedelta(minutes=1))
    out = StringIO()
    call_command("publish_scheduled", "--dry-run", stdout=out)
    assert out.getvalue().splitlines()[0].startswith(f"would publish #{soon.pk} 定时稿件甲")
    soon.refresh_from_db()
    assert soon.status == Article.Status.PENDING

    assert publish_scheduled.call_local() == 1
    soon.refresh_from_db()
    assert soon.status == Article.Status.PUBLISHED and soon.editor == "王岚"
    assert AuditEntry.objects.filter(article=soon, action=AuditEntry.Action.PUBLISH).count() == 1
    later.refresh_from_db()
    assert later.status == Article.Status.PENDING


def test_due_schedule_that_became_unpublishable_fails_with_reasons(chief, news):
    article = collected(news, "后来出问题的稿件")
    assert workflow.schedule(article, chief, timezone.now() + timedelta(hours=1)) == []
    word("非法集资", "block")
    article.lede = "涉嫌非法集资"
    article.save()
    ScheduledPublication.objects.update(at=timezone.now())
    out = StringIO()
    call_command("publish_scheduled", stdout=out)
    assert out.getvalue().splitlines()[0] == f"failed #{article.pk} 后来出问题的稿件 ({timezone.localtime(ScheduledPublication.objects.get().at):%Y-%m-%d %H:%M})"
    assert ScheduledPublication.objects.get().state == ScheduledPublication.State.FAILED
    article.refresh_from_db()
    assert article.status == Article.Status.PENDING


def test_schedule_in_the_past_is_refused(chief, news):
    article = collected(news)
    assert workflow.schedule(article, chief, timezone.now() - timedelta(minutes=5)) == ["定时发布的时间必须晚于现在。"]


def test_preview_highlights_words_and_lists_attribution(client, chief, news):
    word("偷渡", "review")
    article = collected(news, "边境偷渡案告破", body="<p>警方破获一起<strong>偷渡</strong>案。</p>")
    page = html(client.get(reverse("backoffice:article", args=[article.pk])))
    assert page.xpath("//h1[@class='article-title']/mark/text()") == ["偷渡"]
    assert page.xpath("//div[@class='body']//strong/mark/text()") == ["偷渡"]
    checklist = [text(li) for li in page.xpath("//ul[@class='checklist']/li")]
    assert checklist[0] == "✓ 来源:江南日报"
    assert checklist[-1] == "✓ 责任编辑:王岚"
    assert any(item.startswith("✓ 原作者:周明远") for item in checklist)


def test_preview_action_publishes_one_article(client, chief, news):
    article = collected(news)
    response = client.post(reverse("backoffice:act", args=[article.pk]), {"action": "publish", "confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == reverse("backoffice:article", args=[article.pk])
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


def test_anonymous_goes_to_login_and_bad_next_is_ignored(client, chief, news):
    client.logout()
    response = client.get(QUEUE)
    assert response.status_code == 302 and response["Location"].startswith(reverse("backoffice:login"))
    client.force_login(chief)
    article = collected(news)
    response = client.post(BULK, {"action": "publish", "articles": [article.pk], "next": "https://evil.example/",
                                  "confirm": "yes"})
    assert response["Location"] == QUEUE
