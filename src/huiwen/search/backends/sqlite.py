"""SQLite FTS5: the default backend.

The index is an FTS5 table `search_fts(title, body, title_chars, body_chars)` whose rowid is the
article id. Each column is our tokens joined by spaces, so FTS5's unicode61 tokenizer
(remove_diacritics 0) reads exactly our tokens back. WORD terms are matched in the word columns
({title body}: "word"), CHARS terms as phrases in the character columns. Ranking is FTS5's
built-in bm25() with the title columns weighted TITLE_WEIGHT times the body columns.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import models
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from huiwen.search.backends.base import TITLE_WEIGHT, Fields, SearchBackend
from huiwen.search.models import FtsEntry
from huiwen.search.query import WORD, ParsedQuery, Term

TABLE = FtsEntry._meta.db_table


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _term(term: Term) -> str:
    columns = "{title body}" if term.kind == WORD else "{title_chars body_chars}"
    return f"{columns} : {_quote(' '.join(term.tokens))}"


def match_expression(query: ParsedQuery) -> str:
    """The FTS5 MATCH string: every token quoted, terms AND-ed, exclusions NOT-ed."""
    positive = " AND ".join(_term(term) for term in query.include)
    if not query.exclude:
        return positive
    negative = " OR ".join("(" + " AND ".join(_term(term) for term in group) + ")" for group in query.exclude)
    return f"({positive}) NOT ({negative})"


INSERT = f"INSERT INTO {TABLE} (rowid, title, body, title_chars, body_chars) VALUES (%s, %s, %s, %s, %s)"


def _row(fields: Fields) -> tuple[int, str, str, str, str]:
    return (
        fields.article_id, " ".join(fields.title), " ".join(fields.body),
        " ".join(fields.title_chars), " ".join(fields.body_chars),
    )


class SqliteBackend(SearchBackend):
    vendor = "sqlite"

    def replace(self, fields: Fields) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid = %s", [fields.article_id])
            cursor.execute(INSERT, _row(fields))

    def bulk_insert(self, rows: Iterable[Fields]) -> None:
        with self.connection.cursor() as cursor:
            cursor.executemany(INSERT, [_row(fields) for fields in rows])

    def remove(self, article_ids: Sequence[int]) -> None:
        with self.connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {TABLE} WHERE rowid = %s", [(pk,) for pk in article_ids])

    def clear(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")

    def optimize(self) -> None:
        """Merge the index's b-trees into one (after a rebuild)."""
        with self.connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('optimize')")

    def indexed_tokens(self, article_id: int) -> set[str] | None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT title, body FROM {TABLE} WHERE rowid = %s", [article_id])
            row = cursor.fetchone()
        if row is None:
            return None
        return set(row[0].split()) | set(row[1].split())

    def count(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE}")
            return int(cursor.fetchone()[0])

    def matches(self, query: ParsedQuery, *, ranked: bool = True) -> QuerySet:
        rows = FtsEntry.objects.using(self.alias).filter(
            RawSQL(f'"{TABLE}" MATCH %s', [match_expression(query)], output_field=models.BooleanField())
        )
        if ranked:
            weights = f"{TITLE_WEIGHT}, 1.0, {TITLE_WEIGHT}, 1.0"  # title, body, title_chars, body_chars
            rank = RawSQL(f'bm25("{TABLE}", {weights})', [], output_field=models.FloatField())
            rows = rows.annotate(rank=rank)
        return rows.only("rowid")

    def candidates(self, terms: Sequence[str], around: int, limit: int) -> list[int]:
        if not terms:
            return []
        expression = "{title body} : (" + " OR ".join(_quote(term) for term in terms) + ")"
        below = limit // 2
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s AND rowid < %s ORDER BY rowid DESC LIMIT %s",
                [expression, around, below],
            )
            found = [row[0] for row in cursor.fetchall()]
            cursor.execute(
                f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s AND rowid > %s ORDER BY rowid LIMIT %s",
                [expression, around, limit - len(found)],
            )
            found += [row[0] for row in cursor.fetchall()]
        return found
