"""Template context every reader page needs: the site's name and the top-level channels."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from huiwen.newsroom.models import Channel


def site(request: HttpRequest) -> dict[str, object]:
    plain = getattr(request, "huiwen_plain_path", request.path)
    return {
        # Both editions of this page, for hreflang alternates and the switch on every page.
        "hans_url": request.build_absolute_uri(plain),
        "hant_url": request.build_absolute_uri(f"/zh-hant{plain}"),
        "hans_path": plain,
        "hant_path": f"/zh-hant{plain}",
        "script": getattr(request, "huiwen_script", "Hans"),
        "site_name": settings.HUIWEN["SITE_NAME"],
        "contact_email": settings.HUIWEN["CONTACT_EMAIL"],
        # Lazy: evaluated only by templates that show the navigation. The static publisher hands
        # in the list it loaded once for the whole run.
        "nav_channels": getattr(request, "huiwen_nav", None)
        or Channel.objects.public().filter(parent=None).order_by("position", "pk"),
    }
