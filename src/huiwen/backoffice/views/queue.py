"""The review queue: tabs by state, filters, one page of rows, and bulk actions on the checked rows."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from huiwen.backoffice import attribution, workflow
from huiwen.backoffice.forms import ActionForm
from huiwen.backoffice.models import ScheduledPublication
from huiwen.backoffice.views.common import desk, form_errors, report, safe_next
from huiwen.newsroom.models import Article, Channel, Publisher

TABS = [("pending", "待审核"), ("scheduled", "定时发布"), ("draft", "已退回/草稿"), ("published", "已发布")]
VERBS = {"publish": "发布", "schedule": "安排定时发布", "reject": "退回", "move": "移动", "submit": "提交审核"}


def _rows(tab: str) -> QuerySet[Article]:
    waiting = ScheduledPublication.objects.filter(article=OuterRef("pk"), state=ScheduledPublication.State.WAITING)
    rows = Article.objects.select_related("channel", "publisher", "screening").annotate(
        scheduled_at=Subquery(waiting.values("at")[:1])
    )
    if tab == "scheduled":
        return rows.filter(scheduled_at__isnull=False).order_by("scheduled_at", "pk")
    if tab == "published":
        return rows.filter(status=Article.Status.PUBLISHED).order_by("-published_at", "-pk")
    if tab == "draft":
        return rows.filter(status=Article.Status.DRAFT).order_by("-updated_at", "-pk")
    return rows.filter(status=Article.Status.PENDING, scheduled_at__isnull=True).order_by("-created_at", "-pk")


def _filtered(request: HttpRequest, rows: QuerySet[Article]) -> QuerySet[Article]:
    query = request.GET.get("q", "").strip()
    if query:
        rows = rows.filter(title__icontains=query)
    channel = Channel.objects.filter(pk=request.GET.get("channel") or None).first()
    if channel is not None:
        rows = rows.in_channel_tree(channel)
    if request.GET.get("publisher", "").isdigit():
        rows = rows.filter(publisher_id=request.GET["publisher"])
    if request.GET.get("flag") == "sensitive":
        rows = rows.filter(screening__level__in=["review", "block"])
    return rows


@desk("newsroom.view_article")
def queue(request: HttpRequest) -> HttpResponse:
    tab = request.GET.get("tab", "pending")
    tab = tab if tab in dict(TABS) else "pending"
    rows = _filtered(request, _rows(tab))
    page = Paginator(rows, settings.HUIWEN["DESK_PAGE_SIZE"]).get_page(request.GET.get("page"))
    for article in page.object_list:
        article.title_changed = attribution.title_changed(article)
    context = {
        "tab": tab, "page": page, "form": ActionForm(),
        # Counts for the tabs that are work to do; the published list is history, not a queue.
        "tabs": [(key, label, _rows(key).count() if key != "published" else None) for key, label in TABS],
        "channels": Channel.objects.order_by("path"), "publishers": Publisher.objects.order_by("name"),
        "can_publish": request.user.has_perm("backoffice.publish_article"),
    }
    return render(request, "backoffice/queue.html", context)


def run_action(request: HttpRequest, form: ActionForm) -> int:
    """Run the action `form` asks for on every article it names; how many were done."""
    data = form.cleaned_data
    action, articles = data["action"], list(data["articles"].select_related("channel", "publisher"))
    if action != "submit" and not request.user.has_perm("backoffice.publish_article"):
        refusal = ["你的角色不能做这项操作(需要主编权限)。"]
        report(request, 0, VERBS[action], [(article, refusal) for article in articles])
        return 0
    user = request.user
    if action == "publish":
        outcome = workflow.bulk(articles, lambda a: workflow.publish(a, user, confirmed_words=_confirmed(a, data)))
    elif action == "schedule":
        outcome = workflow.bulk(articles, lambda a: workflow.schedule(a, user, data["at"],
                                                                      confirmed_words=_confirmed(a, data)))
    elif action == "reject":
        outcome = workflow.bulk(articles, workflow.reject, user, data["reason"])
    elif action == "move":
        outcome = workflow.bulk(articles, workflow.move, data["channel"], user)
    else:
        outcome = workflow.bulk(articles, workflow.submit, user)
    report(request, len(outcome.done), VERBS[action], outcome.refused)
    return len(outcome.done)


def _confirmed(article: Article, data: dict[str, object]) -> list[str]:
    # Ticking "已核对" confirms the review-list words the article holds now, which the page showed.
    return workflow.review_words(article) if data.get("confirmed") else []


@require_POST
@desk("newsroom.change_article")
def bulk(request: HttpRequest) -> HttpResponse:
    form = ActionForm(request.POST)
    if form.is_valid():
        run_action(request, form)
    else:
        form_errors(request, form)
    return redirect(safe_next(request, "backoffice:queue"))
