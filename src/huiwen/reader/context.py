"""Template context every reader page needs: the site's name and the top-level channels."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from huiwen.newsroom.models import Channel
from huiwen.newsroom.tags import Memo
from huiwen.reader import editions

# The top-level channels, kept per process and read again whenever the "nav" tag (bumped by
# every channel change, see publish.handlers) has a new version.
_navigation: Memo[list[Channel]] = Memo("nav")


def navigation() -> list[Channel]:
    return _navigation.get("top", lambda: list(Channel.objects.public().filter(parent=None).order_by("position", "pk")))


def licences() -> dict[str, str]:
    """The footer's registrations (许可证, ICP 备案, 公安备案) and the number the 公安 link looks up."""
    psb = settings.HUIWEN["PSB_BEIAN"]
    return {"news": settings.HUIWEN["NEWS_LICENCE"], "icp": settings.HUIWEN["ICP_BEIAN"], "psb": psb,
            "psb_code": "".join(character for character in psb if character.isdigit())}


def site(request: HttpRequest) -> dict[str, object]:
    plain = getattr(request, "huiwen_plain_path", request.path)
    edition = editions.of(request)
    return {
        # Both editions of this page, for hreflang alternates and the switch on every page.
        "hans_url": request.build_absolute_uri(plain),
        "hant_url": request.build_absolute_uri(f"/zh-hant{plain}"),
        "hans_path": plain,
        "hant_path": f"/zh-hant{plain}",
        # This page in its own edition, without its query string: canonical and og:url. No
        # tracking or unknown parameter ever reaches them.
        "page_url": request.build_absolute_uri(edition.path(plain)),
        "edition": edition,
        "other_edition": editions.other(edition),
        "script": edition.script,
        "site_name": settings.HUIWEN["SITE_NAME"],
        "licences": licences(),
        "contact_email": settings.HUIWEN["CONTACT_EMAIL"],
        # The static publisher hands in the list it loaded once for the whole run.
        "nav_channels": getattr(request, "huiwen_nav", None) or SimpleLazyObject(navigation),
    }
