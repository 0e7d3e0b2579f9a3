"""Review of a waiting change to a published article: the diff, the screening, approve or decline."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from huiwen.backoffice import live, revisions, screening
from huiwen.backoffice.models import ArticleScreening, PendingRevision
from huiwen.desk.views.common import desk

Level = ArticleScreening.Level


def _revision(pk: int, revision_id: int) -> PendingRevision:
    return get_object_or_404(PendingRevision.objects.select_related("article", "proposed_by__editor_profile",
                                                                    "decided_by__editor_profile"),
                             pk=revision_id, article_id=pk)


@desk("newsroom.view_article")
def revision(request: HttpRequest, pk: int, revision_id: int) -> HttpResponse:
    change = _revision(pk, revision_id)
    candidate = live.candidate_of(change)
    matcher = screening.current_matcher()
    level, hits = screening.screen_texts(screening.article_texts(candidate), matcher)
    words = sorted({word for word, kind, _ in hits if kind == "review"})
    context = {
        "change": change, "article": change.article, "candidate": candidate,
        "changes": revisions.diff(change.article, candidate, revisions.EDITABLE_DIFF_FIELDS),
        "level": level, "level_label": Level(level).label,
        "hits": [(word, kind, screening.FIELD_LABELS[field]) for word, kind, field in hits],
        "review_words": words,
        "title_segments": screening.highlight_segments(candidate.title, matcher),
        "body_html": mark_safe(screening.highlight_html(candidate.body, matcher)),  # sanitised on save, marks by lxml
        "problems": live.approval_problems(change, request.user, words) if change.state == "waiting" else [],
        "can_decide": request.user.has_perm("backoffice.publish_article") and change.state == "waiting",
    }
    return render(request, "backoffice/revision.html", context)


@require_POST
@desk("backoffice.publish_article")
def approve(request: HttpRequest, pk: int, revision_id: int) -> HttpResponse:
    change = _revision(pk, revision_id)
    confirmed = live.review_words(change) if request.POST.get("confirmed") else []
    if request.POST.get("confirm") != "yes":
        candidate = live.candidate_of(change)
        return render(request, "backoffice/confirm.html", {
            "heading": f"采用对《{change.article.title}》的修改?",
            "consequence": ("采用后读者立即看到修改后的版本,责任编辑改为你的真实姓名;"
                            "修改人、修改内容和说明记入审计日志。"),
            "changes": revisions.diff(change.article, candidate, revisions.EDITABLE_DIFF_FIELDS),
            "rows": [], "items": [f"修改说明:{change.note}", *live.approval_problems(change, request.user, confirmed)],
            "fields": [("confirmed", request.POST["confirmed"])] if request.POST.get("confirmed") else [],
            "button": "确认采用", "action_url": request.path,
            "back": reverse("backoffice:revision", args=[pk, revision_id]),
        })
    problems = live.approve(change, request.user, confirmed)
    if problems:
        messages.error(request, "未能采用修改:" + "".join(problems))
        return redirect("backoffice:revision", pk=pk, revision_id=revision_id)
    messages.success(request, "修改已采用,读者现在看到的是新版本。")
    return redirect("backoffice:article", pk=pk)


@require_POST
@desk("backoffice.publish_article")
def decline(request: HttpRequest, pk: int, revision_id: int) -> HttpResponse:
    change = _revision(pk, revision_id)
    problems = live.decline(change, request.user, request.POST.get("reason", ""))
    if problems:
        messages.error(request, "未能驳回:" + "".join(problems))
        return redirect("backoffice:revision", pk=pk, revision_id=revision_id)
    messages.success(request, "已驳回这条修改;读者看到的版本没有变化。")
    return redirect("backoffice:article", pk=pk)
