"""Every change of an account or a role is audited by the path that makes it (issue 13; issue 18 point 1).

No model signal: the admin's user and role pages, `huiwen roles` and the demo save through the
account service (backoffice.accounts), which checks the change and writes its AuditEntry in the
transaction of the change, naming who made it.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.test import Client

from huiwen.backoffice import accounts
from huiwen.backoffice.roles import ROLES, ensure_roles
from huiwen.newsroom.models import AuditEntry
from tests.newsroom.desk import PASSWORD, form_data, user

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW_PASSWORD = "Qing-Ming-Shang-He-462"


@pytest.fixture
def boss():
    ensure_roles()
    made = User.objects.create_superuser("boss", password=PASSWORD)
    client = Client()
    client.force_login(made)
    return client


def entries(subject: str) -> list[tuple[str, str, dict]]:
    found = AuditEntry.objects.filter(action=AuditEntry.Action.ACCOUNT, subject=subject).order_by("pk")
    return [(entry.reason, entry.actor_name, entry.details) for entry in found]


def reasons(subject: str) -> list[str]:
    return [reason for reason, _, _ in entries(subject)]


def test_no_model_signal_carries_the_account_rules_or_their_audit():
    for signal in (pre_save, post_save, pre_delete, post_delete):
        assert not signal.has_listeners(User), signal
        assert not signal.has_listeners(Group), signal
    for relation in (User.groups.through, User.user_permissions.through, Group.permissions.through):
        assert not m2m_changed.has_listeners(relation), relation


def test_the_user_pages_of_the_admin_audit_each_change_with_its_actor(boss):
    response = boss.post("/admin/auth/user/add/", {
        "username": "xiaoming", "usable_password": "true", "password1": PASSWORD, "password2": PASSWORD,
        "editor_profile-TOTAL_FORMS": "0", "editor_profile-INITIAL_FORMS": "0", "_save": "Save"})
    assert response.status_code == 302
    target = User.objects.get(username="xiaoming")
    change = f"/admin/auth/user/{target.pk}/change/"
    editor = Group.objects.get(name=ROLES["editor"][0])
    view_audit = Permission.objects.get(codename="view_auditentry")

    data = form_data(boss, change, "user_form")
    data.update({"is_staff": "on", "groups": [str(editor.pk)], "user_permissions": [str(view_audit.pk)], "_save": "Save"})
    assert boss.post(change, data).status_code == 302
    data = form_data(boss, change, "user_form")
    data.pop("is_staff")
    data.update({"groups": [], "user_permissions": [], "_save": "Save"})
    assert boss.post(change, data).status_code == 302
    response = boss.post(f"/admin/auth/user/{target.pk}/password/",
                         {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302 and User.objects.get(pk=target.pk).check_password(NEW_PASSWORD)
    assert boss.post(f"/admin/auth/user/{target.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not User.objects.filter(pk=target.pk).exists()

    found = entries("用户 xiaoming")
    assert [reason for reason, _, _ in found] == [
        "创建账号", "修改账号状态", "授予角色", "授予权限", "修改账号状态", "收回角色", "收回权限", "修改密码", "删除账号"]
    assert {actor for _, actor, _ in found} == {"boss"}
    assert found[1][2] == {"is_staff": [False, True]}
    assert found[2][2] == {"items": [editor.name]} and found[6][2] == {"items": ["newsroom.view_auditentry"]}


def test_deleting_accounts_in_bulk_audits_each_one(boss):
    made = [User.objects.create_user(name, password=PASSWORD) for name in ("zhangsan", "lisi")]
    response = boss.post("/admin/auth/user/", {"action": "delete_selected", "post": "yes",
                                               "_selected_action": [str(u.pk) for u in made]})
    assert response.status_code == 302 and not User.objects.filter(username__in=["zhangsan", "lisi"]).exists()
    assert reasons("用户 zhangsan") == reasons("用户 lisi") == ["删除账号"]


def test_the_role_page_audits_permissions_put_in_and_taken_out(boss):
    role = Group.objects.create(name="校对")
    first, second = (Permission.objects.get(codename=name) for name in ("view_article", "view_channel"))
    change = f"/admin/auth/group/{role.pk}/change/"
    data = form_data(boss, change, "group_form")
    data.update({"permissions": [str(first.pk), str(second.pk)], "_save": "Save"})
    assert boss.post(change, data).status_code == 302
    data.update({"permissions": [str(first.pk)]})
    assert boss.post(change, data).status_code == 302
    assert set(role.permissions.all()) == {first}
    assert entries("角色 校对") == [
        ("角色添加权限", "boss", {"permissions": ["newsroom.view_article", "newsroom.view_channel"]}),
        ("角色移除权限", "boss", {"permissions": ["newsroom.view_channel"]}),
    ]


def test_the_roles_command_and_the_demo_editor_are_audited_as_the_system():
    User.objects.create_user("laowang", password=PASSWORD)
    call_command("roles", "--assign", "laowang", "admin", stdout=StringIO())
    assert [(reason, actor) for reason, actor, _ in entries("用户 laowang")] == [("授予角色", "系统"),
                                                                              ("修改账号状态", "系统")]
    from huiwen.demo_site.management.commands.demo import Command

    Command(stdout=StringIO())._demo_editor()
    Command(stdout=StringIO())._demo_editor()  # a new password on every run
    assert [(reason, actor) for reason, actor, _ in entries("用户 demo")] == [("创建账号", "系统"),
                                                                           ("修改密码", "系统")]


def test_a_refused_change_leaves_no_change_and_no_entry():
    administrator = user("guanli", "admin", real_name="管理")
    before = AuditEntry.objects.count()
    chief = Group.objects.get(name=ROLES["chief"][0])
    with pytest.raises(PermissionDenied):
        accounts.grant_role(administrator, administrator, chief)
    assert AuditEntry.objects.count() == before
    assert not administrator.groups.filter(pk=chief.pk).exists()


def test_signing_in_is_not_an_account_change():
    made = user("denglu", "editor")
    before = AuditEntry.objects.count()
    assert Client().post("/newsroom/login/", {"username": "denglu", "password": PASSWORD}).status_code == 302
    assert User.objects.get(pk=made.pk).last_login is not None
    assert AuditEntry.objects.count() == before
