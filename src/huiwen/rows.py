"""Plain multi-row inserts for the hot paths of ingest, where building a model instance per row
costs more than the insert itself (FingerprintBand: ~20 rows per article; RelatedArticle: up to
30). Only for tables whose rows have no save() logic and no signals listening."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connections
from django.db.models import Model


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
