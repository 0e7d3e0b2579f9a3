"""The one data-access module with plain SQL outside the search backends (issue 18, point 4).

For the hot paths of ingest and serving, where Django's per-statement work (building a model
instance, compiling the query) costs more than the statement itself, and for the few statements
the ORM has no word for (a database probe, emptying a schema before a restore).

`insert_rows` writes many rows in one executemany (FingerprintBand: ~20 rows per article;
RelatedArticle: up to 30); `select_in` reads the rows of a long IN list in chunks. The index of
works (newsroom.works) reads its candidates here (`band_candidates`), and the collector sets a
story's original here (`set_story_original`): both run for every collected page.
`insert_object` and `update_object` write one instance's row the way save() would, values
converted by the fields themselves, but record no change: every write here refuses a model whose
changes the change path records (newsroom.changes.RECORDED: articles, channels, publishers,
Traditional phrases), so no write bypasses what the handlers must see. A story is written here
only by its service (newsroom.stories), which records the change itself in the same set
(tests/test_change_path_writes.py keeps it so); the others (SeenURL, ArticleScreening,
fingerprints, index rows) have no save() logic and no handler.

Django is used through its documented API only (issue 18, point 4; tests/test_library_internals.py):
a queryset's statement is taken through the database instrumentation hook (`statement_of`), values
read by plain SQL are converted by our own table of field types (`converter`), and prepared rows
are made by `values_list()`, `Model.from_db` and the relations' descriptors (`Prepared`).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any, cast

from django.db import connections, router
from django.db.models import Field, Model, QuerySet, prefetch_related_objects
from django.utils import dateparse

from huiwen.newsroom.changes import RECORDED

if TYPE_CHECKING:  # annotations only (Django's backend classes are no public API)
    from django.db.backends.base.base import BaseDatabaseWrapper

    from huiwen.newsroom.models import Article


class RecordedModel(TypeError):
    """A plain-SQL write of a model whose changes must go through the change path."""


def _writable(model: type[Model]) -> None:
    if model._meta.label_lower in RECORDED:
        raise RecordedModel(f"{model._meta.label} changes go through save() and the change path "
                            "(newsroom.changes), never a plain-SQL write")


def insert_rows(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]],
                using: str = "default") -> None:
    """INSERT rows of `model` given by (database) column names, all of them in a few statements."""
    _writable(model)
    rows = list(rows)
    if not rows:
        return
    connection = connections[using]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        execute_values(cursor, f"INSERT INTO {table} ({names}) {{rows}}", rows,
                       column_types(model, tuple(columns), using))


@cache
def column_types(model: type[Model], columns: Sequence[str], using: str = "default") -> tuple[str, ...]:
    """The SQL types of `model`'s (database) `columns`, as execute_values casts them: without a
    length (an explicit cast to varchar(100) would cut a longer text where the insert refuses it)."""
    connection = connections[using]
    by_column = {_column(field): field for field in model._meta.concrete_fields}
    return tuple(_TYPMOD.sub("", str(by_column[column].db_type(connection))) for column in columns)


_TYPMOD = re.compile(r"\(.*?\)")


ROWS_PER_STATEMENT = 1000  # × columns stays under PostgreSQL's 65,535 parameters for up to 65 columns
ARRAY_ROWS_PER_STATEMENT = 10_000  # rows a statement as arrays: one parameter a column, whatever the count


class _NoArrayElement(TypeError):
    """A value execute_values does not write into an array literal (JSON, times): its rows go as VALUES."""


def _element(value: Any) -> str:
    """`value` as an element of a PostgreSQL array literal (text form)."""
    if isinstance(value, str):  # always quoted: "", "NULL", braces, commas and spaces stay text
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if value is None:
        return "NULL"
    if isinstance(value, bool):  # before int: True is an int
        return "t" if value else "f"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):  # bytea's hex form, its backslash escaped
        return '"\\\\x' + bytes(value).hex() + '"'
    raise _NoArrayElement(type(value).__name__)


def _array(values: Iterable[Any]) -> str:
    return "{" + ",".join(map(_element, values)) + "}"


def execute_values(cursor: Any, statement: str, rows: Sequence[Sequence[Any]], types: Sequence[str]) -> None:
    """`statement` for all `rows`, where `{rows}` in it stands for the rows as a query
    (`INSERT INTO t (a, b) {rows}`, `UPDATE t SET … FROM ({rows}) AS v(a, b) WHERE …`) and `types`
    are the columns' SQL types.

    PostgreSQL: `SELECT * FROM unnest(%s::type[], …)`, one array literal a column, ten thousand rows
    a statement. psycopg's executemany sends each row as a statement of its own (a collector's
    batch wrote some eighty rows per article that way, a quarter of a worker's time per article);
    a VALUES list written out with a placeholder per value cost 11 ms of Python per thousand rows
    (psycopg splits the statement at each placeholder and adapts each value in Python) and as much
    again in the server's parser, where the arrays cost 1.5 ms. Rows holding a value an array
    literal is not made of here (JSON, times) go as such a VALUES list, a thousand rows a statement.
    SQLite: `VALUES (?, …)` in one executemany, which loops in C."""
    if not rows:
        return
    marks = "(" + ", ".join(["%s"] * len(rows[0])) + ")"
    if cursor.db.vendor == "sqlite":
        cursor.executemany(statement.replace("{rows}", f"VALUES {marks}"), rows)
        return
    unnest = "SELECT * FROM unnest(" + ", ".join(f"%s::{kind}[]" for kind in types) + ")"
    for start in range(0, len(rows), ARRAY_ROWS_PER_STATEMENT):
        batch = rows[start:start + ARRAY_ROWS_PER_STATEMENT]
        try:
            arrays = [_array(column) for column in zip(*batch, strict=True)]
        except _NoArrayElement:
            for part in range(0, len(batch), ROWS_PER_STATEMENT):
                some = batch[part:part + ROWS_PER_STATEMENT]
                cursor.execute(statement.replace("{rows}", "VALUES " + ", ".join([marks] * len(some))),
                               [value for row in some for value in row])
            continue
        cursor.execute(statement.replace("{rows}", unnest), arrays)


def select_in(head: str, values: Sequence[Any], tail: str = "", using: str = "default",
              chunk: int = 500) -> list[tuple[Any, ...]]:
    """The rows of `{head} IN (values…){tail}`, all returned together: on PostgreSQL as
    `{head} = ANY(%s){tail}` with the values as one array literal (a placeholder a value cost
    psycopg's Python a few microseconds each: document frequencies read 22 terms per collected
    article), elsewhere `chunk` values a statement (SQLite caps the parameters of one)."""
    found: list[tuple[Any, ...]] = []
    with connections[using].cursor() as cursor:
        if cursor.db.vendor == "postgresql":
            try:
                arrays = [_array(values[start:start + ARRAY_ROWS_PER_STATEMENT])
                          for start in range(0, len(values), ARRAY_ROWS_PER_STATEMENT)]
            except _NoArrayElement:
                arrays = []
            else:
                for array in arrays:
                    cursor.execute(f"{head} = ANY(%s){tail}", [array])
                    found += cursor.fetchall()
                return found
        for start in range(0, len(values), chunk):
            part = list(values[start : start + chunk])
            cursor.execute(f"{head} IN ({', '.join(['%s'] * len(part))}){tail}", part)
            found += cursor.fetchall()
    return found


@cache
def _insert_sql(model: type[Model], using: str) -> tuple[str, tuple[Field[Any, Any], ...], bool]:
    meta = model._meta
    quote = connections[using].ops.quote_name
    auto = meta.auto_field is not None and meta.pk is meta.auto_field
    fields = tuple(field for field in meta.concrete_fields if not (auto and field is meta.pk))
    names = ", ".join(quote(_column(field)) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    returning = f" RETURNING {quote(_column(_pk(model)))}" if auto else ""
    return f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({marks}){returning}", fields, auto


def _column(field: Field[Any, Any]) -> str:
    assert field.column is not None  # a concrete field has its column
    return field.column


def _pk(model: type[Model]) -> Field[Any, Any]:
    assert model._meta.pk is not None
    return model._meta.pk


def _field(model: type[Model], name: str) -> Field[Any, Any]:
    return cast("Field[Any, Any]", model._meta.get_field(name))  # a concrete field, not a relation's far side


def insert_object(instance: Model, using: str = "default") -> None:
    """INSERT the new `instance` as save() would (defaults, auto_now_add) and set its pk."""
    _writable(type(instance))
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
    _writable(type(instance))
    connection = connections[using]
    meta = type(instance)._meta
    quote = connection.ops.quote_name
    fields = ([_field(type(instance), name) for name in names] if names is not None
              else [field for field in meta.concrete_fields if not field.primary_key])
    assignments = ", ".join(f"{quote(_column(field))} = %s" for field in fields)
    values = [field.get_db_prep_save(field.pre_save(instance, False), connection) for field in fields]
    pk = _pk(type(instance))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(_column(pk))} = %s",
            [*values, pk.get_db_prep_value(instance.pk, connection)],
        )


def converter(model: type[Model], name: str, using: str = "default") -> Callable[[object], object]:
    """A function converting values read by plain SQL from `model`'s column `name` to what the ORM
    gives (SQLite returns a date and time as text, say); made once for many rows.

    Our own table by the field's type (`Field.get_internal_type()`), with Django's documented
    parsers (django.utils.dateparse) and the field's documented `from_db_value` hook; a column of a
    type not in the table is refused rather than passed through unconverted. Stored times are UTC
    (USE_TZ, no per-database TIME_ZONE: settings.py). tests/newsroom/test_conversions.py compares
    it with the ORM for every type it knows, on SQLite and PostgreSQL.
    """
    return _column_converter(_field(model, name), using)


def _column_converter(column: Field[Any, Any], using: str) -> Callable[[object], object]:
    label = f"{column.model._meta.label}.{column.name}"
    while column.get_internal_type() in _RELATIONS:  # a foreign key holds its target's key (ours: the pk)
        assert column.related_model is not None and not isinstance(column.related_model, str)
        column = _pk(column.related_model)
    kind = column.get_internal_type()
    if kind not in _CONVERSIONS:
        raise TypeError(f"no conversion known for {label} ({kind})")
    step = _CONVERSIONS[kind]
    hook = getattr(column, "from_db_value", None)
    if hook is None:
        return step
    connection = connections[using]

    def convert(value: object) -> object:
        return hook(step(value), None, connection)

    return convert


def _same(value: object) -> object:
    return value


def _moment(value: object) -> object:
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else dateparse.parse_datetime(str(value))
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # stored as UTC (USE_TZ)
    return moment


def _day(value: object) -> object:
    if value is None or isinstance(value, date):
        return value
    return dateparse.parse_date(str(value))


def _truth(value: object) -> object:
    return value if value is None else bool(value)


_RELATIONS = {"ForeignKey", "OneToOneField"}
# What SQLite and PostgreSQL return for a column of each type, made what the ORM gives.
_CONVERSIONS: dict[str, Callable[[object], object]] = {
    **dict.fromkeys(("AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField",
                     "SmallIntegerField", "PositiveIntegerField", "PositiveBigIntegerField",
                     "PositiveSmallIntegerField", "FloatField", "CharField", "TextField", "SlugField",
                     "URLField", "EmailField"), _same),
    "DateTimeField": _moment,
    "DateField": _day,
    "BooleanField": _truth,
}


def from_db(model: type[Model], name: str, value: object, using: str = "default") -> object:
    """One value read by plain SQL from `model`'s column `name`, converted as the ORM would."""
    return converter(model, name, using)(value)


class _Stopped(Exception):
    """The statement a queryset was about to send, stopped before it was sent (statement_of)."""

    def __init__(self, sql: str, params: Sequence[Any] | None) -> None:
        super().__init__(sql)
        self.sql, self.params = sql, tuple(params or ())


def _stop(execute: Callable[..., Any], sql: str, params: Sequence[Any] | None, many: bool,
          context: dict[str, Any]) -> Any:
    raise _Stopped(sql, params)


def statement_of(queryset: QuerySet[Any, Any], using: str = "default") -> tuple[str, tuple[Any, ...]]:
    """The SQL and parameters `queryset` sends to the database `using` when it is evaluated, taken
    through Django's database instrumentation (`connection.execute_wrapper`, whose wrapper here
    stops the statement before it reaches the database, as the documentation's "blocker" does):
    the ORM's own statement for a definition, reused by plain SQL without asking its compiler.
    Where queries are logged (DEBUG, a test capturing queries) the stopped statement is logged too.
    """
    try:
        with connections[using].execute_wrapper(_stop):
            list(queryset.using(using))
    except _Stopped as stopped:
        return stopped.sql, stopped.params
    raise ValueError("the queryset sends no statement (an empty IN list, say): nothing to reuse")


def load_articles(ids: Sequence[int], using: str = "default") -> dict[int, Article]:
    """The articles of `ids` by id, with their channel and publisher (a page of search results):
    the rows read in plain SQL, the channels and publishers by Django's prefetch. Compiling a
    select_related join per page cost more than reading the rows."""
    from huiwen.newsroom.models import Article

    if not ids:
        return {}
    table = connections[using].ops.quote_name(Article._meta.db_table)
    marks = ", ".join(["%s"] * len(ids))
    articles = list(Article.objects.raw(f"SELECT * FROM {table} WHERE id IN ({marks})", list(ids)).using(using))
    prefetch_related_objects(articles, "channel", "publisher")
    return {article.pk: article for article in articles}


def select_pairs(model: type[Model], key: str, value: str, keys: Sequence[object],
                 using: str = "default") -> dict[Any, Any]:
    """{key: value} of `model`'s rows whose column `key` is one of `keys` (the page cache's tag
    versions, read on every cached page served)."""
    quote = connections[using].ops.quote_name
    head = f"SELECT {quote(key)}, {quote(value)} FROM {quote(model._meta.db_table)} WHERE {quote(key)}"
    return dict(select_in(head, keys, using=using))


def band_candidates(kind: str, keys: Sequence[int], exclude_article: int | None, limit: int,
                    using: str = "default") -> list[tuple[int, int | None, bytes, int]]:
    """(print, its article, signature, features) of the prints of `kind` sharing one of the band
    `keys`, from at most `limit` band rows (`exclude_article`'s own print never among them).

    One statement for every collected page: compiling the ORM's version of this join cost more
    than running it."""
    from huiwen.newsroom.models import Fingerprint, FingerprintBand

    if not keys:
        return []
    quote = connections[using].ops.quote_name
    prints, bands = quote(Fingerprint._meta.db_table), quote(FingerprintBand._meta.db_table)
    marks = ", ".join(["%s"] * len(keys))
    exclude = ("" if exclude_article is None
               else f"AND fingerprint_id NOT IN (SELECT id FROM {prints} WHERE article_id = %s)")
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT f.id, f.article_id, f.signature, f.features FROM {prints} f WHERE f.id IN "
            f"(SELECT fingerprint_id FROM {bands} WHERE {quote('key')} IN ({marks}) AND kind = %s {exclude} "
            f"LIMIT {int(limit)})",
            [*keys, kind, *([] if exclude_article is None else [exclude_article])],
        )
        found: list[tuple[int, int | None, bytes, int]] = cursor.fetchall()
    return found


def set_story_original(story_id: int, using: str = "default") -> tuple[int | None, datetime | None] | None:
    """Make the story's first copy (published first; ties: stored first) its original, in one
    statement that reads the copy and writes the story (this runs for every collected reprint):
    the new (original publisher, first published time as stored), or None when it has no copy."""
    from huiwen.newsroom.models import Article, Story

    quote = connections[using].ops.quote_name
    stories, articles = quote(Story._meta.db_table), quote(Article._meta.db_table)
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"UPDATE {stories} SET (original_publisher_id, first_published_at) = "
            f"(SELECT publisher_id, published_at FROM {articles} WHERE story_id = %s "
            "ORDER BY published_at, id LIMIT 1) "
            f"WHERE id = %s AND EXISTS (SELECT 1 FROM {articles} WHERE story_id = %s) "
            "RETURNING original_publisher_id, first_published_at",
            [story_id, story_id, story_id],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return row[0], cast("datetime | None", from_db(Story, "first_published_at", row[1], using))


def ping(using: str = "default") -> None:
    """One round trip to the database (readiness); raises when it cannot answer."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def empty_schema(using: str = "default") -> None:
    """Drop every table of a PostgreSQL database's public schema (a restore starts from nothing)."""
    with connections[using].cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")


# -- querysets compiled once ---------------------------------------------------------------------
#
# On the article page, compiling the ORM's queries cost more than running them (about 7 of 13 ms
# a request, demo content, SQLite). A Prepared statement is still built by the ORM, from the one
# definition (Article.objects.visible() and the like), once per thread, with stand-in values where
# the varying values go: its SQL is the statement the queryset sends (statement_of), the stand-ins
# are found among its parameters and each run puts the real values there. What a row becomes is
# said by the caller (Values: tuples; Instances: model instances, related ones and annotations, as
# select_related() and only() would give them), read as the documented values_list() of the same
# queryset: Django's API only, no compiler.

_INT_STAND_IN = -1_987_654_321  # within every integer column's range (Django drops out-of-range lookups)
_TIME_STAND_IN = datetime(2999, 12, 31, 23, 59, 58, 0, tzinfo=UTC)


def _stand_in(kind: type, index: int) -> object:
    if kind is int:
        return _INT_STAND_IN - index
    if kind is str:
        return f"\x1fstand-in-{index}\x1f"
    if kind is datetime:
        return _TIME_STAND_IN + timedelta(microseconds=index + 1)
    raise TypeError(f"a Prepared statement takes int, str and datetime arguments, not {kind.__name__}")


def _path_field(model: type[Model], path: str) -> Field[Any, Any]:
    """The field at the end of a lookup path such as "channel__parent__name" (the _meta API)."""
    *hops, last = path.split("__")
    for hop in hops:
        related = _field(model, hop).related_model
        assert related is not None and not isinstance(related, str), path
        model = related
    return _pk(model) if last == "pk" else _field(model, last)


@dataclass(frozen=True)
class Values:
    """Rows as values_list(*names) gives them: tuples, or single values when `flat`, or
    `into(*values)` (a light class of the caller's for list rows). `typed` names the field whose
    type an annotation's values have (annotation → field path)."""

    model: type[Model]
    names: tuple[str, ...]
    flat: bool = False
    typed: Mapping[str, str] = field(default_factory=dict)
    into: Callable[..., Any] | None = None

    def paths(self) -> list[str]:
        return list(self.names)

    def maker(self, using: str) -> Callable[[Sequence[Any]], Any]:
        steps = _steps([_path_field(self.model, self.typed.get(name, name)) for name in self.names], using)
        into = self.into
        if self.flat:
            return lambda row: _converted(row, steps)[0]
        if into is not None:
            if not steps:
                return lambda row: into(*row)
            return lambda row: into(*_converted(row, steps))
        return lambda row: tuple(_converted(row, steps))


@dataclass(frozen=True)
class Instances:
    """Rows made model instances by Model.from_db, as iterating the queryset would make them:
    `fields` loaded (None: every concrete field; the others deferred, as only() leaves them),
    `related` forward relations loaded with the row (as select_related(); name → its Instances),
    `annotations` set as attributes (name → the field path whose type its values have)."""

    model: type[Model]
    fields: tuple[str, ...] | None = None
    related: Mapping[str, Instances] = field(default_factory=dict)
    annotations: Mapping[str, str] = field(default_factory=dict)

    def _loaded(self) -> list[Field[Any, Any]]:
        concrete = self.model._meta.concrete_fields
        if self.fields is None:
            return list(concrete)
        wanted = {_path_field(self.model, name).attname for name in self.fields} | {_pk(self.model).attname}
        return [column for column in concrete if column.attname in wanted]  # in the model's order

    def paths(self, prefix: str = "") -> list[str]:
        found = [prefix + column.name for column in self._loaded()]
        for name, shape in self.related.items():
            found += shape.paths(f"{prefix}{name}__")
        return found + ([] if prefix else list(self.annotations))

    def maker(self, using: str) -> Callable[[Sequence[Any]], Any]:
        columns = self._columns()
        annotated = [_path_field(self.model, path) for path in self.annotations.values()]
        steps = _steps([column for _, column in columns] + annotated, using)
        build = self._builder(using, 0)[0]
        names = list(self.annotations)
        start = len(columns)

        def make(row: Sequence[Any]) -> Any:
            values = _converted(row, steps)
            instance = build(values)
            for offset, name in enumerate(names):
                setattr(instance, name, values[start + offset])
            return instance

        return make

    def _columns(self) -> list[tuple[Instances, Field[Any, Any]]]:
        found = [(self, column) for column in self._loaded()]
        for shape in self.related.values():
            found += shape._columns()
        return found

    def _builder(self, using: str, start: int) -> tuple[Callable[[list[Any]], Model | None], int]:
        """A function making this shape's instance (and its related ones) from a converted row whose
        columns for it begin at `start`, and where the next shape's columns begin."""
        model, loaded = self.model, self._loaded()
        names = [column.attname for column in loaded]
        end = start + len(loaded)
        pk_at = start + names.index(_pk(model).attname)
        children = []
        after = end
        for name, shape in self.related.items():
            child, after = shape._builder(using, after)
            children.append((name, child))

        def build(values: list[Any]) -> Model | None:
            if values[pk_at] is None:  # no related row (a LEFT JOIN's NULLs)
                return None
            instance = model.from_db(using, names, values[start:end])
            for name, child in children:
                setattr(instance, name, child(values))  # the relation's descriptor: loaded, no query
            return instance

        return build, after


def _steps(columns: Sequence[Field[Any, Any]], using: str) -> list[tuple[int, Callable[[object], object]]]:
    """(position, conversion) of the columns whose values need one."""
    found = []
    for position, column in enumerate(columns):
        convert = _column_converter(column, using)
        if convert is not _same:
            found.append((position, convert))
    return found


def _converted(row: Sequence[Any], steps: list[tuple[int, Callable[[object], object]]]) -> list[Any]:
    values = list(row)
    for position, convert in steps:
        values[position] = convert(values[position])
    return values


@dataclass(frozen=True)
class _Slot:
    position: int  # among the statement's parameters
    argument: int
    pattern: str | None  # a LIKE pattern around the stand-in (startswith, contains), else None


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[_Slot, ...]
    make: Callable[[Sequence[Any]], Any]  # a row as read → what the caller gets


class Prepared:
    """`build(*stand_ins)` → a QuerySet, whose statement is taken once per thread and database and
    run with the arguments given to each call; `kinds` are the arguments' types (int, str,
    datetime); `rows` says what a row becomes (Values or Instances).

    The queryset's shape must not depend on the values (a LIMIT, the length of an IN list): make
    one Prepared per shape.
    """

    def __init__(self, build: Callable[..., QuerySet[Any, Any]], *kinds: type,
                 rows: Values | Instances | None = None) -> None:
        self.build, self.kinds, self.rows = build, kinds, rows
        self._local = threading.local()
        self._model: type[Model] | None = None
    def __call__(self, *arguments: object, using: str | None = None) -> list[Any]:
        """The rows, read from `using` or where the database routers send reads of the model
        (a reader request's replica, ops.routers), as the queryset itself would be."""
        using, statement = self._statement(using)
        with connections[using].cursor() as cursor:
            cursor.execute(statement.sql, self._params(statement, arguments, using))
            rows = cursor.fetchall()
        return [statement.make(row) for row in rows]

    def merged(self, runs: Sequence[Sequence[object]], order: Sequence[str], limit: int,
               using: str | None = None) -> list[Any]:
        """The rows of one run per argument list in `runs`, as one statement: the runs joined by
        UNION ALL, ordered by `order` (columns of the result, each "name" or "-name") and cut at
        `limit`. For the newest articles of several channels, each run read on the channel's own
        index (a database merges the ordered runs; no run reads more than its own LIMIT)."""
        if not runs:
            return []
        using, statement = self._statement(using)
        quote = connections[using].ops.quote_name
        parts, params = [], []
        for number, arguments in enumerate(runs):
            parts.append(f"SELECT * FROM ({statement.sql}) AS run{number}")
            params += self._params(statement, arguments, using)
        ordering = ", ".join(f"{quote(name.lstrip('-'))} {'DESC' if name.startswith('-') else 'ASC'}" for name in order)
        sql = f"SELECT * FROM ({' UNION ALL '.join(parts)}) AS runs ORDER BY {ordering} LIMIT {int(limit)}"
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return [statement.make(row) for row in rows]

    def _statement(self, using: str | None) -> tuple[str, _Compiled]:
        if using is None:
            if self._model is None:
                self._model = self.build(*[_stand_in(kind, i) for i, kind in enumerate(self.kinds)]).model
            using = router.db_for_read(self._model)
        compiled: dict[str, _Compiled] = self._local.__dict__.setdefault("compiled", {})
        statement = compiled.get(using)
        if statement is None:
            statement = compiled[using] = self._compile(using)
        return using, statement

    def _params(self, statement: _Compiled, arguments: Sequence[object], using: str) -> list[Any]:
        if len(arguments) != len(self.kinds):
            raise TypeError(f"{len(self.kinds)} arguments expected, {len(arguments)} given")
        connection = connections[using]
        params = list(statement.params)
        for slot in statement.slots:
            value = _db_value(arguments[slot.argument], connection)
            if slot.pattern is not None:
                value = slot.pattern.replace("\x00", connection.ops.prep_for_like_query(str(value)))
            params[slot.position] = value
        return params

    def _compile(self, using: str) -> _Compiled:
        connection = connections[using]
        stand_ins = [_stand_in(kind, index) for index, kind in enumerate(self.kinds)]
        queryset = self.build(*stand_ins)
        if self.rows is not None:
            queryset = queryset.values_list(*self.rows.paths())
        sql, params = statement_of(queryset, using)
        slots = []
        for position, param in enumerate(params):
            for argument, stand_in in enumerate(stand_ins):
                prepared = _db_value(stand_in, connection)
                if param == prepared:
                    slots.append(_Slot(position, argument, None))
                elif isinstance(stand_in, str) and isinstance(param, str) and stand_in in param:
                    slots.append(_Slot(position, argument, param.replace(stand_in, "\x00")))
        if {slot.argument for slot in slots} != set(range(len(stand_ins))):
            raise ValueError("an argument of the prepared query is not among its statement's parameters")
        if self.rows is None:
            raise TypeError("say what a row becomes: Prepared(…, rows=Values(…) or Instances(…))")
        return _Compiled(sql, params, tuple(slots), self.rows.maker(using))


def _db_value(value: object, connection: BaseDatabaseWrapper) -> object:
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value
