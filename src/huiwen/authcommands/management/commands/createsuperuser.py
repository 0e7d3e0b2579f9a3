"""Django's createsuperuser, whose superuser is made and audited by the account service."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.management.commands import createsuperuser
from django.contrib.auth.models import User, UserManager

from huiwen.authcommands.origin import details
from huiwen.backoffice import accounts


class _Manager:
    """The user model's manager as Django's command uses it, except that the superuser is made by
    the account service."""

    def __init__(self, manager: UserManager[User]) -> None:
        self._manager = manager

    def __getattr__(self, name: str) -> Any:
        return getattr(self._manager, name)

    def db_manager(self, using: str | None = None, hints: dict[str, Any] | None = None) -> _Manager:
        return _Manager(self._manager.db_manager(using, hints))

    def create_superuser(self, **fields: Any) -> User:
        return accounts.create_superuser(None, self._manager, details=details("createsuperuser"), **fields)


class _UserModel:
    """The user model as Django's command sees it (its fields, checks and constructor), with the
    manager above in place of its own."""

    def __init__(self, model: type[User]) -> None:
        self._model = model

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)

    def __call__(self, **fields: Any) -> User:
        return self._model(**fields)

    @property
    def _default_manager(self) -> _Manager:
        return _Manager(self._model._default_manager)


class Command(createsuperuser.Command):
    help = "创建超级管理员账号(Django 的 createsuperuser;账号由账号服务写入并记入审计日志)。"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert issubclass(self.UserModel, User)  # huiwen keeps Django's own user model
        # The command reads the model through this attribute only: its write goes to the service.
        self.UserModel = _UserModel(self.UserModel)  # type: ignore[assignment]  # stands in for the class
