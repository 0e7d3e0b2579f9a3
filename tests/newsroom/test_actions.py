"""Publish, withdraw and restore through the actions layer: audited, reasoned, append-only."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from huiwen.newsroom import actions
from huiwen.newsroom.models import Article, AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return factories.article(factories.channel("news", "新闻"), "要被撤下的文章")


def test_withdraw_and_restore_are_audited(article, client):
    officer = User.objects.create_user("compliance", password="a-long-password-123")
    with pytest.raises(ValidationError):
        actions.withdraw([article], officer, reason="  ")
    actions.withdraw([article], officer, reason="权利人通知 HW-1")
    assert client.get(article.get_absolute_url()).status_code == 410
    actions.restore([article], officer, reason="反通知成立")
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert client.get(article.get_absolute_url()).status_code == 200
    # (Setting up the users wrote "account" entries too: issue 13 audits accounts and roles.)
    entries = list(AuditEntry.objects.exclude(action="account").order_by("at", "pk")
                   .values_list("action", "actor_name", "reason"))
    assert entries == [("withdraw", "compliance", "权利人通知 HW-1"), ("restore", "compliance", "反通知成立")]


def test_restore_returns_a_pending_article_to_pending(article):
    article.status = Article.Status.PENDING
    article.save()
    actions.withdraw([article], None, reason="核查")
    actions.restore([article], None, reason="核查完毕")
    article.refresh_from_db()
    assert article.status == Article.Status.PENDING


def test_audit_log_cannot_be_edited(article):
    actions.withdraw([article], None, reason="测试")
    entry = AuditEntry.objects.exclude(action="account").get()
    entry.reason = "改写历史"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(reason="改写")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE newsroom_auditentry SET reason = 'raw sql'")
    assert AuditEntry.objects.exclude(action="account").get().reason == "测试"


def test_deleting_an_article_keeps_its_audit_record(article):
    actions.withdraw([article], None, reason="测试")
    title = article.title
    Article.objects.filter(pk=article.pk).delete()
    assert AuditEntry.objects.exclude(action="account").get().article_title == title
