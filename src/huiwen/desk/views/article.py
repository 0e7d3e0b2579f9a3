"""One article: preview with highlights and the attribution check, edit, actions, diffs, revisions."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from huiwen.backoffice import attribution, live, revisions, screening, workflow
from huiwen.backoffice.forms import ActionForm, ArticleEditForm
from huiwen.backoffice.models import ArticleScreening, PendingRevision, ScheduledPublication
from huiwen.desk import preview_page
from huiwen.desk.views.common import desk, editor, form_errors, safe_next
from huiwen.desk.views.queue import needs_confirmation, run_action
from huiwen.newsroom.models import Article

Level = ArticleScreening.Level


def _article(pk: int) -> Article:
    return get_object_or_404(Article.objects.select_related("channel", "publisher"), pk=pk)


def _attribution_rows(article: Article, user: object) -> list[tuple[str, str, bool]]:
    """The 署名 checklist shown beside the preview: (label, value, present)."""
    author_given = revisions.source_value(article, "original_author")
    editor = attribution.real_name(user)
    rows = [
        ("来源", article.publisher.name if article.publisher else "", article.publisher_id is not None),
        ("原标题", article.original_title, bool(article.original_title)),
        ("原链接", article.source_url or "", bool(article.source_url)),
        ("责任编辑", editor or "(你的编辑资料里没有真实姓名)", bool(editor)),
    ]
    if author_given or article.original_author:
        rows.insert(2, ("原作者", article.original_author or f"(来源署名为 {author_given},不能删去)",
                        bool(article.original_author)))
    return rows


@desk("newsroom.view_article")
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article(pk)
    matcher = screening.current_matcher()
    level, hits = screening.screen_texts(screening.article_texts(article), matcher)
    context = {
        "article": article,
        "title_segments": screening.highlight_segments(article.title, matcher),
        "lede_segments": screening.highlight_segments(article.lede, matcher),
        # Sanitised on save (Article.save → nh3); marks added by lxml around text nodes only.
        "body_html": mark_safe(screening.highlight_html(article.body, matcher)),
        "level": level, "level_label": Level(level).label,
        "hits": [(word, kind, screening.FIELD_LABELS[field]) for word, kind, field in hits],
        "review_words": sorted({word for word, kind, _ in hits if kind == "review"}),
        "title_changed": attribution.title_changed(article),
        "attribution": _attribution_rows(article, request.user),
        "problems": workflow.publish_problems(article, request.user) if article.status in workflow.OPEN_STATES else [],
        "schedule": article.schedules.filter(state=ScheduledPublication.State.WAITING).first(),
        "failed_schedule": (article.schedules.filter(state=ScheduledPublication.State.FAILED).order_by("-at").first()
                            if article.status in workflow.OPEN_STATES else None),
        "pending": live.waiting(article) if live.is_live(article) else None,
        "audit": article.audit_entries.order_by("-at", "-pk")[:20],
        "form": ActionForm(initial={"channel": article.channel_id}),
        "can_publish": request.user.has_perm("backoffice.publish_article"),
        "is_open": article.status in workflow.OPEN_STATES,
        "can_edit": request.user.has_perm("newsroom.change_article"),
    }
    return render(request, "backoffice/article.html", context)


@desk("newsroom.change_article")
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article(pk)
    is_live = live.is_live(article)
    pending = live.waiting(article) if is_live else None
    # A live article is edited as a separate copy (starting from the waiting change, if any): the
    # row readers see is changed only by live.edit, and only when the change may go live.
    base = live.candidate_of(pending) if pending else (live.detached(article, {}) if is_live else article)
    form = ArticleEditForm(request.POST or None, instance=base)
    if request.method == "POST" and form.is_valid():
        if not is_live:
            edited = form.save(commit=False)
            edited._change_reason = "编辑修改"
            edited._history_user = editor(request)
            if screening.apply_replacements(edited):
                messages.info(request, "已按替换词表自动替换了部分词语。")
            edited.save()
            messages.success(request, "已保存。")
            return redirect("backoffice:article", pk=pk)
        note = form.cleaned_data["note"].strip()
        if note:
            _report_live_edit(request, live.edit(article, form.save(commit=False), request.user, note))
            return redirect("backoffice:article", pk=pk)
        form.add_error("note", "这篇文章已经发布:请写明修改说明(为什么改),它会写入审计日志。")
    return render(request, "backoffice/edit.html", {
        "article": article, "form": form, "title_changed": attribution.title_changed(article),
        "is_live": is_live, "pending": pending,
        "can_publish": request.user.has_perm("backoffice.publish_article"),
    })


def _report_live_edit(request: HttpRequest, result: live.Result) -> None:
    if not result.changed:
        messages.info(request, "没有改动,未保存。")
    elif result.applied:
        messages.success(request, f"已修改并生效:{'、'.join(result.changed)}。已记入审计日志。")
    elif result.revision is not None and result.revision.level != Level.CLEAN:
        words = "、".join(sorted({hit[0] for hit in result.revision.hits}))
        messages.warning(request, f"修改后的文字含需审核或禁止发布的词语({words}):修改已转为待审,"
                                  "读者仍看到原来的版本,须主编核对后生效。")
    else:
        messages.success(request, "修改已提交主编审核;批准之前读者看到的仍是原来的版本。")


@require_POST
@desk("newsroom.change_article")
def act(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview's action buttons: the same actions as the queue's, on this one article."""
    data = request.POST.copy()
    data.setlist("articles", [str(pk)])
    form = ActionForm(data)
    if not form.is_valid():
        form_errors(request, form)
        return redirect(safe_next(request, "backoffice:article", pk))
    asked = needs_confirmation(request, form, safe_next(request, "backoffice:article", pk))
    if asked is not None:
        return asked
    run_action(request, form)
    return redirect(safe_next(request, "backoffice:article", pk))


@desk("newsroom.view_article")
def source_diff(request: HttpRequest, pk: int) -> HttpResponse:
    """The article now against the source's own text (the collected version or its latest update)."""
    article = _article(pk)
    source = revisions.source_record(article)
    changes = revisions.diff(source, article) if source is not None else []
    return render(request, "backoffice/diff.html", {"article": article, "source": source, "changes": changes})


@desk("newsroom.view_historicalarticle")
def history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every revision, newest first, each with what it changed from the one before."""
    article = _article(pk)
    records = revisions.records(article)[:50]
    rows = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        rows.append({"record": record, "changes": revisions.diff(previous, record) if previous else []})
    return render(request, "backoffice/history.html", {"article": article, "rows": rows,
                                                       "can_restore": request.user.has_perm("newsroom.change_article")})


@require_POST
@desk("newsroom.change_article")
def restore(request: HttpRequest, pk: int, history_id: int) -> HttpResponse:
    """Bring back an earlier revision's content, after a page showing what would change.

    On a published article this is an edit like any other (live.edit): audited, screened, and
    held for a 主编 when the person restoring may not publish.
    """
    article = _article(pk)
    record = get_object_or_404(article.history.all(), history_id=history_id)
    when = f"{timezone.localtime(record.history_date):%Y-%m-%d %H:%M:%S}"
    candidate = live.detached(article, {field: getattr(record, field) for field in revisions.CONTENT_FIELDS})
    if request.POST.get("confirm") != "yes":
        return render(request, "backoffice/confirm.html", {
            "heading": f"把《{article.title}》的内容恢复到 {when} 的修订?",
            "consequence": ("这篇文章已发布:恢复是一次修改,会记入审计日志;没有发布权限时须主编批准后才生效。"
                            if live.is_live(article) else "恢复会作为一次新的修订保存,状态不变;之后仍可再恢复。"),
            "changes": revisions.diff(article, candidate, revisions.EDITABLE_DIFF_FIELDS), "fields": [],
            "button": "确认恢复", "action_url": request.path, "back": reverse("backoffice:history", args=[pk]),
            "ask_reason": live.is_live(article),
        })
    if live.is_live(article):
        note = request.POST.get("reason", "").strip() or f"恢复到 {when} 的修订"
        _report_live_edit(request, live.edit(article, candidate, request.user, note))
        return redirect("backoffice:article", pk=pk)
    revisions.restore(article, record, request.user)
    messages.success(request, f"已恢复到 {when} 的修订(状态不变)。")
    return redirect("backoffice:history", pk=pk)


@desk("newsroom.view_article")
def page_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The article as readers will get it: the reader's own view, template and CSS, in either edition.

    GET shows the stored article (or, with ?revision=, a waiting change applied); POST shows the
    edit form's unsaved text, so the editor sees the page before saving. ?edition=hant gives the
    Traditional edition through the same conversion the reader site uses.
    """
    article = _article(pk)
    shown = article
    if request.method == "POST":
        form = ArticleEditForm(request.POST, instance=live.detached(article, {}))
        if not form.is_valid():
            return render(request, "backoffice/edit.html", {"article": article, "form": form,
                                                            "is_live": live.is_live(article)}, status=400)
        shown = form.save(commit=False)
    elif request.GET.get("revision", "").isdigit():
        change = get_object_or_404(PendingRevision, pk=request.GET["revision"], article=article)
        shown = live.candidate_of(change)
    return preview_page.render(request, shown, hant=request.GET.get("edition") == "hant")
