"""Roles as groups with permissions, login throttling, password rules."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from huiwen.backoffice.roles import ROLES
from tests import factories
from tests.newsroom.desk import PASSWORD, user
from tests.reader.pages import html, text

pytestmark = pytest.mark.django_db
LOGIN = reverse("backoffice:login")


def test_groups_exist_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= {"编辑", "主编", "合规专员", "管理员"}


@pytest.mark.parametrize(("role", "allowed", "refused"), [
    ("editor", ["newsroom.change_article"], ["backoffice.publish_article", "backoffice.manage_channels"]),
    ("chief", ["backoffice.publish_article", "backoffice.manage_channels", "newsroom.change_channel"],
     ["collect.change_source", "auth.change_user"]),
    ("compliance", ["backoffice.change_sensitiveword", "newsroom.view_auditentry"],
     ["backoffice.publish_article", "newsroom.change_article"]),
    ("admin", ["collect.change_source", "auth.change_user", "backoffice.change_editorprofile"],
     ["backoffice.publish_article", "newsroom.change_article"]),
])
def test_each_role_has_its_rights_and_no_others(role, allowed, refused):
    member = user(f"u-{role}", role)
    assert all(member.has_perm(perm) for perm in allowed)
    assert not any(member.has_perm(perm) for perm in refused)


@pytest.mark.parametrize(("role", "url", "status"), [
    ("editor", "backoffice:channels", 403), ("editor", "backoffice:sources", 403),
    ("chief", "backoffice:channels", 200), ("admin", "backoffice:sources", 200),
    ("compliance", "backoffice:words", 200), ("compliance", "backoffice:channels", 403),
])
def test_pages_follow_the_roles(client, role, url, status):
    client.force_login(user(f"u-{role}", role))
    assert client.get(reverse(url)).status_code == status


def test_roles_command_assigns_a_role_and_a_real_name():
    get_user_model().objects.create_user("liqing", password=PASSWORD)
    out = StringIO()
    call_command("roles", "--assign", "liqing", "chief", "--real-name", "李青", stdout=out)
    member = get_user_model().objects.get(username="liqing")
    assert member.groups.filter(name=ROLES["chief"][0]).exists() and member.editor_profile.real_name == "李青"
    assert any(line.startswith("chief") and "liqing" in line for line in out.getvalue().splitlines())


def test_login_works_then_locks_after_repeated_failures(client, settings):
    user("wanglan", "chief", real_name="王岚")
    response = client.post(LOGIN, {"username": "wanglan", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("backoffice:queue")
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        page = html(client.post(LOGIN, {"username": "wanglan", "password": "wrong-password-1"}))
        assert text(page.xpath("//p[@role='alert']")[0]).startswith("用户名或密码不正确")
    locked = client.post(LOGIN, {"username": "wanglan", "password": "wrong-password-1"})
    assert locked.status_code == 429
    assert text(html(locked).xpath("//h1")[0]) == "登录已暂时锁定"
    # Even the right password is refused while locked.
    assert client.post(LOGIN, {"username": "wanglan", "password": PASSWORD}).status_code == 429


@pytest.mark.parametrize("password", ["short-1A", "aaaaaaaaaaaaaaaa", "abcabcabcabcabc", "huiwen-2026-news",
                                      "123456789012345", "mypassword-is-long"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_strong_password_passes():
    validate_password("江畔-Lanterns-47-晚风")


def test_queue_shows_the_real_name(client):
    client.force_login(user("wanglan", "chief", real_name="王岚"))
    factories.channel("news")
    page = html(client.get(reverse("backoffice:queue")))
    assert text(page.xpath("//span[@class='who']")[0]) == "王岚"
