"""`huiwen roles`: create the newsroom's role groups and show them; optionally give a user a role.

    huiwen roles
    huiwen roles --assign wanglan chief --real-name 王岚
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser

from huiwen.backoffice import accounts
from huiwen.backoffice.models import EditorProfile
from huiwen.backoffice.roles import ROLES, ensure_roles


class Command(BaseCommand):
    help = "Create the role groups (编辑, 主编, 合规专员, 管理员) and optionally assign one to a user."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--assign", nargs=2, metavar=("USERNAME", "ROLE"), help=f"roles: {', '.join(ROLES)}")
        parser.add_argument("--real-name", default="", help="the user's real name, printed as 责任编辑")

    def handle(self, *args: object, assign: list[str] | None = None, real_name: str = "", **options: object) -> None:
        groups = ensure_roles()
        if assign:
            username, role = assign
            self._assign(groups, username, role, real_name=real_name)
        for key, group in groups.items():
            members = ", ".join(group.user_set.order_by("username").values_list("username", flat=True)) or "-"
            count = group.permissions.count()
            self.stdout.write(f"{key:<11} {group.name:<6} {count:>3} permissions  members: {members}")

    def _assign(self, groups: dict[str, Group], username: str, role: str, real_name: str) -> None:
        if role not in groups:
            raise CommandError(f"unknown role {role!r}; roles: {', '.join(ROLES)}")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        # From the operator's shell: allowed, and audited as 系统 (backoffice.accounts).
        accounts.grant_role(None, user, groups[role])
        if role == "admin" and not user.is_staff:
            user.is_staff = True  # administrators work in the Django admin (sources, users)
            accounts.save_account(None, user, update_fields=["is_staff"])
        if real_name:
            EditorProfile.objects.update_or_create(user=user, defaults={"real_name": real_name})
