"""Channel tree management: add, move, reorder, hide. A move leaves redirects (Channel.save)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from huiwen.backoffice.audit import audit
from huiwen.backoffice.forms import ChannelForm, MoveChannelForm
from huiwen.desk.views.common import desk, form_errors
from huiwen.newsroom.models import Article, AuditEntry, Channel


def _siblings(channel: Channel) -> list[Channel]:
    return list(Channel.objects.filter(parent=channel.parent_id).order_by("position", "pk"))


@desk("backoffice.manage_channels")
def tree(request: HttpRequest) -> HttpResponse:
    form = ChannelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = form.save()
        messages.success(request, f"已新建频道 {created}。")
        return redirect("backoffice:channels")
    channels = list(Channel.objects.order_by("path").prefetch_related("redirects"))
    return render(request, "backoffice/channels.html", {"channels": _in_tree_order(channels), "form": form,
                                                        "move_form": MoveChannelForm()})


def _in_tree_order(channels: list[Channel]) -> list[Channel]:
    """Depth-first, siblings by position: the order readers see in menus."""
    children: dict[int | None, list[Channel]] = {}
    for channel in channels:
        children.setdefault(channel.parent_id, []).append(channel)
    ordered: list[Channel] = []

    def walk(parent: int | None) -> None:
        for channel in sorted(children.get(parent, []), key=lambda c: (c.position, c.pk)):
            # Names, indented by depth (ideographic spaces survive HTML's whitespace folding in <option>).
            channel.indent = "\u3000" * channel.depth + ("└ " if channel.depth else "")  # type: ignore[attr-defined]
            ordered.append(channel)
            walk(channel.pk)

    walk(None)
    return ordered


@require_POST
@desk("backoffice.manage_channels")
def move(request: HttpRequest, pk: int) -> HttpResponse:
    channel = get_object_or_404(Channel, pk=pk)
    form = MoveChannelForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("backoffice:channels")
    old_path = channel.path
    channel.parent = form.cleaned_data["parent"]
    try:
        channel.full_clean()
    except ValidationError as error:
        messages.error(request, "未能移动:" + " ".join(error.messages))
        return redirect("backoffice:channels")
    with transaction.atomic():
        channel.save()  # the subtree follows; each old path gets a redirect (signals)
        audit(AuditEntry.Action.MOVE, None, request.user, "移动频道", subject=f"频道 {channel.path}"[:100],
              from_path=old_path, to_path=channel.path)
    messages.success(request, f"已把 /{old_path}/ 移到 /{channel.path}/,旧地址会永久跳转(301)。")
    return redirect("backoffice:channels")


@require_POST
@desk("backoffice.manage_channels")
def reorder(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    """Swap with the previous or next sibling; positions are renumbered 10, 20, 30… on the way."""
    channel = get_object_or_404(Channel, pk=pk)
    siblings = _siblings(channel)
    index = [c.pk for c in siblings].index(channel.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
        with transaction.atomic():
            for number, sibling in enumerate(siblings, start=1):
                if sibling.position != number * 10:
                    Channel.objects.filter(pk=sibling.pk).update(position=number * 10)  # order only: no cascade
    return redirect("backoffice:channels")


@require_POST
@desk("backoffice.manage_channels")
def toggle(request: HttpRequest, pk: int) -> HttpResponse:
    """Hide or show a channel: hidden, it and everything below it leave every reader surface.

    Either way a whole section changes for readers at once, so the desk asks first (a page
    saying how many channels and published articles it touches) and the change is audited.
    """
    channel = get_object_or_404(Channel, pk=pk)
    verb = "上线" if not channel.live else "隐藏"
    if request.POST.get("confirm") != "yes":
        return _confirm_toggle(request, channel, verb)
    with transaction.atomic():
        channel.live = not channel.live
        channel.save()
        audit(AuditEntry.Action.SHOW_CHANNEL if channel.live else AuditEntry.Action.HIDE_CHANNEL, None, request.user,
              request.POST.get("reason", "").strip(), subject=f"频道 {channel.path}"[:100], channel=channel.path,
              name=channel.name)
    messages.success(request, f"频道 {channel} 已{verb}。")
    return redirect("backoffice:channels")


def _confirm_toggle(request: HttpRequest, channel: Channel, verb: str) -> HttpResponse:
    subtree = [channel, *channel.descendants()]
    published = Article.objects.filter(channel__in=subtree, status=Article.Status.PUBLISHED).count()
    consequence = (f"“{channel}”及其下 {len(subtree) - 1} 个频道、{published} 篇已发布文章将"
                   + ("立即从网站的所有页面、订阅和网站地图消失(文章网址答 404)。" if verb == "隐藏"
                      else "立即对读者可见(上级频道隐藏时仍不可见)。"))
    return render(request, "backoffice/confirm.html", {
        "heading": f"{verb}频道“{channel.name}”?", "consequence": consequence, "button": f"确认{verb}",
        "danger": verb == "隐藏", "items": [f"/{c.path}/ {c.name}" for c in subtree], "fields": [],
        "action_url": request.path, "back": reverse("backoffice:channels"), "ask_reason": True,
    })
