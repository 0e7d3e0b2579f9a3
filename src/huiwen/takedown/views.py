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

from huiwen.proxy import client_address
from huiwen.takedown import ratelimit, service, uploads
from huiwen.takedown.forms import CounterNoticeForm, NoticeForm
from huiwen.takedown.models import Evidence, Notice

TOO_OFTEN = "提交过于频繁,请一小时后再试;您填写的内容已保留。 / Too many notices from you; try again in an hour."


def _refusal(form: NoticeForm, address: str, claimant: str) -> str | None:
    """Why this submission is refused now (rate limits), or None. Nothing has been written yet."""
    limits = settings.TAKEDOWN
    if not (ratelimit.allowed("address", address, limits["RATE_PER_ADDRESS"])
            and ratelimit.allowed("email", claimant, limits["RATE_PER_EMAIL"])):
        return TOO_OFTEN
    if form.is_valid():
        urls = form.url_count()
        if not (ratelimit.within("urls-address", address, urls, limits["URLS_PER_HOUR"])
                and ratelimit.within("urls-email", claimant, urls, limits["URLS_PER_HOUR"])):
            return (f"一小时内最多可列出 {limits['URLS_PER_HOUR']} 个网址,请稍后再提交其余网址;您填写的内容已保留。"
                    f" / At most {limits['URLS_PER_HOUR']} URLs an hour; please send the rest later.")
    return None


@require_http_methods(["GET", "HEAD", "POST"])
def notice(request: HttpRequest) -> HttpResponse:
    form = NoticeForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        address = client_address(request)
        refused = _refusal(form, address, ratelimit.claimant_key(request.POST.get("email", "")))
        if refused:
            form.is_valid()  # keep what was typed; the files stay unwritten
            form.add_error(None, refused)
            status = 429
        elif form.is_valid():
            received = service.receive(_save(form, address))
            return redirect("takedown:received", reference=received.reference)
        else:
            form.stage_files(address)
            status = 400
    return render(request, "takedown/notice.html", {"form": form, "limits": settings.TAKEDOWN}, status=status)


@transaction.atomic
def _save(form: NoticeForm, address: str) -> Notice:
    """The notice and its evidence, in one short transaction; what it then does happens after."""
    filed: Notice = form.save(commit=False)
    filed.submitted_from = address or None
    filed.save()
    kept = [(staged.name, staged.content_type, staged.size, *uploads.keep(staged)) for staged in form.staged_files]
    kept += [(new.name, new.content_type, len(new.data), *uploads.store(new.data)) for new in form.checked_files]
    for name, content_type, size, relative, digest in kept:
        Evidence.objects.create(notice=filed, file=relative, original_name=name, content_type=content_type,
                                size=size, sha256=digest)
    return filed


@require_safe
def received(request: HttpRequest, reference: str) -> HttpResponse:
    found = get_object_or_404(Notice, reference=reference)
    return render(request, "takedown/received.html", {"notice": found})


@require_http_methods(["GET", "HEAD", "POST"])
def counter(request: HttpRequest, reference: str) -> HttpResponse:
    found = get_object_or_404(Notice, reference=reference)
    if not found.allowed(by="claimant"):
        return render(request, "takedown/counter_closed.html", {"notice": found}, status=409)
    form = CounterNoticeForm(request.POST or None, notice=found)
    status = 200
    if request.method == "POST":
        if not ratelimit.allowed("address", client_address(request), settings.TAKEDOWN["RATE_PER_ADDRESS"]):
            form.is_valid()
            form.add_error(None, "提交过于频繁,请一小时后再试;您填写的内容已保留。")
            status = 429
        elif form.is_valid():
            answer = form.save(commit=False)
            answer.notice, answer.submitted_from = found, client_address(request) or None
            try:
                service.counter(found, answer)
            except Notice.NotAllowed:  # a second counter-notice submitted at the same moment
                return render(request, "takedown/counter_closed.html", {"notice": found}, status=409)
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
