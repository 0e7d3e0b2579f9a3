"""SQLite FTS5: the default backend.

`search_fts(title, body, title_chars, body_chars, meta)` is a contentless FTS5 table whose
rowid is the article id; each column is our tokens joined by spaces, so FTS5's unicode61
tokenizer (remove_diacritics 0) reads exactly our tokens back. WORD terms match in the word
columns and the bigram columns ("word"), GRAMS terms as phrases (the last token perhaps a
prefix: "茶"*) in the bigram columns title_chars and body_chars, filter tokens in `meta`. Ranking is FTS5's
bm25() with the title columns weighted TITLE_WEIGHT times the body and meta not counted.

Contentless, because a copy of every token stream would be the biggest thing in the database;
SQLite 3.40 can only delete from such a table by giving the indexed values again, so they are
kept zlib-compressed in `search_sqlite_tokens` (also the old tokens for document frequencies).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from huiwen.search.backends.base import (
    ARTICLES,
    ENGINE_STATE,
    TITLE_WEIGHT,
    Fields,
    Group,
    Match,
    Phrase,
    Ranked,
    SearchBackend,
)
from huiwen.search.backends.visibility import COVERING_INDEX, Rule
from huiwen.search.query import WORD, Term

if TYPE_CHECKING:  # for annotations only (Django's cursor class is no public API)
    from django.db.backends.utils import CursorWrapper

TABLE = "search_fts"
TOKENS = "search_sqlite_tokens"
COLUMNS = ("title", "body", "title_chars", "body_chars", "meta")
WEIGHTS = f"{TITLE_WEIGHT}, 1.0, {TITLE_WEIGHT}, 1.0, 0.0"
_SEPARATOR = "\x1e"
INSERT = f"INSERT INTO {TABLE} (rowid, {', '.join(COLUMNS)}) VALUES (%s, %s, %s, %s, %s, %s)"
DELETE = f"INSERT INTO {TABLE} ({TABLE}, rowid, {', '.join(COLUMNS)}) VALUES ('delete', %s, %s, %s, %s, %s, %s)"


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


# Filter tokens start with a private-use character: FTS5's unicode61 keeps it inside the token,
# and our text tokens never contain one (text.py keeps letters and digits only), so a word can
# match in any column without ever meeting a filter token.
META = "\ue000"


def _term(term: Term, alternatives: Sequence[str] = ()) -> str:
    phrase = f"{_quote(' '.join(term.tokens))}{'*' if term.prefix else ''}"
    if term.kind != WORD:
        phrase = "{title_chars body_chars} : " + phrase
    # A WORD term in any column: a word is also a bigram of the same text when it has two
    # characters, and leaving out the column filter lets FTS5 count matches without reading
    # positions (p95 of ranking 7 ms instead of 11 at 200,000 articles).
    if alternatives:
        return f"({phrase} OR {_group(alternatives)})"
    return phrase


def _item(item: str | Phrase) -> str:
    if isinstance(item, Phrase):
        return _quote(" ".join(META + token for token in item.tokens)) + ("*" if item.prefix else "")
    return _quote(META + item)


def _group(group: Group) -> str:
    return "meta : (" + " OR ".join(_item(item) for item in group) + ")"


def match_expression(match: Match) -> str:
    """The FTS5 MATCH string: every token quoted, terms and filter groups AND-ed, exclusions NOT-ed."""
    query = match.query
    parts = [_term(term, match.alternatives.get(term, ())) for term in query.include]
    parts += [_group(group) for group in match.groups]
    positive = " AND ".join(parts)
    negative = ["(" + " AND ".join(_term(term, match.alternatives.get(term, ())) for term in group) + ")"
                for group in query.exclude]
    negative += [_group(group) for group in match.excluded]
    if not negative:
        return positive
    return f"({positive}) NOT ({' OR '.join(negative)})"


def _columns(fields: Fields) -> list[str]:
    meta = [META + token for token in fields.meta]
    streams = (fields.title, fields.body, fields.title_chars, fields.body_chars, meta)
    return [" ".join(stream) for stream in streams]


def _pack(columns: list[str]) -> bytes:
    return zlib.compress(_SEPARATOR.join(columns).encode(), 1)


def _unpack(data: bytes) -> list[str]:
    return zlib.decompress(data).decode().split(_SEPARATOR)


class SqliteBackend(SearchBackend):
    vendor = "sqlite"

    def _stored(self, cursor: CursorWrapper, article_ids: Sequence[int]) -> dict[int, list[str]]:
        found: dict[int, list[str]] = {}
        for start in range(0, len(article_ids), 500):
            chunk = list(article_ids[start : start + 500])
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT rowid, data FROM {TOKENS} WHERE rowid IN ({marks})", chunk)
            found.update((rowid, _unpack(data)) for rowid, data in cursor.fetchall())
        return found

    def _changed(self, cursor: CursorWrapper, article_ids: Sequence[int]) -> None:
        """The index changed for these articles (0: all were removed). Here: a tantivy engine's
        folder (tantivy_engine.py), if one was kept beside this database, no longer matches it."""
        if article_ids:
            cursor.execute(f"DELETE FROM {ENGINE_STATE} WHERE key = 'identity'")

    def replace(self, fields: Fields) -> None:
        self.remove([fields.article_id])
        self.bulk_insert([fields])

    def bulk_insert(self, rows: Iterable[Fields]) -> None:
        index: list[tuple[int | str, ...]] = []
        stored: list[tuple[int, bytes]] = []
        for fields in rows:
            columns = _columns(fields)
            index.append((fields.article_id, *columns))
            stored.append((fields.article_id, _pack(columns)))
        with self.connection.cursor() as cursor:
            cursor.executemany(INSERT, index)
            cursor.executemany(f"INSERT INTO {TOKENS} (rowid, data) VALUES (%s, %s)", stored)
            self._changed(cursor, [pk for pk, _ in stored])

    def remove(self, article_ids: Sequence[int]) -> None:
        with self.connection.cursor() as cursor:
            old = self._stored(cursor, article_ids)
            cursor.executemany(DELETE, [(rowid, *columns) for rowid, columns in old.items()])
            cursor.executemany(f"DELETE FROM {TOKENS} WHERE rowid = %s", [(rowid,) for rowid in old])
            self._changed(cursor, list(old))

    def clear(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('delete-all')")
            cursor.execute(f"DELETE FROM {TOKENS}")
            self._changed(cursor, [0])

    def optimize(self) -> None:
        """Merge the index's b-trees into one (after a rebuild)."""
        with self.connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('optimize')")

    def indexed_tokens(self, article_id: int) -> set[str] | None:
        return self.indexed_tokens_many([article_id]).get(article_id)

    def indexed_tokens_many(self, article_ids: Sequence[int]) -> dict[int, set[str]]:
        with self.connection.cursor() as cursor:
            stored = self._stored(cursor, article_ids)
        return {pk: set(columns[0].split()) | set(columns[1].split()) for pk, columns in stored.items()}

    def size(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TOKENS}")
            return int(cursor.fetchone()[0])

    def count(self, match: Match) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM {TABLE} WHERE {TABLE} MATCH %s", [match_expression(match)]
            )
            return int(cursor.fetchone()[0])

    def ranked_ids(self, match: Match, limit: int, window: int) -> tuple[list[int], int]:
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, count(*) OVER () FROM (SELECT rowid, bm25({TABLE}, {WEIGHTS}) AS score FROM {TABLE} "
                f"WHERE {TABLE} MATCH %s ORDER BY rowid DESC LIMIT %s) ORDER BY score, rowid DESC LIMIT %s",
                [match_expression(match), window, limit],
            )
            rows = cursor.fetchall()
        return [row[0] for row in rows], (rows[0][1] if rows else 0)

    def ranked_visible(self, match: Match, rule: Rule, limit: int, window: int, count_up_to: int) -> Ranked:
        """One statement: the window's matches are found and scored once (a materialised CTE); the
        first row carries the window's count and, when it is at most `count_up_to`, its visible
        count; the others are the best `limit` visible matches, the rule asked of them in rank order
        until enough passed (a sorted co-routine: the LIMIT inside keeps it from being flattened)."""
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"WITH found (id, score) AS MATERIALIZED (SELECT rowid, bm25({TABLE}, {WEIGHTS}) FROM {TABLE} "
                f"WHERE {TABLE} MATCH %s ORDER BY rowid DESC LIMIT %s), "
                "counted (matches) AS (SELECT count(*) FROM found) "
                "SELECT NULL, matches, CASE WHEN matches <= %s AND matches < %s THEN "
                f"(SELECT count(*) FROM found AS m WHERE {rule.sql}) END FROM counted "
                "UNION ALL "
                "SELECT * FROM (SELECT m.id, m.score, NULL FROM "
                "(SELECT id, score FROM found ORDER BY score, id DESC LIMIT -1) AS m "
                f"WHERE {rule.sql} LIMIT %s)",
                [match_expression(match), window, count_up_to, window, *rule.params, *rule.params, limit],
            )
            rows = cursor.fetchall()
        head = next(row for row in rows if row[0] is None)
        ranked = sorted((row for row in rows if row[0] is not None), key=lambda row: (row[1], -row[0]))
        return Ranked([row[0] for row in ranked], int(head[1]), head[2])

    def articles_table(self) -> str:
        return f"{ARTICLES} AS m INDEXED BY {COVERING_INDEX}"

    def ids_sql(self, match: Match) -> tuple[str, list[Any]]:
        return f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", [match_expression(match)]
