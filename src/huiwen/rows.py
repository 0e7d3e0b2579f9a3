"""Plain SQL for the hot paths of ingest, where Django's per-statement work (building a model
instance, compiling the query) costs more than the statement itself.

`insert_rows` writes many rows in one executemany (FingerprintBand: ~20 rows per article;
RelatedArticle: up to 30); `select_in` reads the rows of a long IN list in chunks.
`insert_object` and `update_object` write one instance's row the way save() would, values
converted by the fields themselves, but send no signals: only for models that have no save()
logic and that no receiver listens to (Story, SeenURL, ArticleScreening).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from django.db import connections
from django.db.models import Field, Model


def insert_rows(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[object]],
                using: str = "default") -> None:
    """INSERT rows of `model` given by (database) column names, in one executemany."""
    rows = list(rows)
    if not rows:
        return
    connection = connections[using]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(column) for column in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def select_in(head: str, values: Sequence[object], tail: str = "", using: str = "default",
              chunk: int = 500) -> list[tuple[Any, ...]]:
    """The rows of `{head} IN (values…){tail}`, asked `chunk` values at a time (databases cap the
    parameters of one statement) and returned together."""
    found: list[tuple[Any, ...]] = []
    with connections[using].cursor() as cursor:
        for start in range(0, len(values), chunk):
            part = list(values[start : start + chunk])
            cursor.execute(f"{head} IN ({', '.join(['%s'] * len(part))}){tail}", part)
            found += cursor.fetchall()
    return found


@cache
def _insert_sql(model: type[Model], using: str) -> tuple[str, tuple[Field, ...], bool]:
    meta = model._meta
    quote = connections[using].ops.quote_name
    auto = meta.auto_field is not None and meta.pk is meta.auto_field
    fields = tuple(field for field in meta.concrete_fields if not (auto and field is meta.pk))
    names = ", ".join(quote(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    returning = f" RETURNING {quote(meta.pk.column)}" if auto else ""
    return f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({marks}){returning}", fields, auto


def insert_object(instance: Model, using: str = "default") -> None:
    """INSERT the new `instance` as save() would (defaults, auto_now_add) and set its pk."""
    connection = connections[using]
    sql, fields, auto = _insert_sql(type(instance), using)
    values = [field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        if auto:
            instance.pk = cursor.fetchone()[0]
    instance._state.adding, instance._state.db = False, using


def update_object(instance: Model, names: Sequence[str] | None = None, using: str = "default") -> None:
    """UPDATE the stored `instance`'s row (by pk) as save() would, or only the named fields as
    save(update_fields=…) would."""
    connection = connections[using]
    meta = type(instance)._meta
    quote = connection.ops.quote_name
    fields = ([meta.get_field(name) for name in names] if names is not None
              else [field for field in meta.concrete_fields if not field.primary_key])
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    values = [field.get_db_prep_save(field.pre_save(instance, False), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s",
            [*values, meta.pk.get_db_prep_value(instance.pk, connection)],
        )


def from_db(model: type[Model], name: str, value: object, using: str = "default") -> object:
    """A value read by plain SQL from `model`'s column `name`, converted as the ORM would (SQLite
    returns a date and time as text, say)."""
    connection = connections[using]
    column = model._meta.get_field(name).get_col(model._meta.db_table)
    for convert in connection.ops.get_db_converters(column) + column.get_db_converters(connection):
        value = convert(value, column, connection)
    return value
