"""Which of some articles are visible, asked through the one rule, looked up by id.

`Article.objects.visible().filter(pk__in=ids)` is correct but lets SQLite's planner scan every
published article through the (status, published_at) index and test each against the list: at
200,000 articles that is tens of milliseconds for a page of ids. Asking the rule per id, as a
correlated EXISTS, keeps the lookup on the primary key and the cost proportional to the ids.

The search page asks this for hundreds of ids per query, inside the backend's own SQL (`Rule`):
the rule is still Article.objects.visible() narrowed by the filters, its SQL taken from the ORM once
per filter set (newsroom.rows.statement_of: the statement the queryset would send, stopped before it
runs) and reused with the clock's current time, because compiling it per query cost more than
running it. On SQLite the lookup reads the covering index article_visibility (the rule's columns
sit after the body in the table's rows, so reading them there walks overflow pages).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connections
from django.db.models import Exists, OuterRef
from django.db.models.expressions import RawSQL
from django.utils import timezone

from huiwen.newsroom.models import Article, ArticleQuerySet
from huiwen.newsroom.rows import statement_of

CANDIDATE = "m.id"  # the column a Rule is correlated with: callers name their candidate rows m
COVERING_INDEX = "article_visibility"
# Compiled in place of the current time, then found among the compiled parameters.
_SENTINEL = datetime(2999, 12, 31, 23, 59, 58, 123457, tzinfo=UTC)
_IDS_SENTINEL = "[-7357]"  # compiled in place of the list of ids of Among, then found
_TEMPLATES_KEPT = 512  # filter sets (channel, publisher, dates) whose compiled rule is kept


def visible_among(ids: Sequence[int], scope: ArticleQuerySet | None = None) -> ArticleQuerySet:
    """The articles among `ids` that `scope` includes.

    `scope` defaults to Article.objects.visible(); pass it narrowed by filters, never widened.
    """
    scope = Article.objects.visible() if scope is None else scope
    return Article.objects.filter(pk__in=ids).filter(Exists(scope.filter(pk=OuterRef("pk"))))


@dataclass(frozen=True)
class Among:
    """The scope's ids among a list given as one parameter (SQLite: a JSON array read by json_each),
    at `ids_at` among `params`. One statement text whatever the list's length, so SQLite prepares
    it once: an IN list of 400 placeholders was a new statement to compile each time (2–6 ms)."""

    sql: str
    params: tuple[Any, ...]
    ids_at: int

    def statement(self, ids: Sequence[int]) -> tuple[str, list[Any]]:
        params = list(self.params)
        params[self.ids_at] = json.dumps([int(pk) for pk in ids])
        return self.sql, params


@dataclass(frozen=True)
class Rule:
    """`EXISTS (…)`: whether the article with id m.id is in the scope, as plain SQL and parameters;
    on SQLite also the scope's ids among a list (`among`)."""

    sql: str
    params: tuple[Any, ...]  # SQL parameters
    among: Among | None = None


@dataclass(frozen=True)
class _Template:
    sql: str
    params: tuple[Any, ...]  # SQL parameters
    now_at: tuple[int, ...]  # positions of the current time among the parameters
    among: _Template | None = None
    ids_at: int = -1  # in `among`: the position of the list of ids


def _times(params: Sequence[Any], connection: Any) -> tuple[int, ...]:
    sentinel = Article._meta.get_field("published_at").get_db_prep_value(_SENTINEL, connection)
    now_at = tuple(position for position, value in enumerate(params) if value == sentinel)
    if not now_at:
        raise ValueError("the visibility rule no longer depends on the time: recompile it per query")
    return now_at


def _compile(scope_at: Callable[[datetime], ArticleQuerySet], alias: str) -> _Template:
    connection = connections[alias]
    scope = scope_at(_SENTINEL).filter(pk=RawSQL(CANDIDATE, ())).order_by().values("pk")
    sql, params = statement_of(scope, alias)
    table = connection.ops.quote_name(Article._meta.db_table)
    among = None
    if connection.vendor == "sqlite" and f"FROM {table} INNER JOIN" in sql:
        sql = sql.replace(f"FROM {table} ", f"FROM {table} INDEXED BY {COVERING_INDEX} ", 1)
        listed = scope_at(_SENTINEL).filter(pk__in=RawSQL("SELECT value FROM json_each(%s)", (_IDS_SENTINEL,)))
        among_sql, among_params = statement_of(listed.order_by().values("pk"), alias)
        among_sql = among_sql.replace(f"FROM {table} ", f"FROM {table} INDEXED BY {COVERING_INDEX} ", 1)
        among = _Template(among_sql, tuple(among_params), _times(among_params, connection),
                          ids_at=list(among_params).index(_IDS_SENTINEL))
    return _Template(f"EXISTS ({sql})", tuple(params), _times(params, connection), among)


_templates: dict[tuple[Hashable, str], _Template] = {}
_lock = threading.Lock()


def rule(key: Hashable, scope_at: Callable[[datetime], ArticleQuerySet], alias: str = "default",
         now: datetime | None = None) -> Rule:
    """Whether m.id is in `scope_at(now)`: a function of the time building Article.objects.visible(now),
    narrowed; `key` names that narrowing (equal keys must give equal scopes, the time aside)."""
    with _lock:
        template = _templates.get((key, alias))
    if template is None:
        template = _compile(scope_at, alias)
        with _lock:
            if len(_templates) >= _TEMPLATES_KEPT:
                _templates.clear()
            _templates[(key, alias)] = template
    current = Article._meta.get_field("published_at").get_db_prep_value(now or timezone.now(), connections[alias])
    among = None
    if template.among is not None:
        among = Among(template.among.sql, _at_time(template.among, current), template.among.ids_at)
    return Rule(template.sql, _at_time(template, current), among)


def _at_time(template: _Template, current: Any) -> tuple[Any, ...]:
    params = list(template.params)
    for position in template.now_at:
        params[position] = current
    return tuple(params)
