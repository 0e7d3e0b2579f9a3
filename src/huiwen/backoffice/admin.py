"""Admin for the back office's records, and editors' real names on the user page (for administrators)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from huiwen.backoffice.models import ChannelRedirect, EditorProfile, ScheduledPublication, SensitiveWord


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


@admin.register(ChannelRedirect)
class ChannelRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_path", "channel", "created_at"]
    search_fields = ["old_path"]
