"""Public takedown pages: the notice form, its acknowledgment, the counter-notice form, the report."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from huiwen.takedown import ratelimit, service, uploads
from huiwen.takedown.forms import CounterNoticeForm, NoticeForm
from huiwen.takedown.models import Evidence, Notice


def _address(request: HttpRequest) -> str:
    """The client's address: X-Real-IP only when the request came through one of our own proxies
    (HUIWEN_PROXY_ADDRESSES); a header any client can write is never trusted otherwise."""
    remote = request.META.get("REMOTE_ADDR", "")
    if remote in settings.PROXY_ADDRESSES:
        return request.META.get("HTTP_X_REAL_IP", remote)
    return remote


@require_http_methods(["GET", "HEAD", "POST"])
def notice(request: HttpRequest) -> HttpResponse:
    form = NoticeForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        address, email = _address(request), request.POST.get("email", "")
        limits = settings.TAKEDOWN
        if not (ratelimit.allowed("address", address, limits["RATE_PER_ADDRESS"])
                and ratelimit.allowed("email", email, limits["RATE_PER_EMAIL"])):
            form.is_valid()  # keep what was typed, and stage the files
            form.add_error(None, "提交过于频繁,请一小时后再试;您填写的内容已保留。"
                                 " / Too many notices from you; try again in an hour.")
            status = 429
        elif form.is_valid():
            received = _save(form, address)
            return redirect("takedown:received", reference=received.reference)
        else:
            status = 400
    return render(request, "takedown/notice.html", {"form": form}, status=status)


@transaction.atomic
def _save(form: NoticeForm, address: str) -> Notice:
    filed: Notice = form.save(commit=False)
    filed.submitted_from = address or None
    filed.save()
    for staged in form.staged_files:
        relative, digest = uploads.keep(staged)
        Evidence.objects.create(notice=filed, file=relative, original_name=staged.name,
                                content_type=staged.content_type, size=staged.size, sha256=digest)
    return service.receive(filed)


@require_safe
def received(request: HttpRequest, reference: str) -> HttpResponse:
    found = get_object_or_404(Notice, reference=reference)
    return render(request, "takedown/received.html", {"notice": found})


@require_http_methods(["GET", "HEAD", "POST"])
def counter(request: HttpRequest, reference: str) -> HttpResponse:
    found = get_object_or_404(Notice, reference=reference)
    if found.status != Notice.Status.WITHDRAWN:
        return render(request, "takedown/counter_closed.html", {"notice": found}, status=409)
    form = CounterNoticeForm(request.POST or None, notice=found)
    status = 200
    if request.method == "POST":
        if not ratelimit.allowed("address", _address(request), settings.TAKEDOWN["RATE_PER_ADDRESS"]):
            form.is_valid()
            form.add_error(None, "提交过于频繁,请一小时后再试;您填写的内容已保留。")
            status = 429
        elif form.is_valid():
            answer = form.save(commit=False)
            answer.notice, answer.submitted_from = found, _address(request) or None
            with transaction.atomic():
                answer.save()
                service.counter(found, answer)
            return redirect("takedown:received", reference=found.reference)
        else:
            status = 400
    return render(request, "takedown/counter.html", {"form": form, "notice": found}, status=status)


@require_safe
def transparency(request: HttpRequest) -> HttpResponse:
    """Counts and times only: no names, addresses, e-mails or URLs of anyone."""
    by_month: dict[str, Counter[str]] = defaultdict(Counter)
    hours = []
    for created, status, withdrawn in Notice.objects.values_list("created_at", "status", "withdrawn_at"):
        by_month[f"{timezone.localtime(created):%Y-%m}"][status] += 1
        if withdrawn:
            hours.append((withdrawn - created).total_seconds() / 3600)
    statuses = list(Notice.Status)
    rows = [(month, [counts.get(s.value, 0) for s in statuses], sum(counts.values()))
            for month, counts in sorted(by_month.items(), reverse=True)]
    context = {
        "statuses": statuses, "rows": rows, "total": sum(r[2] for r in rows),
        "median_hours": statistics.median(hours) if hours else None, "removed": len(hours),
    }
    return render(request, "takedown/transparency.html", context)


@require_safe
@permission_required("takedown.view_notice", raise_exception=True)
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    item = get_object_or_404(Evidence, pk=pk)
    path = uploads.path_of(item.file)
    if not path.exists():
        raise Http404("文件不存在")
    return FileResponse(open(path, "rb"), as_attachment=True, filename=item.original_name,
                        content_type=item.content_type)
