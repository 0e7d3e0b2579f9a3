"""Old channel URLs: a moved channel's former path answers 301 to where the channel is now."""

from __future__ import annotations

from django.http import Http404, HttpResponsePermanentRedirect

from huiwen.newsroom.models import ChannelRedirect


def moved_channel(path: str, page: str | None = None) -> HttpResponsePermanentRedirect:
    """The redirect for a path a channel used to have (page kept), or 404 when none did."""
    found = ChannelRedirect.objects.select_related("channel").filter(old_path=path, channel__public=True).first()
    if found is None:
        raise Http404("没有这个频道")
    target = found.channel.get_absolute_url()
    if page is not None and int(page) > 1:
        target += f"index_{int(page)}.html"
    return HttpResponsePermanentRedirect(target)
