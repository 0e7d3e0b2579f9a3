"""Admin for the back office's records, and editors' real names on the user page (for administrators).

Accounts (issue 13): the user and group pages offer only what the signed-in user may grant
(backoffice.accounts, which also enforces it on the models and audits every change).
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest

from huiwen.backoffice import accounts
from huiwen.backoffice.models import EditorProfile, ScheduledPublication, SensitiveWord


class EditorProfileInline(admin.StackedInline):
    model = EditorProfile
    can_delete = False
    verbose_name_plural = "编辑资料(责任编辑署名用的真实姓名)"


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class EditorUserAdmin(UserAdmin):
    inlines = [EditorProfileInline]
    list_display = ["username", "real_name", "email", "is_staff", "is_active", "last_login"]
    list_select_related = ["editor_profile"]

    @admin.display(description="真实姓名")
    def real_name(self, user) -> str:  # type: ignore[no-untyped-def]
        profile = getattr(user, "editor_profile", None)
        return profile.real_name if profile else ""

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else [*fields, "is_superuser"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return super().has_change_permission(request, obj) and (obj is None or accounts.may_edit(request.user, obj))

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or accounts.may_edit(request.user, obj))

    def formfield_for_manytomany(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        if db_field.name == "groups":
            kwargs["queryset"] = Group.objects.filter(pk__in=[g.pk for g in accounts.grantable_groups(request.user)])
        elif db_field.name == "user_permissions":
            kwargs["queryset"] = accounts.grantable_permissions(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(GroupAdmin):
    """Roles: only permissions the signed-in user holds can be put into one."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        if db_field.name == "permissions":
            kwargs["queryset"] = accounts.grantable_permissions(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or accounts.may_grant(request.user, obj.permissions.all()))  # type: ignore[attr-defined]


@admin.register(SensitiveWord)
class SensitiveWordAdmin(admin.ModelAdmin):
    list_display = ["word", "kind", "replacement", "active", "note", "updated_at"]
    list_filter = ["kind", "active"]
    search_fields = ["word", "note"]


@admin.register(ScheduledPublication)
class ScheduledPublicationAdmin(admin.ModelAdmin):
    list_display = ["article", "at", "state", "requested_by", "outcome"]
    list_filter = ["state"]
    raw_id_fields = ["article"]
    readonly_fields = ["created_at"]
