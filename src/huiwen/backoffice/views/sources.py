"""The source dashboard and the audit log."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from huiwen.backoffice import dashboard
from huiwen.backoffice.views.common import desk
from huiwen.newsroom.models import AuditEntry


@desk("backoffice.view_sources")
def sources(request: HttpRequest) -> HttpResponse:
    rows = dashboard.health()
    return render(request, "backoffice/sources.html", {
        "rows": rows, "days": dashboard.DAYS, "alerting": sum(1 for row in rows if row.alerts),
    })


@desk("newsroom.view_auditentry")
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.order_by("-at", "-pk")
    action = request.GET.get("action", "")
    if action in AuditEntry.Action.values:
        entries = entries.filter(action=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "backoffice/audit.html", {"page": page, "actions": AuditEntry.Action.choices,
                                                     "action": action})
