"""Django's createsuperuser and changepassword are audited (issue 18, point 1): huiwen.authcommands,
listed before django.contrib.auth, overrides them, and the account service writes the account and
its AuditEntry in one transaction. The real commands run against the real database."""

from __future__ import annotations

import getpass
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse

from huiwen.newsroom.models import AuditEntry
from tests.newsroom.desk import PASSWORD

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW_PASSWORD = "Han-Shi-Jiang-Xue-738"


def entries(username: str) -> list[tuple[str, str, dict]]:
    found = AuditEntry.objects.filter(action=AuditEntry.Action.ACCOUNT, subject=f"用户 {username}").order_by("pk")
    return [(entry.reason, entry.actor_name, entry.details) for entry in found]


def test_the_two_commands_are_huiwens():
    commands = get_commands()
    assert commands["createsuperuser"] == commands["changepassword"] == "huiwen.authcommands"


def test_createsuperuser_makes_the_account_and_its_audit_entry(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    out = StringIO()
    call_command("createsuperuser", interactive=False, username="zhanggong", email="zhang@example.com", stdout=out)
    assert "Superuser created successfully." in out.getvalue()
    made = User.objects.get(username="zhanggong")
    assert made.is_superuser and made.is_staff and made.check_password(PASSWORD)
    [(reason, actor, details)] = entries("zhanggong")
    assert (reason, actor) == ("创建账号", "系统")  # the operator at the shell
    assert details["is_superuser"] is True and details["is_staff"] is True
    assert details["command"] == "createsuperuser"
    assert details.get("operator", getpass.getuser()) == getpass.getuser()


class Terminal(StringIO):
    def isatty(self) -> bool:  # the interactive path runs only at a terminal
        return True


def test_createsuperuser_at_a_terminal_validates_the_password_against_the_new_account(monkeypatch):
    """Interactive: Django builds the unsaved account to validate the password against (a password
    like the user name is refused), then asks again; the account and its entry are the service's."""
    typed = iter(["sunqiang2026", "sunqiang2026", PASSWORD, PASSWORD])
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(typed))
    asked: list[str] = []
    monkeypatch.setattr("builtins.input", lambda prompt="": asked.append(prompt) or "n")  # no bypass
    err = StringIO()
    call_command("createsuperuser", interactive=True, username="sunqiang2026", email="sun@example.com",
                 stdin=Terminal(), stdout=StringIO(), stderr=err)
    assert "太相似" in err.getvalue() and len(asked) == 1  # refused once, not bypassed
    assert User.objects.get(username="sunqiang2026").check_password(PASSWORD)
    assert [(reason, actor) for reason, actor, _ in entries("sunqiang2026")] == [("创建账号", "系统")]


def test_createsuperuser_refused_by_django_leaves_neither_account_nor_entry(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", interactive=False, username="lizong", email="", stdout=StringIO())
    with pytest.raises(CommandError, match="already taken"):  # Django's own check still runs
        call_command("createsuperuser", interactive=False, username="lizong", email="", stdout=StringIO())
    assert User.objects.filter(username="lizong").count() == 1
    assert [reason for reason, _, _ in entries("lizong")] == ["创建账号"]


def test_changepassword_writes_the_password_and_its_audit_entry(monkeypatch):
    User.objects.create_user("wangbian", password=PASSWORD)  # as a fixture: not audited
    typed = iter(["short", "different", NEW_PASSWORD, NEW_PASSWORD])  # a mismatch first, then the same twice
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(typed))
    out = StringIO()
    result = call_command("changepassword", "wangbian", stdout=out)
    assert "Passwords do not match" in out.getvalue()
    assert result == "Password changed successfully for user 'wangbian'"
    assert User.objects.get(username="wangbian").check_password(NEW_PASSWORD)
    [(reason, actor, details)] = entries("wangbian")
    assert (reason, actor, details["command"]) == ("修改密码", "系统", "changepassword")


def test_changepassword_refusing_a_weak_password_changes_and_audits_nothing(monkeypatch):
    User.objects.create_user("zhaoyun", password=PASSWORD)
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": "123")  # too short, too common, all digits
    err = StringIO()
    with pytest.raises(CommandError, match="after 3 attempts"):
        call_command("changepassword", "zhaoyun", stdout=StringIO(), stderr=err)
    assert err.getvalue()  # the validators' messages
    assert User.objects.get(username="zhaoyun").check_password(PASSWORD)
    assert entries("zhaoyun") == []
    with pytest.raises(CommandError, match="does not exist"):
        call_command("changepassword", "nobody-here", stdout=StringIO())


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher",
                                     "django.contrib.auth.hashers.MD5PasswordHasher"])
def test_a_hash_upgraded_at_sign_in_is_not_an_audited_change(client):
    """Chosen: Django re-hashing the same password with a stronger hasher when its owner signs in
    is no change anyone made; the audit log keeps what operators and editors did."""
    user = User.objects.create_user("qianlao", is_staff=True)
    User.objects.filter(pk=user.pk).update(password=make_password(PASSWORD, hasher="md5"))
    response = client.post(reverse("backoffice:login"), {"username": "qianlao", "password": PASSWORD})
    assert response.status_code == 302  # signed in
    assert User.objects.get(pk=user.pk).password.startswith("pbkdf2_sha256$")  # upgraded
    assert entries("qianlao") == []
