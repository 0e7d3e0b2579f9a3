"""The source dashboard and the audit log."""

from __future__ import annotations

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from huiwen.backoffice.forms import CollectURLForm
from huiwen.collect.models import Source
from huiwen.desk import dashboard, single_page
from huiwen.desk.views.common import desk
from huiwen.newsroom.models import AuditEntry


@desk("backoffice.view_sources")
def sources(request: HttpRequest) -> HttpResponse:
    rows = dashboard.health()
    return render(request, "backoffice/sources.html", {
        "rows": rows, "days": dashboard.DAYS, "alerting": sum(1 for row in rows if row.alerts),
    })


@desk("backoffice.view_sources")
def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A source's settings, its recent runs and errors: where each dashboard card leads."""
    source = get_object_or_404(Source.objects.select_related("publisher", "channel"), pk=pk)
    can_change = request.user.has_perm("collect.change_source") and request.user.is_staff
    return render(request, "backoffice/source.html", {
        "source": source, "runs": source.runs.order_by("-started_at")[:15], "errors": source.errors.all()[:20],
        "admin_url": reverse("admin:collect_source_change", args=[pk]) if can_change else "",
        "health": dashboard.alerts(source, None, timezone.now()),
    })


@desk("newsroom.add_article")
def collect_url(request: HttpRequest) -> HttpResponse:
    """Paste an article's address, get it collected now into the review queue (rate-limited per user)."""
    form = CollectURLForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not _within_rate(request):
            messages.error(request, f"每小时最多采集 {COLLECT_PER_HOUR} 个网址,请稍后再试。")
            return render(request, "backoffice/collect.html", {"form": form}, status=429)
        outcome = single_page.collect(form.cleaned_data["url"], request.user,
                                      publisher=form.cleaned_data["publisher"], channel=form.cleaned_data["channel"])
        if outcome.article is not None:
            if outcome.existed:
                messages.info(request, "这篇文章已经采集过了。")
            else:
                messages.success(request, f"已采集《{outcome.article.title}》,在审核队列里等待审核。")
            return redirect("backoffice:article", pk=outcome.article.pk)
        for problem in outcome.problems:
            messages.error(request, f"未能采集:{problem}")
    return render(request, "backoffice/collect.html", {"form": form})


COLLECT_PER_HOUR = 30


def _within_rate(request: HttpRequest) -> bool:
    key = f"desk-collect:{request.user.pk}:{timezone.now():%Y%m%d%H}"
    cache.add(key, 0, timeout=3600)
    return cache.incr(key) <= COLLECT_PER_HOUR


@desk("newsroom.view_auditentry")
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.order_by("-at", "-pk")
    action = request.GET.get("action", "")
    if action in AuditEntry.Action.values:
        entries = entries.filter(action=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "backoffice/audit.html", {"page": page, "actions": AuditEntry.Action.choices,
                                                     "action": action})
