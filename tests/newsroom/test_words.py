"""The sensitive-word lists as the compliance officer edits them, and the audit log page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huiwen.backoffice import workflow
from huiwen.backoffice.models import SensitiveWord
from tests import factories
from tests.newsroom.desk import collected, user
from tests.reader.pages import html, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client):
    made = user("hefang", "compliance", real_name="何芳")
    client.force_login(made)
    return made


def test_officer_adds_imports_switches_off_and_deletes_words(client, officer):
    client.post(reverse("backoffice:words"), {"word": "假发票", "kind": "block", "replacement": "", "note": "税务"})
    client.post(reverse("backoffice:words-import"), {"kind": "replace", "words": "屌丝=网友\n\n奇葩 = 特别"})
    assert dict(SensitiveWord.objects.values_list("word", "replacement")) == {"假发票": "", "屌丝": "网友", "奇葩": "特别"}
    article = collected(factories.channel("news"), lede="出售假发票")
    assert article.screening.level == "block"

    word = SensitiveWord.objects.get(word="假发票")
    client.post(reverse("backoffice:word-toggle", args=[word.pk]))
    article.save()
    article.refresh_from_db()
    assert article.screening.level == "clean"  # switched off: the matcher was rebuilt
    client.post(reverse("backoffice:word-delete", args=[word.pk]))
    page = html(client.get(reverse("backoffice:words")))
    lists = {text(box.xpath("h2")[0]): [text(li).split()[0] for li in box.xpath(".//ul[@class='words']/li")]
             for box in page.xpath("//div[@class='word-lists']/section")}
    assert lists == {"禁止发布(0)": ["(空)"], "人工审核(0)": ["(空)"], "自动替换(2)": ["奇葩", "屌丝"]}


def test_editor_sees_the_lists_but_cannot_change_them(client):
    client.force_login(user("zhaoyi", "editor", real_name="赵一"))
    client.post(reverse("backoffice:words"), {"word": "假发票", "kind": "block"})
    assert not SensitiveWord.objects.exists()
    assert client.post(reverse("backoffice:words-import"), {"kind": "block", "words": "假发票"}).status_code == 403
    page = html(client.get(reverse("backoffice:channels")))
    assert text(page.xpath("//h1")[0]) == "没有权限"


def test_audit_log_lists_publications_and_rejections(client, officer):
    chief = user("wanglan", "chief", real_name="王岚")
    news = factories.channel("news")
    workflow.publish(collected(news, "发布的稿件"), chief)
    workflow.reject(collected(news, "退回的稿件"), chief, "来源不明")
    page = html(client.get(reverse("backoffice:audit")))
    rows = [[text(td) for td in tr.xpath("td")][1:] for tr in page.xpath("//table[@class='audit-log']/tbody/tr")]
    # Newest first; below them, setting up the users and roles wrote "账号与权限" entries (issue 13).
    assert rows[:2] == [["退回", "退回的稿件", "王岚(wanglan)", "来源不明"], ["发布", "发布的稿件", "王岚(wanglan)", "发布"]]
    assert {row[0] for row in rows[2:]} == {"账号与权限"}
    page = html(client.get(reverse("backoffice:audit"), {"action": "reject"}))
    assert len(page.xpath("//table[@class='audit-log']/tbody/tr")) == 1
