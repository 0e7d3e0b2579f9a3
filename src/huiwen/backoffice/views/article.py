"""One article: preview with highlights and the attribution check, edit, actions, diffs, revisions."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from huiwen.backoffice import attribution, revisions, screening, workflow
from huiwen.backoffice.forms import ActionForm, ArticleEditForm
from huiwen.backoffice.models import ArticleScreening, ScheduledPublication
from huiwen.backoffice.views.common import desk, form_errors, safe_next
from huiwen.backoffice.views.queue import run_action
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
        "audit": article.audit_entries.order_by("-at", "-pk")[:20],
        "form": ActionForm(initial={"channel": article.channel_id}),
        "can_publish": request.user.has_perm("backoffice.publish_article"),
        "can_edit": request.user.has_perm("newsroom.change_article"),
    }
    return render(request, "backoffice/article.html", context)


@desk("newsroom.change_article")
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article(pk)
    form = ArticleEditForm(request.POST or None, instance=article)
    if request.method == "POST" and form.is_valid():
        edited = form.save(commit=False)
        edited._change_reason = "编辑修改"
        if screening.apply_replacements(edited):
            messages.info(request, "已按替换词表自动替换了部分词语。")
        edited.save()
        messages.success(request, "已保存。")
        return redirect("backoffice:article", pk=pk)
    return render(request, "backoffice/edit.html", {"article": article, "form": form,
                                                    "title_changed": attribution.title_changed(article)})


@require_POST
@desk("newsroom.change_article")
def act(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview's action buttons: the same actions as the queue's, on this one article."""
    data = request.POST.copy()
    data.setlist("articles", [str(pk)])
    form = ActionForm(data)
    if form.is_valid():
        run_action(request, form)
    else:
        form_errors(request, form)
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
    article = _article(pk)
    record = get_object_or_404(article.history.all(), history_id=history_id)
    revisions.restore(article, record, request.user)
    when = timezone.localtime(record.history_date)
    messages.success(request, f"已恢复到 {when:%Y-%m-%d %H:%M:%S} 的修订(状态不变)。")
    return redirect("backoffice:history", pk=pk)
