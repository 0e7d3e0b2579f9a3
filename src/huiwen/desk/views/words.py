"""The sensitive-word lists (block, review, replace): add one, add many, switch off, delete."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from huiwen.backoffice.forms import SensitiveWordForm, WordImportForm
from huiwen.backoffice.models import SensitiveWord
from huiwen.desk.views.common import desk


@desk("backoffice.view_sensitiveword")
def words(request: HttpRequest) -> HttpResponse:
    can_change = request.user.has_perm("backoffice.add_sensitiveword")
    form = SensitiveWordForm(request.POST or None)
    if request.method == "POST" and can_change and form.is_valid():
        form.save()
        messages.success(request, f"已添加“{form.instance.word}”。")
        return redirect("backoffice:words")
    lists: dict[str, list[SensitiveWord]] = {kind: [] for kind, _ in SensitiveWord.Kind.choices}
    for word in SensitiveWord.objects.order_by("word"):
        lists[word.kind].append(word)
    context = {"form": form, "import_form": WordImportForm(auto_id="import_%s"), "can_change": can_change,
               "lists": [(label, lists[kind]) for kind, label in SensitiveWord.Kind.choices]}
    return render(request, "backoffice/words.html", context)


@require_POST
@desk("backoffice.add_sensitiveword")
def import_words(request: HttpRequest) -> HttpResponse:
    form = WordImportForm(request.POST)
    if form.is_valid():
        added = 0
        for line in form.cleaned_data["words"].splitlines():
            word, _, replacement = (part.strip() for part in line.partition("="))
            if word:
                _, created = SensitiveWord.objects.update_or_create(
                    word=word[:100], defaults={"kind": form.cleaned_data["kind"], "replacement": replacement[:100]})
                added += created
        messages.success(request, f"已添加 {added} 个词语(已有的词语按新的处理方式更新)。")
    return redirect("backoffice:words")


@require_POST
@desk("backoffice.change_sensitiveword")
def toggle_word(request: HttpRequest, pk: int) -> HttpResponse:
    word = get_object_or_404(SensitiveWord, pk=pk)
    word.active = not word.active
    word.save()
    return redirect("backoffice:words")


@require_POST
@desk("backoffice.delete_sensitiveword")
def delete_word(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(SensitiveWord, pk=pk).delete()
    return redirect("backoffice:words")
