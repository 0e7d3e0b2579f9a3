"""PostgreSQL: a tsvector per article in `search_document`, with a GIN index.

The tsvector is written as a literal built from our own tokens, so PostgreSQL's text-search
parser and dictionaries never touch them. The four streams are told apart by weight: title
words A, title bigrams B, body bigrams C, body words D, each stream in its own range of
positions; filter tokens get a leading underscore (our tokens never have one). A WORD term is
`'word'` (any weight, which GIN answers without re-reading rows); a GRAMS term a phrase
`'明前':BC <-> '前茶':BC`, a lone character a prefix `'茶':*BC`. Ranking is ts_rank with title
weight 1.0 and body weight 0.1 and length normalisation 1 (divide by 1 + log(length)): PostgreSQL has
no BM25 of its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from huiwen.search.backends.base import Fields, Group, Match, Phrase, SearchBackend
from huiwen.search.query import WORD, Term

TABLE = "search_document"
MAX_POSITION = 16383  # PostgreSQL's largest tsvector position
MAX_POSITIONS_PER_LEXEME = 255
MAX_LEXEME_BYTES = 2046
RANK_WEIGHTS = "{0.1, 0.1, 1.0, 1.0}"  # D, C, B, A


def _quote(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _usable(token: str) -> bool:
    return 0 < len(token.encode()) <= MAX_LEXEME_BYTES


def tsvector_literal(fields: Fields) -> str:
    """'token':1A,7A 'other':3,... — weights A, B, C, D for title words, title bigrams,
    body bigrams, body words (D is written without a letter), a gap between streams."""
    positions: dict[str, list[str]] = defaultdict(list)
    position = 0
    streams = (
        ("A", fields.title), ("D", fields.body), ("B", fields.title_chars), ("C", fields.body_chars),
        ("D", [f"_{token}" for token in fields.meta]),
    )
    for weight, tokens in streams:
        position += 1  # so that no phrase runs from one stream into the next
        for token in tokens:
            position = min(position + 1, MAX_POSITION)
            if not _usable(token):
                continue
            found = positions[token]
            if len(found) < MAX_POSITIONS_PER_LEXEME:
                found.append(f"{position}{'' if weight == 'D' else weight}")
    return " ".join(f"{_quote(token)}:{','.join(where)}" for token, where in positions.items())


def _term(term: Term, alternatives: Sequence[str] = ()) -> str:
    tokens = [token for token in term.tokens if _usable(token)] or ["_"]
    if term.kind == WORD:
        # Any weight: GIN answers a plain lexeme exactly, while a weight restriction makes
        # PostgreSQL re-read (and decompress) every candidate's tsvector to check it.
        text = _quote(tokens[0])
    else:
        quoted = [_quote(token) + ":BC" for token in tokens]
        if term.prefix:
            quoted[-1] = _quote(tokens[-1]) + ":*BC"
        text = "(" + " <-> ".join(quoted) + ")"
    if alternatives:
        return f"({text} | {_group(alternatives)})"
    return text


def _item(item: str | Phrase) -> str:
    if isinstance(item, Phrase):
        quoted = [_quote(f"_{token}") for token in item.tokens]
        if item.prefix:
            quoted[-1] += ":*"
        return "(" + " <-> ".join(quoted) + ")"
    return _quote(f"_{item}")


def _group(group: Group) -> str:
    return "(" + " | ".join(_item(item) for item in group) + ")"


def tsquery_literal(match: Match) -> str:
    query = match.query
    parts = [_term(term, match.alternatives.get(term, ())) for term in query.include]
    parts += [_group(group) for group in match.groups]
    positive = " & ".join(parts)
    negative = ["(" + " & ".join(_term(term, match.alternatives.get(term, ())) for term in group) + ")"
                for group in query.exclude]
    negative += [_group(group) for group in match.excluded]
    return f"({positive}) & !({' | '.join(negative)})" if negative else positive


class PostgresBackend(SearchBackend):
    vendor = "postgresql"
    slices_for_newest = False

    def replace(self, fields: Fields) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {TABLE} (article_id, vector) VALUES (%s, %s::tsvector) "
                "ON CONFLICT (article_id) DO UPDATE SET vector = EXCLUDED.vector",
                [fields.article_id, tsvector_literal(fields)],
            )

    def bulk_insert(self, rows: Iterable[Fields]) -> None:
        with self.connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {TABLE} (article_id, vector) VALUES (%s, %s::tsvector)",
                [(fields.article_id, tsvector_literal(fields)) for fields in rows],
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
            cursor.execute(
                f"SELECT tsvector_to_array(ts_filter(vector, '{{a,d}}')) FROM {TABLE} WHERE article_id = %s",
                [article_id],
            )
            row = cursor.fetchone()
        return None if row is None else {token for token in row[0] if not token.startswith("_")}

    def size(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE}")
            return int(cursor.fetchone()[0])

    def count(self, match: Match) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM {TABLE} WHERE vector @@ %s::tsquery",
                [tsquery_literal(match)],
            )
            return int(cursor.fetchone()[0])

    def ranked_ids(self, match: Match, limit: int, window: int) -> tuple[list[int], int]:
        literal = tsquery_literal(match)
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT article_id, count(*) OVER () FROM (SELECT article_id, vector FROM {TABLE} "
                "WHERE vector @@ %s::tsquery ORDER BY article_id DESC LIMIT %s) newest "
                "ORDER BY ts_rank(%s, vector, %s::tsquery, 1) DESC, article_id DESC LIMIT %s",
                [literal, window, RANK_WEIGHTS, literal, limit],
            )
            rows = cursor.fetchall()
        return [row[0] for row in rows], (rows[0][1] if rows else 0)

    def ids_sql(self, match: Match) -> tuple[str, list[object]]:
        return (
            f"SELECT article_id FROM {TABLE} WHERE vector @@ %s::tsquery",
            [tsquery_literal(match)],
        )

    def candidates(self, terms: Sequence[str], around: int, limit: int) -> list[int]:
        usable = [term for term in terms if _usable(term)]
        if not usable:
            return []
        literal = " | ".join(_quote(term) for term in usable)
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT article_id FROM {TABLE} WHERE vector @@ %s::tsquery AND article_id < %s "
                "ORDER BY article_id DESC LIMIT %s",
                [literal, around, limit // 2],
            )
            found = [row[0] for row in cursor.fetchall()]
            cursor.execute(
                f"SELECT article_id FROM {TABLE} WHERE vector @@ %s::tsquery AND article_id > %s "
                "ORDER BY article_id LIMIT %s",
                [literal, around, limit - len(found)],
            )
            found += [row[0] for row in cursor.fetchall()]
        return found
