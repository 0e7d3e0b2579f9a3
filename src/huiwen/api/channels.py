"""/channels: the public channel tree."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from huiwen.api import present
from huiwen.api.schemas import ChannelTree
from huiwen.newsroom.models import Channel

router = Router(tags=["channels"])


@router.api_operation(["GET", "HEAD"], "/channels", response={200: ChannelTree}, url_name="channels",
                      summary="频道树 / The channel tree")
def channel_tree(request: HttpRequest) -> dict[str, Any]:
    """Public channels, nested, in the site's order. A hidden channel and everything below it are
    absent. No Last-Modified (channels keep no change time); the ETag still revalidates."""
    channels = Channel.objects.public().order_by("depth", "position", "pk")
    return {"channels": present.channel_tree(request, channels)}
