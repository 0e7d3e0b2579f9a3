"""The compliance officer's desk: the notice queue, each case with its evidence, and reasoned actions.

Every action asks for a reason and goes through takedown.service, which audits it. Notices,
counter-notices and forwarding records are never edited by hand; the audit log is read-only.
"""

from __future__ import annotations

from typing import TypeVar

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html_join

from huiwen.newsroom.models import AuditEntry
from huiwen.takedown import service
from huiwen.takedown.models import OFFICER_ACTIONS, CounterNotice, Forwarding, Notice


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由(必填,记入审计日志)", widget=forms.Textarea(attrs={"rows": 4}),
                             min_length=2, max_length=2000)


_Child = TypeVar("_Child", bound=Model)


class ReadOnlyInline(admin.TabularInline[_Child, Notice]):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Notice | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Notice | None = None) -> bool:
        return False


# Shown and read-only alike (tuples: what both options accept in Django's types).
_COUNTER_NOTICE_FIELDS = ("created_at", "name", "email", "phone", "address", "statement", "good_faith",
                          "consent_jurisdiction", "signature")
_FORWARDING_FIELDS = ("sent_at", "recipient", "role", "subject", "delivered", "error")


class CounterNoticeInline(ReadOnlyInline[CounterNotice]):
    model = CounterNotice
    fields = _COUNTER_NOTICE_FIELDS
    readonly_fields = _COUNTER_NOTICE_FIELDS


class ForwardingInline(ReadOnlyInline[Forwarding]):
    model = Forwarding
    fields = _FORWARDING_FIELDS
    readonly_fields = _FORWARDING_FIELDS


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin[Notice]):
    list_display = ["reference", "status", "regime", "claimant_name", "created_at", "withdrawn_at", "restore_due_at",
                    "article_count"]
    list_filter = ["status", "regime"]
    search_fields = ["reference", "claimant_name", "email", "works"]
    date_hierarchy = "created_at"
    inlines = [CounterNoticeInline, ForwardingInline]
    readonly_fields = ["reference", "status", "regime", "claimant_name", "agent_name", "email", "phone", "address",
                       "works", "urls", "unmatched_urls", "original_location", "evidence_text", "evidence_files",
                       "accuracy", "good_faith", "signature", "submitted_from", "created_at", "withdrawn_at",
                       "restore_due_at", "resolved_at", "article_links", "actions_panel", "audit_trail"]
    fieldsets = [
        ("处理", {"fields": ["reference", "status", "actions_panel", "created_at", "withdrawn_at", "restore_due_at",
                            "resolved_at"]}),
        ("权利人", {"fields": ["regime", "claimant_name", "agent_name", "email", "phone", "address",
                               "submitted_from"]}),
        ("作品与网址", {"fields": ["works", "urls", "article_links", "unmatched_urls", "original_location"]}),
        ("证明材料与声明", {"fields": ["evidence_text", "evidence_files", "accuracy", "good_faith", "signature"]}),
        ("审计记录", {"fields": ["audit_trail"]}),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # notices arrive through /takedown/, with the sender's own statements

    def has_delete_permission(self, request: HttpRequest, obj: Notice | None = None) -> bool:
        return False

    @admin.display(description="文章数")
    def article_count(self, notice: Notice) -> int:
        return notice.articles.count()

    @admin.display(description="涉及文章(含同稿件转载)")
    def article_links(self, notice: Notice) -> str:
        reach = service.with_story_copies(notice.articles.all())
        return format_html_join(
            "", '<div><a href="{}">{}</a> <span>({})</span></div>',
            ((reverse("admin:newsroom_article_change", args=[a.pk]), a.title, a.get_status_display()) for a in reach),
        ) or "—"

    @admin.display(description="附件")
    def evidence_files(self, notice: Notice) -> str:
        return format_html_join(
            "", '<div><a href="{}">{}</a> ({} 字节)</div>',
            ((reverse("takedown:evidence", args=[e.pk]), e.original_name, e.size) for e in notice.evidence.all()),
        ) or "—"

    @admin.display(description="操作")
    def actions_panel(self, notice: Notice) -> str:
        possible = [(name, OFFICER_ACTIONS[name]) for name in notice.allowed()]
        return format_html_join(
            " ", '<a class="button" href="{}">{}</a>',
            ((reverse("admin:takedown_notice_act", args=[notice.pk, name]), label) for name, label in possible),
        ) or "(已结案)"

    @admin.display(description="审计记录")
    def audit_trail(self, notice: Notice) -> str:
        entries = AuditEntry.objects.filter(subject=notice.reference).order_by("at", "pk")
        return format_html_join(
            "", "<div>{} · {} · {} · {}</div>",
            ((e.at.strftime("%Y-%m-%d %H:%M:%S"), e.get_action_display(), e.actor_name, e.reason) for e in entries),
        ) or "—"

    def get_urls(self) -> list[URLPattern]:
        own = [path("<int:pk>/act/<str:action>/", self.admin_site.admin_view(self.act), name="takedown_notice_act")]
        return own + super().get_urls()

    def act(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        if not request.user.has_perm("takedown.handle_notice"):
            raise PermissionDenied
        notice = get_object_or_404(Notice, pk=pk)
        try:
            notice.require(action)
        except Notice.NotAllowed as refused:
            messages.error(request, str(refused))
            return HttpResponseRedirect(reverse("admin:takedown_notice_change", args=[pk]))
        form = ReasonForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                getattr(service, action)(notice, request.user, form.cleaned_data["reason"])
            except Notice.NotAllowed as refused:  # another officer acted first
                messages.error(request, str(refused))
            else:
                messages.success(request, f"已执行:{OFFICER_ACTIONS[action]}")
            return HttpResponseRedirect(reverse("admin:takedown_notice_change", args=[pk]))
        context = {**self.admin_site.each_context(request), "notice": notice, "form": form,
                   "label": OFFICER_ACTIONS[action], "title": f"{notice.reference}:{OFFICER_ACTIONS[action]}",
                   "opts": self.model._meta}
        return render(request, "takedown/admin_act.html", context)


class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    list_display = ["at", "action", "actor_name", "article_title", "subject", "reason"]
    list_filter = ["action"]
    search_fields = ["article_title", "subject", "reason", "actor_name"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False


# The newsroom may register its own view of the log first; one registration is enough.
if not admin.site.is_registered(AuditEntry):
    admin.site.register(AuditEntry, AuditEntryAdmin)
