"""The compliance desk: reasoned actions, permission checks, an audit log nobody can edit."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from huiwen.newsroom.models import AuditEntry
from huiwen.takedown.models import Notice
from tests.reader.pages import html
from tests.takedown.conftest import notice_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(django_user_model):
    user = django_user_model.objects.create_user("officer", password="a-long-password-123", is_staff=True)
    for codename in ("view_notice", "handle_notice", "view_auditentry"):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


def test_withdraw_from_the_queue_requires_a_reason(client, world, settings, officer):
    settings.TAKEDOWN = {**settings.TAKEDOWN, "MODE": "review"}
    client.post("/takedown/", notice_data(world))
    notice = Notice.objects.get()
    client.force_login(officer)
    queue = html(client.get("/admin/takedown/notice/?status__exact=received"))
    assert notice.reference in queue.text_content()
    url = f"/admin/takedown/notice/{notice.pk}/act/withdraw/"
    assert client.post(url, {"reason": ""}).status_code == 200  # the form again, with an error
    assert Notice.objects.get().status == Notice.Status.RECEIVED
    assert client.post(url, {"reason": "核实权属证明后删除"}).status_code == 302
    assert Notice.objects.get().status == Notice.Status.WITHDRAWN
    entry = AuditEntry.objects.get(subject=notice.reference, action="withdraw")
    assert (entry.actor_name, entry.reason) == ("officer", "核实权属证明后删除")
    assert client.get(world.original.get_absolute_url()).status_code == 410


def test_actions_need_the_handle_permission(client, world, django_user_model):
    client.post("/takedown/", notice_data(world))
    notice = Notice.objects.get()
    viewer = django_user_model.objects.create_user("viewer", password="a-long-password-123", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_notice"))
    client.force_login(viewer)
    assert client.post(f"/admin/takedown/notice/{notice.pk}/act/restore/", {"reason": "x"}).status_code == 403


def test_audit_log_is_read_only_in_the_admin(client, world, officer):
    client.post("/takedown/", notice_data(world))
    client.force_login(officer)
    entry = AuditEntry.objects.first()
    page = html(client.get(f"/admin/newsroom/auditentry/{entry.pk}/change/"))
    assert not page.xpath("//input[@name='_save']")
    assert client.post(f"/admin/newsroom/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403


def test_the_compliance_group_can_handle_notices(client, world, django_user_model):
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # runs the post-migrate grants again, idempotently
    group = Group.objects.get(name="合规专员")
    officer = django_user_model.objects.create_user("compliance", password="a-long-password-123", is_staff=True)
    officer.groups.add(group)
    assert officer.has_perm("takedown.handle_notice") and officer.has_perm("newsroom.view_auditentry")
