"""Accounts, roles and permissions: nobody grants more than they hold, and every change is audited.

Issue 13: an administrator (管理员, with auth.change_user) could tick is_superuser on its own
account in the Django admin, recorded only in the admin's own log. The rules, enforced by this
service (every page and command that changes an account or a role calls it: the admin's user and
role pages, `huiwen roles`, the demo) and mirrored in the admin's forms (so nobody is offered what
would be refused):

- only a superuser makes or unmakes a superuser;
- staff status, a group or a permission can be given only by someone who holds it (a group: every
  permission in it), so no role can climb above its own rights, nor lift another account above them;
- an account that holds anything its editor lacks (a superuser, or a permission the editor does not
  have) cannot be changed by that editor at all: changing its password would be a climb too.

The actor is passed by the caller (the request's user; None for the operator's shell: `huiwen
roles`, the demo, the roles set up after migrating, Django's `createsuperuser` and
`changepassword`, which huiwen.authcommands routes through here), never guessed from a thread.
Every change of an account's flags, password, groups or permissions, and of a role's
permissions, writes an AuditEntry (action "account") into the append-only audit log in the same
transaction as the change. No model signal is involved (issue 18): a write that does not come
through here (code typed into `huiwen shell`) is not in this log; tests/test_account_writes.py
keeps huiwen's own code on this path. A password hash Django upgrades at sign-in (a stronger
hasher, more iterations) is not logged: the password is the same and nobody chose the change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NoReturn

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission, User, UserManager
from django.core.exceptions import PermissionDenied
from django.db import transaction

from huiwen.backoffice.audit import audit
from huiwen.newsroom.models import AuditEntry

FLAGS = ("is_superuser", "is_staff", "is_active")

Actor = AbstractBaseUser | AnonymousUser | None


def _as_stored(actor: Actor) -> User | None:
    """The acting account as stored, or None (the operator's shell, or nobody signed in).

    As stored, not as the object in memory: a page changing request.user itself must not be
    judged by the rights it is trying to give itself.
    """
    if actor is None or not actor.is_authenticated:
        return None
    return User.objects.filter(pk=actor.pk).first()


def _perm_names(permissions: Iterable[Permission]) -> set[str]:
    return {f"{p.content_type.app_label}.{p.codename}" for p in permissions}


def permissions_of(user: User) -> set[str]:
    """Every permission the account holds (its own and its groups'); superusers: all of them."""
    if user.is_superuser:
        return _perm_names(Permission.objects.select_related("content_type"))
    if user.pk is None:
        return set()
    own = Permission.objects.filter(user=user).select_related("content_type")
    via_groups = Permission.objects.filter(group__user=user).select_related("content_type")
    return _perm_names(own) | _perm_names(via_groups)


def may_grant(actor: Any, permissions: Iterable[Permission]) -> bool:
    if actor is None or actor.is_superuser:
        return True
    return _perm_names(permissions) <= permissions_of(actor)


def may_edit(actor: Any, target: User) -> bool:
    """Whether `actor` may change `target` at all: never an account that outranks it."""
    if actor is None or actor.is_superuser:
        return True
    if target.pk is None:
        return True
    stored = User.objects.filter(pk=target.pk).first()
    if stored is None:
        return True
    if stored.is_superuser or (stored.is_staff and not actor.is_staff):
        return False
    return permissions_of(stored) <= permissions_of(actor)


def grantable_groups(actor: Any) -> list[Group]:
    groups = Group.objects.prefetch_related("permissions__content_type")
    return [group for group in groups if may_grant(actor, group.permissions.all())]


def grantable_permissions(actor: Any) -> Any:
    permissions = Permission.objects.select_related("content_type")
    if actor is None or actor.is_superuser:
        return permissions
    held = permissions_of(actor)
    return permissions.filter(pk__in=[p.pk for p in permissions if f"{p.content_type.app_label}.{p.codename}" in held])


def _refuse(why: str) -> NoReturn:
    raise PermissionDenied(why)


# -- the changes ------------------------------------------------------------------------------

def save_account(actor: Actor, user: User, *, update_fields: Iterable[str] | None = None,
                 details: Mapping[str, object] | None = None) -> None:
    """Save `user` (new or changed: flags, password, any other field) as `actor` does it
    (`details`: what the audit entries add, such as the command that made the change)."""
    extra = dict(details or {})
    with transaction.atomic():
        stored = User.objects.filter(pk=user.pk).values(*FLAGS, "password").first() if user.pk else None
        acting = _as_stored(actor)
        _check(acting, user, stored)
        user.save(update_fields=update_fields)
        if stored is None:
            _record(acting, user, "创建账号", **{flag: getattr(user, flag) for flag in FLAGS}, **extra)
            return
        changes = {flag: [stored[flag], getattr(user, flag)] for flag in FLAGS if stored[flag] != getattr(user, flag)}
        if changes:
            _record(acting, user, "修改账号状态", **changes, **extra)
        if stored["password"] != user.password:
            _record(acting, user, "修改密码", **extra)


def set_password(actor: Actor, user: User, raw: str | None, *, details: Mapping[str, object] | None = None) -> None:
    """A new password (None: password sign-in disabled), checked and audited like any account change."""
    if raw is None:
        user.set_unusable_password()
    else:
        user.set_password(raw)
    save_account(actor, user, update_fields=["password"] if user.pk else None, details=details)


def create_superuser(actor: Actor, manager: UserManager[User], *, details: Mapping[str, object] | None = None,
                     **fields: Any) -> User:
    """A superuser made the way Django makes one (the manager's create_superuser: the name
    normalised, the password hashed or unusable), by a superuser or the operator's shell only, and
    audited in the transaction that writes it."""
    with transaction.atomic(using=manager.db):
        acting = _as_stored(actor)
        if acting is not None and not acting.is_superuser:
            _refuse("只有超级管理员才能授予或取消超级管理员。")
        user = manager.create_superuser(**fields)
        _record(acting, user, "创建账号", **{flag: getattr(user, flag) for flag in FLAGS}, **dict(details or {}))
    return user


def delete_accounts(actor: Actor, users: Iterable[User]) -> None:
    with transaction.atomic():
        acting = _as_stored(actor)
        for user in users:
            if not may_edit(acting, user):
                _refuse("不能修改权限高于自己的账号。")
            _record(acting, user, "删除账号")
            user.delete()


def set_access(actor: Actor, user: User, *, groups: Iterable[Group] | None = None,
               permissions: Iterable[Permission] | None = None) -> None:
    """Give `user` exactly these roles and/or own permissions (None: leave that side as it is)."""
    with transaction.atomic():
        acting = _as_stored(actor)
        if groups is not None:
            _set_side(acting, user, user.groups, set(groups), "角色")
        if permissions is not None:
            _set_side(acting, user, user.user_permissions, set(permissions), "权限")


def grant_role(actor: Actor, user: User, group: Group) -> None:
    set_access(actor, user, groups=[*user.groups.all(), group])


def set_role_permissions(actor: Actor, group: Group, permissions: Iterable[Permission], *,
                         keep: bool = False) -> None:
    """Put exactly these permissions into the role (`keep`: add them, removing none)."""
    with transaction.atomic():
        acting = _as_stored(actor)
        current = set(group.permissions.select_related("content_type")) if group.pk else set()
        wanted = set(permissions)
        added, removed = wanted - current, set() if keep else current - wanted
        if added and not may_grant(acting, added):
            _refuse("不能给角色添加自己没有的权限。")
        if added:
            group.permissions.add(*added)
            _record_role(acting, group, "角色添加权限", added)
        if removed:
            group.permissions.remove(*removed)
            _record_role(acting, group, "角色移除权限", removed)


def _check(acting: User | None, user: User, stored: dict[str, Any] | None) -> None:
    if acting is None or acting.is_superuser:
        return
    before = stored or {"is_superuser": False, "is_staff": False, "is_active": True, "password": ""}
    if stored is not None and not may_edit(acting, user):
        _refuse("不能修改权限高于自己的账号。")
    if user.is_superuser != before["is_superuser"]:
        _refuse("只有超级管理员才能授予或取消超级管理员。")
    if user.is_staff and not before["is_staff"] and not acting.is_staff:
        _refuse("不能授予自己没有的后台(staff)身份。")


def _set_side(acting: User | None, user: User, manager: Any, wanted: set[Any], kind: str) -> None:
    """One side of an account's access (its groups or its own permissions) set to `wanted`."""
    current = set(manager.all())
    added, removed = wanted - current, current - wanted
    if not added and not removed:
        return
    if acting is not None and not acting.is_superuser:
        if not may_edit(acting, user):
            _refuse("不能修改权限高于自己的账号。")
        if added and not may_grant(acting, _permissions_in(added)):
            _refuse("不能授予自己没有的权限或角色。")
    if added:
        manager.add(*added)
        _record(acting, user, f"授予{kind}", items=sorted(_names(added)))
    if removed:
        manager.remove(*removed)
        _record(acting, user, f"收回{kind}", items=sorted(_names(removed)))


def _permissions_in(items: Iterable[Group | Permission]) -> list[Permission]:
    found: list[Permission] = []
    for item in items:
        found += list(item.permissions.select_related("content_type")) if isinstance(item, Group) else [item]
    return found


def _names(items: Iterable[Group | Permission]) -> set[str]:
    return {item.name if isinstance(item, Group) else f"{item.content_type.app_label}.{item.codename}"
            for item in items}


def _record(acting: User | None, user: User, what: str, **details: object) -> None:
    audit(AuditEntry.Action.ACCOUNT, None, acting, what, subject=f"用户 {user.get_username()}"[:100], **details)


def _record_role(acting: User | None, group: Group, what: str, permissions: Iterable[Permission]) -> None:
    audit(AuditEntry.Action.ACCOUNT, None, acting, what, subject=f"角色 {group.name}"[:100],
          permissions=sorted(_perm_names(permissions)))
