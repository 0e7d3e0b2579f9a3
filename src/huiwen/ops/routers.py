"""Read replicas for reader traffic (HUIWEN_DATABASE_REPLICAS), through a Django database router.

Only reader requests read from a replica: GET and HEAD outside the back office, the admin and the
takedown forms, and only the tables a reader page shows (articles, channels, publishers, 相关阅读
and search profiles). Everything else reads the primary:

- the page cache's tag versions, changes and epoch (newsroom's change records): a cached page is validated against the
  primary, so a withdrawal is never hidden behind a replica's lag by the cache;
- sessions, users, login throttling, takedown notices, the collector's records;
- every write, and every read of a request that may write (POST and the back office), so an
  editor always sees what they just saved.

A replica that lags shows a change that much later (a withdrawn article's page for the lag, at
most); PostgreSQL's `synchronous_commit = remote_apply` on the primary removes that lag for
those who need it (docs/deployment.md).
"""

from __future__ import annotations

import contextvars
import random
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

REPLICATED_APPS = frozenset({"newsroom", "search"})
# The newsroom's change records a cached page is validated against: always the primary's.
PRIMARY_MODELS = frozenset({"newsroom.tagversion", "newsroom.tagchange", "newsroom.cacheepoch"})
WRITING_PREFIXES = ("/newsroom/", "/admin/", "/takedown/")
_replica: contextvars.ContextVar[str | None] = contextvars.ContextVar("huiwen_replica", default=None)


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


class ReplicaRouter:
    """Reads of reader tables go to the replica chosen for the current reader request."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        alias = _replica.get()
        if (alias is not None and model._meta.app_label in REPLICATED_APPS
                and model._meta.label_lower not in PRIMARY_MODELS):
            return alias
        return None

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, first: Model, second: Model, **hints: Any) -> bool:
        return True  # the replicas hold the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == "default"  # replicas receive the schema through replication


def reader_request(request: HttpRequest) -> bool:
    return request.method in ("GET", "HEAD") and not request.path_info.startswith(WRITING_PREFIXES)


class ReplicaReadsMiddleware:
    """Picks one replica per reader request (one request sees one consistent replica)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.aliases = replica_aliases()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.aliases or not reader_request(request):
            return self.get_response(request)
        token = _replica.set(random.choice(self.aliases))
        try:
            return self.get_response(request)
        finally:
            _replica.reset(token)
