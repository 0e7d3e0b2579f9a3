"""The review queue: tabs by state, filters, one page of rows, and bulk actions on the checked rows."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.paginator import Paginator
from django.db.models import OuterRef, Q, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from huiwen.backoffice import attribution, health, workflow
from huiwen.backoffice.forms import ActionForm
from huiwen.backoffice.models import PendingRevision, ScheduledPublication
from huiwen.desk.views.common import desk, form_errors, report, safe_next
from huiwen.newsroom.models import Article, ArticleQuerySet, Channel, Publisher

TABS = [("pending", "待审核"), ("revisions", "待审修改"), ("scheduled", "定时发布"), ("draft", "已退回/草稿"),
        ("published", "已发布")]
VERBS = {"publish": "发布", "schedule": "安排定时发布", "reject": "退回", "move": "移动", "submit": "提交审核",
         "unpublish": "撤下"}
# What can be done to the ticked rows of each tab. An action a role cannot take is not offered, and
# a tab with nothing to offer has no tick boxes at all.
TAB_ACTIONS = {"pending": ("publish", "schedule", "move", "reject"),
               "scheduled": ("publish", "schedule", "move", "reject"),
               "draft": ("submit", "move"), "published": ("move", "unpublish")}
EDITOR_ACTIONS = ("submit",)  # everything else needs the 主编's publish right
# Actions readers notice at once and that no button simply takes back: asked again on a page of their own.
CONFIRMED = {
    "publish": ("确认发布", "发布后读者立即可以看到这些文章(定时的除外);要再取下,只能由主编填写理由撤下。"),
    "unpublish": ("确认撤下", "撤下后读者立即看不到这些文章(网址答 404),文章回到待审核队列;理由写入审计日志。"),
}


def allowed_actions(user: User | AnonymousUser, tab: str) -> list[str]:
    chief = user.has_perm("backoffice.publish_article")
    return [action for action in TAB_ACTIONS.get(tab, ()) if chief or action in EDITOR_ACTIONS]


def _rows(tab: str) -> ArticleQuerySet:
    if tab == "revisions":  # published articles with a change waiting for a 主编
        changes = PendingRevision.objects.filter(state=PendingRevision.State.WAITING)
        return Article.objects.select_related("channel", "publisher", "screening", "attribution").filter(
            pk__in=changes.values("article_id")).annotate(
            scheduled_at=Subquery(changes.filter(article=OuterRef("pk")).values("proposed_at")[:1]),
            revision_id=Subquery(changes.filter(article=OuterRef("pk")).values("pk")[:1]),
            revision_level=Subquery(changes.filter(article=OuterRef("pk")).values("level")[:1]),
        ).order_by("scheduled_at", "pk")
    waiting = ScheduledPublication.objects.filter(article=OuterRef("pk"), state=ScheduledPublication.State.WAITING)
    rows = Article.objects.select_related("channel", "publisher", "screening", "attribution").annotate(
        scheduled_at=Subquery(waiting.values("at")[:1])
    )
    if tab == "scheduled":
        return rows.filter(scheduled_at__isnull=False).order_by("scheduled_at", "pk")
    if tab == "published":
        return rows.filter(status=Article.Status.PUBLISHED).order_by("-published_at", "-pk")
    if tab == "draft":
        return rows.filter(status=Article.Status.DRAFT).order_by("-updated_at", "-pk")
    return rows.filter(status=Article.Status.PENDING, scheduled_at__isnull=True).order_by("-created_at", "-pk")


def _filtered(request: HttpRequest, rows: ArticleQuerySet) -> ArticleQuerySet:
    query = request.GET.get("q", "").strip()
    if query:
        rows = rows.filter(title__icontains=query)
    wanted = request.GET.get("channel", "")
    channel = Channel.objects.filter(pk=wanted).first() if wanted.isdigit() else None  # junk: no filter, no 500
    if channel is not None:
        rows = rows.in_channel_tree(channel)
    if request.GET.get("publisher", "").isdigit():
        rows = rows.filter(publisher_id=request.GET["publisher"])
    if request.GET.get("flag") == "sensitive":
        rows = rows.filter(screening__level__in=["review", "block"])
    if request.GET.get("unsure"):  # issue 16: 来源 or time filled in by the collector
        rows = rows.filter(Q(attribution__source_fallback=True) | Q(attribution__time_fallback=True))
    return rows


@desk("newsroom.view_article")
def queue(request: HttpRequest) -> HttpResponse:
    tab = request.GET.get("tab", "pending")
    tab = tab if tab in dict(TABS) else "pending"
    rows = _filtered(request, _rows(tab))
    page = Paginator(rows, settings.HUIWEN["DESK_PAGE_SIZE"]).get_page(request.GET.get("page"))
    for article in page.object_list:
        article.title_changed = attribution.title_changed(article)  # type: ignore[attr-defined]  # for the template
    context = {
        "tab": tab, "page": page, "form": ActionForm(), "actions": allowed_actions(request.user, tab),
        "overdue_before": timezone.now() - health.OVERDUE_AFTER,
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
    elif action == "unpublish":
        outcome = workflow.bulk(articles, workflow.unpublish, user, data["reason"])
    else:
        outcome = workflow.bulk(articles, workflow.submit, user)
    report(request, len(outcome.done), VERBS[action], outcome.refused)
    return len(outcome.done)


def _confirmed(article: Article, data: dict[str, object]) -> list[str]:
    # Ticking "已核对" confirms the review-list words the article holds now, which the page showed.
    return workflow.review_words(article) if data.get("confirmed") else []


def needs_confirmation(request: HttpRequest, form: ActionForm, back: str) -> HttpResponse | None:
    """The confirmation page for an action that cannot simply be taken back, unless this POST confirms it.

    The page repeats the request's own fields as hidden inputs with confirm=yes, lists the articles
    with what would stop each, and has one button; going back does nothing.
    """
    action = form.cleaned_data["action"]
    if action not in CONFIRMED or request.POST.get("confirm") == "yes":
        return None
    button, consequence = CONFIRMED[action]
    articles = list(form.cleaned_data["articles"].select_related("channel", "publisher"))
    rows = []
    for article in articles:
        problems = (workflow.publish_problems(article, request.user, _confirmed(article, form.cleaned_data))
                    if action == "publish" else [])
        rows.append((article, problems))
    fields = [(key, value) for key, values in request.POST.lists() if key not in ("csrfmiddlewaretoken", "confirm")
              for value in values]
    return render(request, "backoffice/confirm.html", {
        "heading": f"{VERBS[action]}以下 {len(articles)} 篇文章?", "consequence": consequence, "button": button,
        "rows": rows, "fields": fields, "action_url": request.path, "reason": form.cleaned_data.get("reason", ""),
        "back": back,
    })


@require_POST
@desk("newsroom.change_article")
def bulk(request: HttpRequest) -> HttpResponse:
    form = ActionForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect(safe_next(request, "backoffice:queue"))
    asked = needs_confirmation(request, form, safe_next(request, "backoffice:queue"))
    if asked is not None:
        return asked
    run_action(request, form)
    return redirect(safe_next(request, "backoffice:queue"))
