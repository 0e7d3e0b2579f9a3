"""Admin for the back office's records, and editors' real names on the user page (for administrators).

Accounts (issue 13): the user and role pages offer only what the signed-in user may grant, and
save through the account service (backoffice.accounts), which refuses a climb and audits every
change with the signed-in user as its actor, in the transaction of the change.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.db.models import ManyToManyField, QuerySet
from django.forms import ModelMultipleChoiceField
from django.http import HttpRequest, HttpResponse

from huiwen.backoffice import accounts
from huiwen.backoffice.models import EditorProfile, ScheduledPublication, SensitiveWord


class EditorProfileInline(admin.StackedInline[EditorProfile, User]):
    model = EditorProfile
    can_delete = False
    verbose_name_plural = "编辑资料(责任编辑署名用的真实姓名)"


admin.site.unregister(User)

# Who is changing a password on the admin's password page: Django's view builds the form from the
# account alone, so the page's request user reaches the form's save() through this, set for the
# length of that one view (EditorUserAdmin.user_change_password).
_password_page_user: ContextVar[Any] = ContextVar("password_page_user")


@contextmanager
def _changing_password_as(actor: Any) -> Iterator[None]:
    token = _password_page_user.set(actor)
    try:
        yield
    finally:
        _password_page_user.reset(token)


# Generic in the stubs only, and not among the classes django_stubs_ext.monkeypatch() (settings.py)
# makes subscriptable at run time.
if TYPE_CHECKING:
    _PasswordForm = AdminPasswordChangeForm[User]
else:
    _PasswordForm = AdminPasswordChangeForm


class AccountPasswordForm(_PasswordForm):
    """Django's own form; the new password is saved through the account service (checked, audited)."""

    def save(self, commit: bool = True) -> User:
        user: User = self.set_password_and_save(self.user, commit=False)  # type: ignore[attr-defined]  # not in the stubs
        if commit:
            accounts.save_account(_password_page_user.get(), user, update_fields=["password"])
        return user


@admin.register(User)
class EditorUserAdmin(UserAdmin[User]):
    inlines = [EditorProfileInline]
    list_display = ["username", "real_name", "email", "is_staff", "is_active", "last_login"]
    list_select_related = ["editor_profile"]
    change_password_form = AccountPasswordForm

    @admin.display(description="真实姓名")
    def real_name(self, user: User) -> str:
        profile = getattr(user, "editor_profile", None)
        return profile.real_name if profile else ""

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else [*fields, "is_superuser"]

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return super().has_change_permission(request, obj) and (obj is None or accounts.may_edit(request.user, obj))

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or accounts.may_edit(request.user, obj))

    # Every change goes through the account service, with the signed-in user as its actor.
    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        accounts.save_account(request.user, obj)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        data = form.cleaned_data  # the add page has neither field; a read-only field is not in the form
        accounts.set_access(request.user, form.instance, groups=data.get("groups"),
                            permissions=data.get("user_permissions"))
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        accounts.delete_accounts(request.user, [obj])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        accounts.delete_accounts(request.user, list(queryset))

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        with transaction.atomic(), _changing_password_as(request.user):
            return super().user_change_password(request, id, form_url)

    def formfield_for_manytomany(self, db_field: ManyToManyField[Any, Any], request: HttpRequest | None = None,
                                 **kwargs: Any) -> ModelMultipleChoiceField[Any] | None:
        assert request is not None  # the admin's change form always has one
        if db_field.name == "groups":
            kwargs["queryset"] = Group.objects.filter(pk__in=[g.pk for g in accounts.grantable_groups(request.user)])
        elif db_field.name == "user_permissions":
            kwargs["queryset"] = accounts.grantable_permissions(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(GroupAdmin):
    """Roles: only permissions the signed-in user holds can be put into one."""

    def formfield_for_manytomany(self, db_field: ManyToManyField[Any, Any], request: HttpRequest | None = None,
                                 **kwargs: Any) -> ModelMultipleChoiceField[Any] | None:
        assert request is not None  # the admin's change form always has one
        if db_field.name == "permissions":
            kwargs["queryset"] = accounts.grantable_permissions(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """The role's permissions through the account service (refused above the user's own, audited)."""
        permissions = form.cleaned_data.get("permissions")
        if permissions is not None:
            accounts.set_role_permissions(request.user, form.instance, permissions)
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def has_change_permission(self, request: HttpRequest, obj: Group | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or accounts.may_grant(request.user, obj.permissions.all()))


@admin.register(SensitiveWord)
class SensitiveWordAdmin(admin.ModelAdmin[SensitiveWord]):
    list_display = ["word", "kind", "replacement", "active", "note", "updated_at"]
    list_filter = ["kind", "active"]
    search_fields = ["word", "note"]


@admin.register(ScheduledPublication)
class ScheduledPublicationAdmin(admin.ModelAdmin[ScheduledPublication]):
    list_display = ["article", "at", "state", "requested_by", "outcome"]
    list_filter = ["state"]
    raw_id_fields = ["article"]
    readonly_fields = ["created_at"]
