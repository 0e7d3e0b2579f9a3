"""The full-page cache: reader pages kept whole, invalidated precisely by dependency tags.

A page is cached only if its view declared what it shows (newsroom.tags.depend), answered 200
or 410, and set no cookie. Before a cached page is served, the versions of its tags are read
from the shared tag store; any change since it was rendered makes it stale. A page is not
cached at all if one of its tags changed while it was being rendered. An embargoed article
becomes visible without anything being saved, so no page outlives the next embargo release.

When the cache or the tag store cannot be reached, pages are rendered fresh (bypass) rather than
served from a cache that may be stale; a change that could not be announced raises the cache
epoch in the database, which voids every page cached before it.
"""

from __future__ import annotations

import contextvars
import logging
import pickle
from collections.abc import Callable
from typing import TypedDict

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from huiwen.newsroom import tags as dependency

log = logging.getLogger(__name__)
CACHEABLE_STATUSES = {200, 410}
# Never reader pages: no need to look for them in the cache.
UNCACHED_PREFIXES = ("/admin/", "/newsroom/", "/api/", "/static/", "/media/", "/takedown/", "/search")
UNSTORED_HEADERS = {"x-huiwen-cache", "content-length"}
# Set by the static publisher: it must render every page fresh, never take one from the cache.
bypass: contextvars.ContextVar[bool] = contextvars.ContextVar("huiwen_page_cache_bypass", default=False)


class _Entry(TypedDict):
    """A stored page (pickled)."""

    versions: dict[str, int]  # its tags' versions when it was rendered
    status: int
    content: bytes
    headers: list[tuple[str, str]]


def _key(request: HttpRequest) -> str:
    return f"page:{dependency.current_epoch()}:{request.get_full_path()}"


def _next_embargo_seconds() -> float | None:
    from huiwen.newsroom.models import Article

    upcoming = (
        Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())
        .order_by("published_at").values_list("published_at", flat=True).first()
    )
    return (upcoming - timezone.now()).total_seconds() if upcoming else None


def _timeout() -> int:
    limit: int = settings.PAGE_CACHE["TTL"]
    embargo = _next_embargo_seconds()
    return max(1, min(limit, int(embargo))) if embargo is not None else limit


def _serve(entry: _Entry) -> HttpResponse | None:
    recorded = entry["versions"]
    current = dependency.versions(recorded)
    if current is None or current != recorded:
        return None
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response.headers[name] = value
    response.headers["X-Huiwen-Cache"] = "hit"
    return response


def _cacheable(request: HttpRequest, response: HttpResponse, recorded: set[str]) -> bool:
    return (
        bool(recorded)
        and request.method in ("GET", "HEAD")
        and response.status_code in CACHEABLE_STATUSES
        and not response.streaming
        and not response.cookies
    )


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (not settings.PAGE_CACHE["ENABLED"] or request.method not in ("GET", "HEAD") or bypass.get()
                or request.path.removeprefix("/zh-hant").startswith(UNCACHED_PREFIXES)):  # both editions
            return self.get_response(request)
        store = caches["pages"]
        try:
            key = _key(request)
            entry = store.get(key)
        except Exception:  # cache down: render fresh
            log.warning("page cache unreachable: serving uncached")
            return self.get_response(request)
        if entry is not None:
            hit = _serve(pickle.loads(entry))
            if hit is not None:
                return hit
        return self._render_and_store(request, store, key)

    def _render_and_store(self, request: HttpRequest, store: BaseCache, key: str) -> HttpResponse:
        started = dependency.sequence()
        token = dependency.start_recording()
        try:
            response = self.get_response(request)
        finally:
            recorded = dependency.stop_recording(token)
        if not _cacheable(request, response, recorded):
            return response
        current = dependency.versions(recorded)
        if started is None or current is None or any(version > started for version in current.values()):
            return response  # something this page shows changed while it was being rendered
        # The length is not kept: it is derived from the stored bytes when served (publish.length).
        entry: _Entry = {"versions": current, "status": response.status_code, "content": response.content,
                 "headers": [(k, v) for k, v in response.headers.items() if k.lower() not in UNSTORED_HEADERS]}
        try:
            store.set(key, pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL), _timeout())
        except Exception:
            log.warning("page cache unreachable: page not stored")
        response.headers["X-Huiwen-Cache"] = "miss"
        return response

