"""Django's changepassword, whose new password is written and audited by the account service."""

from __future__ import annotations

import getpass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.management.commands import changepassword
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from huiwen.authcommands.origin import details
from huiwen.backoffice import accounts

TRIES = 3  # as Django's command allows


def _ask(prompt: str) -> str:
    typed = getpass.getpass(prompt=prompt)
    if not typed:
        raise CommandError("aborted")
    return typed


class Command(changepassword.Command):
    help = "修改账号密码(Django 的 changepassword;由账号服务写入并记入审计日志)。"

    def handle(self, *args: Any, **options: Any) -> str:
        username = options["username"] or getpass.getuser()
        model = get_user_model()
        try:
            user = model._default_manager.db_manager(options["database"]).get_by_natural_key(username)
        except model.DoesNotExist:
            raise CommandError(f"user '{username}' does not exist") from None
        assert isinstance(user, User)  # huiwen keeps Django's own user model
        self.stdout.write(f"Changing password for user '{user}'")
        accounts.set_password(None, user, self._new_password(user), details=details("changepassword"))
        return f"Password changed successfully for user '{user}'"

    def _new_password(self, user: User) -> str:
        """Asked twice and validated, with Django's prompts, at most TRIES times."""
        for _ in range(TRIES):
            first, again = _ask("Password: "), _ask("Password (again): ")
            if first != again:
                self.stdout.write("Passwords do not match. Please try again.")
                continue
            try:
                validate_password(again, user)
            except ValidationError as error:
                self.stderr.write("\n".join(error.messages))
                continue
            return first
        raise CommandError(f"Aborting password change for user '{user}' after {TRIES} attempts")
