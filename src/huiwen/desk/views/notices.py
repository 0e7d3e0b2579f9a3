"""The compliance officer's notice desk (issue 13): the takedown notices waiting for a decision,
each case with what it names, what it would reach, its evidence and its record, and the actions
the procedure allows from its state, each with a reason that goes into the audit log.

A module of its own: the rest of the back office's views belong to the editors' desk. Actions go
through takedown.service, as the Django admin's do.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from huiwen.desk.views.common import desk
from huiwen.newsroom.models import Article, AuditEntry
from huiwen.takedown import service
from huiwen.takedown.models import OFFICER_ACTIONS, Notice

REACH_SHOWN = 200  # articles listed on a case page; the count above says how many in all


class ActionForm(forms.Form):
    action = forms.ChoiceField(choices=list(OFFICER_ACTIONS.items()))
    reason = forms.CharField(min_length=2, max_length=2000, error_messages={
        "required": "请填写理由(记入审计日志)。", "min_length": "理由至少两个字。"})


@desk("takedown.view_notice")
def notices(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", Notice.Status.RECEIVED)
    found = Notice.objects.order_by("-created_at", "-pk")
    if status in Notice.Status.values:
        found = found.filter(status=status)
    else:
        status = ""
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    waiting = Notice.objects.filter(status=Notice.Status.RECEIVED).count()
    return render(request, "backoffice/notices.html", {
        "page": page, "status": status, "statuses": Notice.Status.choices, "waiting": waiting})


@desk("takedown.view_notice")
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(Notice, pk=pk)
    reach = service.reach_ids(case.articles.values_list("pk", flat=True))
    shown = Article.objects.filter(pk__in=reach[:REACH_SHOWN]).select_related("publisher").order_by("pk")
    named = set(case.articles.values_list("pk", flat=True))
    possible = [(name, OFFICER_ACTIONS[name]) for name in case.allowed()]
    return render(request, "backoffice/notice.html", {
        "notice": case, "reach": shown, "reach_total": len(reach), "named": named, "possible": possible,
        "can_act": request.user.has_perm("takedown.handle_notice"), "form": ActionForm(),
        "audit": AuditEntry.objects.filter(subject=case.reference).order_by("at", "pk"),
        "evidence": case.evidence.all(), "counters": case.counter_notices.all(),
        "forwardings": case.forwardings.all(), "unmatched": case.unmatched_urls.splitlines(),
    })


@require_POST
@desk("takedown.view_notice", "takedown.handle_notice")
def act(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(Notice, pk=pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("backoffice:notice", pk=pk)
    action = form.cleaned_data["action"]
    try:  # the model says what the procedure allows from here (Notice.TRANSITIONS)
        getattr(service, action)(case, request.user, form.cleaned_data["reason"])
    except Notice.NotAllowed as refused:
        messages.error(request, str(refused))
        return redirect("backoffice:notice", pk=pk)
    messages.success(request, f"{case.reference}:已{OFFICER_ACTIONS[action]}。")
    return redirect("backoffice:notice", pk=pk)
