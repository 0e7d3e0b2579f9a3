"""Search backends behind one interface (base.SearchBackend), chosen by HUIWEN_SEARCH_BACKEND."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.db import connections
from django.utils.module_loading import import_string

from huiwen.search.backends.base import SearchBackend

DEFAULTS = {
    # FTS5, with tantivy ranking the search page (issue 17); plain FTS5: ...sqlite.SqliteBackend.
    "sqlite": "huiwen.search.backends.tantivy_engine.TantivyBackend",
    # tsvector + GIN, with a tantivy index on each reader host ranking the search page (issue 19);
    # the GIN index alone: ...postgres.PostgresBackend.
    "postgresql": "huiwen.search.backends.tantivy_postgres.PostgresTantivyBackend",
}


def backend_path(alias: str = "default") -> str:
    """The configured backend's dotted path, or the one for the database engine in use."""
    configured: str = settings.HUIWEN.get("SEARCH_BACKEND", "")
    if configured:
        return configured
    vendor = connections[alias].vendor
    if vendor not in DEFAULTS:
        raise LookupError(f"no search backend for the {vendor} database; set HUIWEN_SEARCH_BACKEND")
    return DEFAULTS[vendor]


@cache
def _load(path: str, alias: str) -> SearchBackend:
    backend_class = import_string(path)
    if not (isinstance(backend_class, type) and issubclass(backend_class, SearchBackend)):
        raise TypeError(f"{path} is not a SearchBackend")
    return backend_class(alias)


def get_backend(alias: str = "default") -> SearchBackend:
    return _load(backend_path(alias), alias)
