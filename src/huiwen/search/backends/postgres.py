"""PostgreSQL: a tsvector per article in `search_document`, with a GIN index.

The tsvector is written as a literal (lexeme:positions with weights: title A, body D) built from
our own tokens, so PostgreSQL's text-search parser and dictionaries never touch them: a query
is a tsquery literal of the same quoted tokens (`'a' <-> 'b'` for phrases, `&`, `!`). Ranking
is ts_rank with PostgreSQL's default weights (A 1.0, D 0.1: the title ten times the body) and
length normalisation 1 (divide by 1 + log(length)); PostgreSQL has no BM25 of its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db import models
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from huiwen.search.backends.base import SearchBackend
from huiwen.search.models import PgDocument
from huiwen.search.query import ParsedQuery, Term

TABLE = PgDocument._meta.db_table
MAX_POSITION = 16383  # PostgreSQL's largest tsvector position
MAX_POSITIONS_PER_LEXEME = 255
MAX_LEXEME_BYTES = 2046


def _quote(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _usable(token: str) -> bool:
    return 0 < len(token.encode()) <= MAX_LEXEME_BYTES


def tsvector_literal(title: Sequence[str], body: Sequence[str]) -> str:
    """'token':1A,7A 'other':3,... — title tokens weighted A, body tokens D (the default)."""
    positions: dict[str, list[str]] = defaultdict(list)
    position = 0
    for weight, tokens in (("A", title), ("", body)):
        for token in tokens:
            position = min(position + 1, MAX_POSITION)
            if not _usable(token):
                continue
            found = positions[token]
            if len(found) < MAX_POSITIONS_PER_LEXEME:
                found.append(f"{position}{weight}")
    return " ".join(f"{_quote(token)}:{','.join(where)}" for token, where in positions.items())


def _term(term: Term) -> str:
    tokens = [token for token in term.tokens if _usable(token)]
    return "(" + " <-> ".join(_quote(token) for token in tokens) + ")" if tokens else ""


def tsquery_literal(query: ParsedQuery) -> str:
    positive = " & ".join(filter(None, (_term(term) for term in query.include)))
    negative = " | ".join(
        "(" + " & ".join(filter(None, (_term(term) for term in group))) + ")" for group in query.exclude
    )
    return f"({positive}) & !({negative})" if negative else positive


class PostgresBackend(SearchBackend):
    vendor = "postgresql"

    def replace(self, article_id: int, title: Sequence[str], body: Sequence[str]) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {TABLE} (article_id, vector) VALUES (%s, %s::tsvector) "
                "ON CONFLICT (article_id) DO UPDATE SET vector = EXCLUDED.vector",
                [article_id, tsvector_literal(title, body)],
            )

    def bulk_insert(self, rows: Iterable[tuple[int, Sequence[str], Sequence[str]]]) -> None:
        with self.connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {TABLE} (article_id, vector) VALUES (%s, %s::tsvector)",
                [(article_id, tsvector_literal(title, body)) for article_id, title, body in rows],
            )

    def remove(self, article_ids: Sequence[int]) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE article_id = ANY(%s)", [list(article_ids)])

    def clear(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")

    def optimize(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {TABLE}")

    def indexed_tokens(self, article_id: int) -> set[str] | None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT tsvector_to_array(vector) FROM {TABLE} WHERE article_id = %s", [article_id])
            row = cursor.fetchone()
        return None if row is None else set(row[0])

    def count(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE}")
            return int(cursor.fetchone()[0])

    def matches(self, query: ParsedQuery, *, ranked: bool = True) -> QuerySet:
        literal = tsquery_literal(query)
        rows = PgDocument.objects.using(self.alias).filter(
            RawSQL(f'"{TABLE}"."vector" @@ %s::tsquery', [literal], output_field=models.BooleanField())
        )
        if ranked:
            rows = rows.annotate(
                rank=RawSQL(
                    f'-ts_rank("{TABLE}"."vector", %s::tsquery, 1)', [literal], output_field=models.FloatField()
                )
            )
        return rows.only("article_id")

    def candidates(self, terms: Sequence[str], around: int, limit: int) -> list[int]:
        usable = [term for term in terms if _usable(term)]
        if not usable:
            return []
        literal = " | ".join(_quote(term) for term in usable)
        below = limit // 2
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT article_id FROM {TABLE} WHERE vector @@ %s::tsquery AND article_id < %s "
                "ORDER BY article_id DESC LIMIT %s",
                [literal, around, below],
            )
            found = [row[0] for row in cursor.fetchall()]
            cursor.execute(
                f"SELECT article_id FROM {TABLE} WHERE vector @@ %s::tsquery AND article_id > %s "
                "ORDER BY article_id LIMIT %s",
                [literal, around, limit - len(found)],
            )
            found += [row[0] for row in cursor.fetchall()]
        return found
