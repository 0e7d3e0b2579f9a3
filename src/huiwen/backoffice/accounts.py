"""Accounts, roles and permissions: nobody grants more than they hold, and every change is audited.

Issue 13: an administrator (管理员, with auth.change_user) could tick is_superuser on its own
account in the Django admin, recorded only in the admin's own log. The rules, enforced here on the
models' signals (so the admin, the back office, the shell and any future page all obey them) and
mirrored in the admin's forms (so nobody is offered what would be refused):

- only a superuser makes or unmakes a superuser;
- staff status, a group or a permission can be given only by someone who holds it (a group: every
  permission in it), so no role can climb above its own rights, nor lift another account above them;
- an account that holds anything its editor lacks (a superuser, or a permission the editor does not
  have) cannot be changed by that editor at all: changing its password would be a climb too.

Changes made outside any request (`huiwen roles`, `createsuperuser`, migrations) come from the
operator's shell and are allowed; they are audited as "系统".

Every change of an account's flags, password, groups or permissions, and of a group's permissions,
writes an AuditEntry (action "account") into the append-only audit log.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Group, Permission, User
from django.core.exceptions import PermissionDenied
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from simple_history.models import HistoricalRecords

from huiwen.backoffice.audit import audit
from huiwen.newsroom.models import AuditEntry

FLAGS = ("is_superuser", "is_staff", "is_active")


def acting_user() -> Any:
    """The signed-in user of the request being served, or None (a command, a migration, a test setup).

    simple_history's HistoryRequestMiddleware keeps the request of the current thread for the
    history rows it writes; the same request says who is making a change here.
    """
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    # As stored, not as the object in memory: a page changing request.user itself must not be
    # judged by the rights it is trying to give itself.
    return User.objects.filter(pk=user.pk).first()


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


def _refuse(why: str) -> None:
    raise PermissionDenied(why)


# -- the rules, on the models' signals --------------------------------------------------------

def _before_user_save(sender: type[User], instance: User, raw: bool = False, **kwargs: object) -> None:
    if raw:
        return
    stored = User.objects.filter(pk=instance.pk).values(*FLAGS, "password").first() if instance.pk else None
    instance._huiwen_before = stored  # type: ignore[attr-defined]
    actor = acting_user()
    if actor is None or actor.is_superuser:
        return
    before = stored or {"is_superuser": False, "is_staff": False, "is_active": True, "password": ""}
    if stored is not None and not may_edit(actor, instance):
        _refuse("不能修改权限高于自己的账号。")
    if instance.is_superuser != before["is_superuser"]:
        _refuse("只有超级管理员才能授予或取消超级管理员。")
    if instance.is_staff and not before["is_staff"] and not actor.is_staff:
        _refuse("不能授予自己没有的后台(staff)身份。")


def _after_user_save(sender: type[User], instance: User, created: bool = False, raw: bool = False,
                     **kwargs: object) -> None:
    if raw:
        return
    before = getattr(instance, "_huiwen_before", None)
    actor = acting_user()
    if created or before is None:
        _record(actor, instance, "创建账号", **{flag: getattr(instance, flag) for flag in FLAGS})
        return
    changes = {flag: [before[flag], getattr(instance, flag)] for flag in FLAGS
               if before[flag] != getattr(instance, flag)}
    if changes:
        _record(actor, instance, "修改账号状态", **changes)
    if before["password"] != instance.password:
        _record(actor, instance, "修改密码")


def _after_user_delete(sender: type[User], instance: User, **kwargs: object) -> None:
    _record(acting_user(), instance, "删除账号")


def _user_m2m(sender: Any, instance: Any, action: str, model: Any, pk_set: set[int] | None, reverse: bool,
              **kwargs: object) -> None:
    """user.groups and user.user_permissions (and group.user_set, the same table seen from a group)."""
    if action not in ("pre_add", "pre_remove", "pre_clear", "post_add", "post_remove", "post_clear"):
        return
    if not pk_set and not action.endswith("clear"):  # add() of what was there already: no change
        return
    actor = acting_user()
    users, granted = _sides(instance, model, pk_set, reverse, action)
    if action.startswith("pre_"):
        if actor is None or actor.is_superuser:
            return
        for user in users:
            if not may_edit(actor, user):
                _refuse("不能修改权限高于自己的账号。")
        if action == "pre_add" and not may_grant(actor, _permissions_in(granted)):
            _refuse("不能授予自己没有的权限或角色。")
        if action == "pre_clear":
            instance._huiwen_cleared = list(_current(instance, model))
        return
    verb = "授予" if action == "post_add" else "收回"
    for user in users:
        _record(actor, user, f"{verb}{_kind(model)}", items=sorted(_names(granted)))


def _group_permissions(sender: Any, instance: Any, action: str, model: Any, pk_set: set[int] | None,
                       reverse: bool, **kwargs: object) -> None:
    if action not in ("pre_add", "post_add", "post_remove", "pre_clear"):
        return
    if not pk_set and action != "pre_clear":  # add() of what was there already: no change
        return
    actor = acting_user()
    if reverse:  # permission.group_set: seen from a permission; the same rule, groups as targets
        groups = list(Group.objects.filter(pk__in=pk_set or []))
        permissions = [instance]
    else:
        groups = [instance]
        permissions = list(Permission.objects.filter(pk__in=pk_set or []).select_related("content_type"))
    if action == "pre_add":
        if not may_grant(actor, permissions):
            _refuse("不能给角色添加自己没有的权限。")
        return
    if action == "pre_clear":
        if actor is not None and not actor.is_superuser and not reverse:
            _refuse("只有超级管理员才能清空角色的权限。")
        return
    verb = "角色添加权限" if action == "post_add" else "角色移除权限"
    for group in groups:
        audit(AuditEntry.Action.ACCOUNT, None, actor, verb, subject=f"角色 {group.name}"[:100],
              permissions=sorted(_perm_names(permissions)))


def _sides(instance: Any, model: Any, pk_set: set[int] | None, reverse: bool,
           action: str) -> tuple[list[User], list[Any]]:
    """(the users changed, the groups or permissions given or taken) of a user m2m change."""
    if reverse:  # group.user_set.add(users) or permission.user_set.add(users)
        return list(User.objects.filter(pk__in=pk_set or [])), [instance]
    if action in ("pre_clear", "post_clear"):
        return [instance], list(getattr(instance, "_huiwen_cleared", []))
    return [instance], list(model.objects.filter(pk__in=pk_set or []))


def _current(instance: User, model: type[Group | Permission]) -> Iterable[Group | Permission]:
    return instance.groups.all() if model is Group else instance.user_permissions.all()


def _permissions_in(items: list[Any]) -> list[Permission]:
    found: list[Permission] = []
    for item in items:
        found += list(item.permissions.select_related("content_type")) if isinstance(item, Group) else [item]
    return found


def _names(items: list[Any]) -> set[str]:
    return {item.name if isinstance(item, Group) else f"{item.content_type.app_label}.{item.codename}"
            for item in items}


def _kind(model: Any) -> str:
    return "角色" if model is Group else "权限"


def _record(actor: Any, user: User, what: str, **details: object) -> None:
    audit(AuditEntry.Action.ACCOUNT, None, actor, what, subject=f"用户 {user.get_username()}"[:100], **details)


def connect() -> None:
    pre_save.connect(_before_user_save, sender=User, dispatch_uid="accounts-user-before")
    post_save.connect(_after_user_save, sender=User, dispatch_uid="accounts-user-after")
    post_delete.connect(_after_user_delete, sender=User, dispatch_uid="accounts-user-deleted")
    m2m_changed.connect(_user_m2m, sender=User.groups.through, dispatch_uid="accounts-user-groups")
    m2m_changed.connect(_user_m2m, sender=User.user_permissions.through, dispatch_uid="accounts-user-permissions")
    m2m_changed.connect(_group_permissions, sender=Group.permissions.through, dispatch_uid="accounts-group-permissions")
