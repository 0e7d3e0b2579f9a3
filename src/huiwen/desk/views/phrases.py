"""The Traditional edition's phrase list (reader.TraditionalPhrase): see, add, correct, remove.

A module of its own beside the rest of the desk: the list belongs to the reader's conversion
(reader.phrases), the desk only edits it. Every change invalidates the cached and published
Traditional pages it touches (reader.apps); who changed what and when is kept by
django-simple-history (the model's history, shown on the page).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from huiwen.desk.views.common import desk, editor
from huiwen.reader.models import TraditionalPhrase
from huiwen.reader.traditional import to_traditional


class PhraseForm(forms.ModelForm[TraditionalPhrase]):
    class Meta:
        model = TraditionalPhrase
        fields = ["simplified", "traditional", "note"]


@desk("reader.view_traditionalphrase")
def phrases(request: HttpRequest) -> HttpResponse:
    can_change = request.user.has_perm("reader.add_traditionalphrase")
    editing = None
    if request.GET.get("edit", "").isdigit():  # junk in the address: the empty form, never a 500
        editing = TraditionalPhrase.objects.filter(pk=request.GET["edit"]).first()
    form = PhraseForm(request.POST or None, instance=editing)
    if request.method == "POST":
        wanted = "reader.change_traditionalphrase" if editing else "reader.add_traditionalphrase"
        if not request.user.has_perm(wanted):
            messages.error(request, "你的角色不能修改繁体词语表。")
        elif form.is_valid():
            phrase = form.save(commit=False)
            phrase.updated_by = editor(request)
            phrase.save()
            messages.success(request, f"已保存:{phrase.simplified} → {phrase.traditional}。用到它的繁体版页面已更新。")
            return redirect("backoffice:phrases")
    preview = request.GET.get("try", "")[:200]
    context = {"form": form, "editing": editing, "can_change": can_change,
               "phrases": TraditionalPhrase.objects.select_related("updated_by"),
               "changes": TraditionalPhrase.history.select_related("history_user")[:20],
               "preview": preview, "converted": to_traditional(preview) if preview else ""}
    return render(request, "backoffice/phrases.html", context)


@require_POST
@desk("reader.delete_traditionalphrase")
def delete_phrase(request: HttpRequest, pk: int) -> HttpResponse:
    phrase = get_object_or_404(TraditionalPhrase, pk=pk)
    phrase.delete()
    messages.success(request, f"已删除“{phrase.simplified}”:繁体版恢复按 OpenCC 转换。")
    return redirect("backoffice:phrases")
