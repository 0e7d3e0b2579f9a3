"""Roles that cannot climb (issue 13).

The attack: a 管理员 ticked is_superuser on its own account in the Django admin, recorded only in
the admin's own log, not in the append-only audit log; a 合规专员 assigned with `huiwen roles`
got no staff access, and the notice desk existed only in the admin, so the officer could not
reach it.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from huiwen.backoffice import accounts
from huiwen.backoffice.roles import ROLES
from huiwen.newsroom.models import AuditEntry
from huiwen.takedown.models import Notice
from tests.newsroom.desk import PASSWORD, form_data, user
from tests.reader.pages import html

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def administrator():
    made = user("guanli", "admin", real_name="管理")
    made.is_staff = True
    made.save()
    return User.objects.get(pk=made.pk)


def admin_form(client: Client, target: User) -> dict[str, object]:
    """The user change form as the admin renders it, every field with its current value."""
    return form_data(client, f"/admin/auth/user/{target.pk}/change/", "user_form")


def account_entries(subject: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="account", subject=subject).order_by("pk"))


def test_an_administrator_cannot_make_itself_superuser_in_the_admin(administrator):
    client = Client()
    client.force_login(administrator)
    page = html(client.get(f"/admin/auth/user/{administrator.pk}/change/"))
    assert not page.xpath("//input[@name='is_superuser']")  # not offered
    data = admin_form(client, administrator)
    data.update({"is_superuser": "on", "_save": "Save"})
    client.post(f"/admin/auth/user/{administrator.pk}/change/", data)
    assert not User.objects.get(pk=administrator.pk).is_superuser


def test_an_administrator_cannot_give_a_role_or_permission_it_does_not_hold(administrator):
    client = Client()
    client.force_login(administrator)
    chief = Group.objects.get(name=ROLES["chief"][0])
    publish = Permission.objects.get(codename="publish_article")
    page = html(client.get(f"/admin/auth/user/{administrator.pk}/change/"))
    offered_groups = page.xpath("//select[@name='groups']/option/@value")
    offered_perms = page.xpath("//select[@name='user_permissions']/option/@value")
    assert str(chief.pk) not in offered_groups and str(publish.pk) not in offered_perms
    data = admin_form(client, administrator)
    data.update({"groups": [str(chief.pk)], "user_permissions": [str(publish.pk)], "_save": "Save"})
    client.post(f"/admin/auth/user/{administrator.pk}/change/", data)
    climbed = User.objects.get(pk=administrator.pk)
    assert not climbed.has_perm("backoffice.publish_article")
    assert not climbed.groups.filter(pk=chief.pk).exists()


def test_an_administrator_cannot_touch_a_superuser_account(administrator):
    boss = User.objects.create_superuser("boss", password=PASSWORD)
    client = Client()
    client.force_login(administrator)
    assert client.get(f"/admin/auth/user/{boss.pk}/password/").status_code == 403
    assert client.post(f"/admin/auth/user/{boss.pk}/password/",
                       {"password1": "Tai-Shan-Bei-901", "password2": "Tai-Shan-Bei-901"}).status_code == 403
    assert User.objects.get(pk=boss.pk).check_password(PASSWORD)


def test_the_account_service_refuses_a_climb_from_any_page(administrator):
    """The same rules in the account service every page and command saves through (issue 18: no model
    signal carries them), judged on the actor as stored: a page other than the admin cannot be the way up."""
    administrator.is_superuser = True  # in memory: the service reads the actor's rights as stored
    chief = Group.objects.get(name=ROLES["chief"][0])
    publish = Permission.objects.get(codename="publish_article")
    admin_role = Group.objects.get(name=ROLES["admin"][0])
    attempts = [
        lambda: accounts.save_account(administrator, administrator),
        lambda: accounts.grant_role(administrator, administrator, chief),
        lambda: accounts.set_access(administrator, administrator, permissions=[publish]),
        lambda: accounts.set_role_permissions(administrator, admin_role, [*admin_role.permissions.all(), publish]),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied), transaction.atomic():  # each refused, nothing written
            attempt()
    assert not User.objects.get(pk=administrator.pk).is_superuser
    assert not administrator.groups.filter(pk=chief.pk).exists()
    assert not admin_role.permissions.filter(pk=publish.pk).exists()


def test_every_change_of_accounts_roles_and_permissions_is_in_the_audit_log(administrator):
    boss = User.objects.create_superuser("boss", password=PASSWORD)
    client = Client()
    client.force_login(boss)
    target = User.objects.create_user("xiaoming", password=PASSWORD)
    editor = Group.objects.get(name=ROLES["editor"][0])
    data = admin_form(client, target)
    data.update({"groups": [str(editor.pk)], "is_staff": "on", "_save": "Save"})
    assert client.post(f"/admin/auth/user/{target.pk}/change/", data).status_code == 302
    entries = account_entries("用户 xiaoming")
    reasons = [entry.reason for entry in entries]
    assert "授予角色" in reasons and "修改账号状态" in reasons
    granted = next(entry for entry in entries if entry.reason == "授予角色")
    assert granted.actor_name.startswith("boss") and granted.details["items"] == [editor.name]

    call_command("roles", "--assign", "xiaoming", "chief", stdout=StringIO())
    by_command = account_entries("用户 xiaoming")[-1]
    assert (by_command.reason, by_command.actor_name) == ("授予角色", "系统")
    entry = by_command
    with pytest.raises(PermissionError):  # append-only, as every audit entry
        entry.delete()


def test_a_compliance_officer_assigned_by_the_command_works_notices_in_the_back_office():
    User.objects.create_user("hegui", password=PASSWORD)
    call_command("roles", "--assign", "hegui", "compliance", "--real-name", "何规", stdout=StringIO())
    notice = Notice.objects.create(claimant_name="某报社", email="a@rights.example", address="某地", works="某文",
                                   urls="https://elsewhere.example/a.html", evidence_text="证明", accuracy=True)
    officer = Client()
    assert officer.post("/newsroom/login/", {"username": "hegui", "password": PASSWORD}).status_code == 302
    desk = html(officer.get("/newsroom/"))
    assert desk.xpath("//nav//a[@href='/newsroom/notices/']")
    assert notice.reference in html(officer.get("/newsroom/notices/")).text_content()
    response = officer.post(f"/newsroom/notices/{notice.pk}/act/", {"action": "reject", "reason": "网址不属于本站"})
    assert response.status_code == 302 and Notice.objects.get().status == Notice.Status.REJECTED
    editor = Client()
    editor.force_login(user("bianji", "editor"))
    assert editor.get("/newsroom/notices/").status_code == 403
