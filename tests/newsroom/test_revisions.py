"""Revisions: every change kept, shown as a diff, restorable; the diff against the source's text."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huiwen.backoffice import revisions
from huiwen.newsroom.models import Article
from tests import factories
from tests.newsroom.desk import collected, user
from tests.reader.pages import html, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    made = user("editor", "editor", real_name="赵一")
    client.force_login(made)
    return made


def _edit(client, article, **changes):
    form = {"title": article.title, "column": article.column, "channel": article.channel_id,
            "publisher": article.publisher_id, "original_author": article.original_author, "lede": article.lede,
            "body": article.body, **changes}
    response = client.post(reverse("backoffice:edit", args=[article.pk]), form)
    assert response.status_code == 302, response.content.decode()[:500]
    article.refresh_from_db()


def test_character_diff_inside_a_changed_paragraph():
    assert revisions.diff_text("老街换新颜\n居民很满意", "老街换了新颜\n居民很满意") == [
        ("", "老街换"), ("ins", "了"), ("", "新颜\n居民很满意")]


def test_history_page_shows_each_change_with_who_and_why(client, editor):
    article = collected(factories.channel("news"), body="<p>第一段原文。</p><p>第二段原文。</p>")
    _edit(client, article, body="<p>第一段原文。</p><p>第二段改写。</p>")
    page = html(client.get(reverse("backoffice:history", args=[article.pk])))
    newest = page.xpath("//li[@class='revision']")[0]
    assert "赵一(editor) · 编辑修改" in text(newest.xpath("h2")[0])
    assert newest.xpath(".//dd/del/text()") == ["原文"] and newest.xpath(".//dd/ins/text()") == ["改写"]


def test_restore_brings_back_content_not_status(client, editor):
    article = collected(factories.channel("news"), "原来的标题", body="<p>原来的正文。</p>")
    _edit(client, article, title="改坏的标题", body="<p>改坏的正文。</p>")
    first = article.history.order_by("history_date", "history_id").first()
    restore = reverse("backoffice:restore", args=[article.pk, first.history_id])
    asked = html(client.post(restore))  # first a page showing what would come back
    assert asked.xpath("//dl[@class='diff']/dt/text()") == ["标题", "正文"]
    assert Article.objects.get(pk=article.pk).title == "改坏的标题"
    response = client.post(restore, {"confirm": "yes"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.body, article.status) == ("原来的标题", "<p>原来的正文。</p>", "pending")
    assert article.history.first().history_change_reason.startswith("恢复到 ")
    assert article.history.count() == 3


def test_diff_against_the_source_text(client, editor):
    article = collected(factories.channel("news"), "江边步道全线贯通", body="<p>步道全长八公里。</p>")
    _edit(client, article, body="<p>步道全长八公里,沿途设有驿站。</p>")
    page = html(client.get(reverse("backoffice:source-diff", args=[article.pk])))
    changes = {text(dt): dd for dt, dd in zip(page.xpath("//dl[@class='diff']/dt"), page.xpath("//dl[@class='diff']/dd"),
                                                strict=True)}
    assert list(changes) == ["正文"]
    assert changes["正文"].xpath("ins/text()") == [",沿途设有驿站"]


def test_source_text_is_the_latest_source_update():
    article = collected(factories.channel("news"), body="<p>初版。</p>")
    article.body = "<p>来源更新版。</p>"
    article._change_reason = revisions.SOURCE_UPDATE_REASON
    article.save()
    article.body = "<p>编辑修改版。</p>"
    article._change_reason = "编辑修改"
    article.save()
    assert revisions.source_value(article, "body") == "<p>来源更新版。</p>"
