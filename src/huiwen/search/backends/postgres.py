"""PostgreSQL: a tsvector per article in `search_document`, matched by one GIN index, ranked from a
small second vector in `search_rank`.

The tsvector is written as a literal built from our own tokens, so PostgreSQL's text-search
parser and dictionaries never touch them. The four streams are told apart by weight: title
words A, title bigrams B, body bigrams C, body words D, each stream in its own range of
positions; filter tokens get a leading underscore (our tokens never have one). A WORD term is
`'word'` (any weight, which GIN answers without re-reading rows); a GRAMS term a phrase
`'明前':BC <-> '前茶':BC`, a lone character a prefix `'茶':*BC`.

What keeps a query's cost bounded at a million articles (issue 19; plans in docs/benchmarks.md):

- **One GIN index over (vector, day, bucket, article_id / SLICE)** (btree_gin puts the date, the
  id's bucket, the id divided by BUCKET, and its slice, the id divided by SLICE, beside the
  lexemes). A date filter is a range on `day`, not an OR of date tokens; "the newest matches" are
  whole slices, asked for by equality
  (`article_id / SLICE = n`), the newest first, until few matches are left below (then the rest
  in one query, see newest()). An equality key lets GIN skip through a long posting list to the
  part the slice holds (0.1–1 ms), where a range of keys is gathered into a bitmap first: 15–30 ms
  for the 157 buckets of 40,000 ids at a million articles (docs/benchmarks.md). Only the rows
  that pass every condition are read from the table, so a common word reads a few thousand rows,
  not its 60,000 matches. The exact id bounds and the order are written `article_id + 0`: on the
  bare column the planner would walk the primary key and test every row's vector instead
  (decompressing each from TOAST), which it believes cheap.
- **Newest first** (publication time) looks at the matches of the newest day first, then of the
  last 3, 14, 60 and 365 days (`day = ANY(...)`, equality again), counting back from the newest
  article's day, and sorts all matches only when those hold too few. **Counting** stops at
  COUNT_LIMIT matches (the page then says "more than"), taken like the newest matches.
- **Ranking from `search_rank`**, a vector of title words, title bigrams and body words with at
  most RANK_POSITIONS positions each (no body bigrams, which are most of the full vector), kept
  inline and lz4-compressed: ts_rank over the window's 2,000 rows decompresses a kilobyte or two
  each instead of fetching and decompressing the full vector from TOAST. The rank query is the
  positive terms OR-ed (every row in the window already matches the whole query), with title
  weight 1.0, body 0.1 and length normalisation 1: PostgreSQL has no BM25 of its own. A phrase
  found only in a body ranks 0 there and is ordered newest first among equals.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from functools import cache
from typing import Any

from django.db import DatabaseError
from django.utils import timezone

from huiwen.newsroom.rows import execute_values
from huiwen.search.backends.base import (
    ARTICLES,
    ENGINE_STATE,
    PROFILE_TERMS,
    Fields,
    Group,
    Match,
    Phrase,
    Ranked,
    SearchBackend,
)
from huiwen.search.backends.visibility import Rule
from huiwen.search.models import Profile
from huiwen.search.query import WORD, ParsedQuery, Term

TABLE = "search_document"
RANK_TABLE = "search_rank"
BUCKET = 256  # ids per bucket (search_document.bucket = article_id // BUCKET)
RANK_POSITIONS = 3  # positions kept per lexeme in the ranking vector (term frequency saturates anyway)
SLICE = 32_768  # ids per slice (the index's fourth column is article_id / SLICE: the SQL must say it so)
NEWEST_DAYS = (1, 3, 14, 60, 365)  # newest first: days looked at, counting back from the newest article's
COUNT_LIMIT = 2_000  # matches counted at most (as many as relevance ranks: service.RANK_WINDOW)
# The newest matches: slice after slice while many matches are left below, then the rest in one
# query once the matches seen so far suggest no more than this many times what is still wanted.
REST_AT_ONCE = 4
_DATE_TOKEN = re.compile(r"^(?:y(\d{4})|m(\d{4})(\d{2})|d(\d{4})(\d{2})(\d{2}))$")
MAX_POSITION = 16383  # PostgreSQL's largest tsvector position
MAX_POSITIONS_PER_LEXEME = 255
MAX_LEXEME_BYTES = 2046
RANK_WEIGHTS = "{0.1, 0.1, 1.0, 1.0}"  # D, C, B, A
MATCH_INDEX = "search_document_sliced"  # the GIN index (search migration 0005)
MATCH_INDEX_DEFINITION = (
    f"CREATE INDEX {MATCH_INDEX} ON {TABLE} USING gin (vector, day, bucket, (article_id / {SLICE}))"
)


def _quote(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _usable(token: str) -> bool:
    return 0 < len(token.encode()) <= MAX_LEXEME_BYTES


# A token of at most this many characters is never longer than MAX_LEXEME_BYTES in UTF-8 (4 bytes
# a character at most): only longer ones need encoding to be measured.
_SURELY_SHORT = MAX_LEXEME_BYTES // 4


@cache
def _labels(weight: str) -> list[str]:
    """Every position with the weight's letter ("1A", "2A", …), written once per process (about a
    megabyte a weight): a stream's labels are then a slice of this list."""
    return [f"{position}{weight}" for position in range(MAX_POSITION + 1)]


def vector_literals(fields: Fields) -> tuple[str, str]:
    """The article's two tsvector literals, 'token':1A,7A 'other':3,…:

    - the full vector: weights A, B, C, D for title words, title bigrams, body bigrams, body words
      (D is written without a letter) and the filter tokens (D, after an underscore), a gap
      between streams so that no phrase runs from one stream into the next, at most
      MAX_POSITIONS_PER_LEXEME positions a lexeme;
    - the ranking vector: title words, body words and title bigrams with their first
      RANK_POSITIONS positions, the same positions as in the full vector.

    This is the one part of indexing that runs per token (2,300 of them in a real article of a
    few thousand characters), so a stream's positions are written in one call and its tokens
    grouped in a loop that does nothing else; lexemes too long for PostgreSQL are left out last.
    Written token by token (usable? placed, quoted), both took 3 ms a real article."""
    full: dict[str, list[str]] = {}
    ranked: dict[str, list[str]] = {}
    streams = (
        ("A", fields.title, True), ("", fields.body, True), ("B", fields.title_chars, True),
        ("C", fields.body_chars, False), ("", [f"_{token}" for token in fields.meta], False),
    )
    position = 0  # before the stream; each stream starts one further on (the gap)
    for weight, tokens, ranking in streams:
        first = position + 2
        position += 1 + len(tokens)
        labels = _labels(weight)[first:position + 1]
        if position > MAX_POSITION:  # the rest all at the largest position PostgreSQL has
            labels += [f"{MAX_POSITION}{weight}"] * (len(tokens) - len(labels))
        grouped: dict[str, list[str]] = {}
        for token, label in zip(tokens, labels, strict=True):
            found = grouped.get(token)
            if found is None:
                grouped[token] = [label]
            else:
                found.append(label)
        for token, found in grouped.items():
            have = full.get(token)
            if have is None:
                full[token] = found
            elif len(have) < MAX_POSITIONS_PER_LEXEME:
                have.extend(found)
            if ranking:
                kept = ranked.get(token)
                if kept is None:
                    ranked[token] = found[:RANK_POSITIONS]
                elif len(kept) < RANK_POSITIONS:
                    kept.extend(found[:RANK_POSITIONS - len(kept)])
    quoted = {token: "'" + token.replace("\\", "\\\\").replace("'", "''") + "'" for token in full
              if token and (len(token) <= _SURELY_SHORT or len(token.encode()) <= MAX_LEXEME_BYTES)}
    return (" ".join([f"{quoted[token]}:{','.join(where[:MAX_POSITIONS_PER_LEXEME])}"
                      for token, where in full.items() if token in quoted]),
            " ".join([f"{quoted[token]}:{','.join(where)}" for token, where in ranked.items() if token in quoted]))


def day_of(fields: Fields) -> date | None:
    """The publication day, from the filter token d<yyyymmdd> the article carries."""
    for token in fields.meta:
        found = _DATE_TOKEN.match(token)
        if found and found.group(4):
            return date(int(found.group(4)), int(found.group(5)), int(found.group(6)))
    return None


def _token_days(token: str) -> tuple[date, date] | None:
    found = _DATE_TOKEN.match(token)
    if not found:
        return None
    try:
        if found.group(1):
            year = int(found.group(1))
            return date(year, 1, 1), date(year, 12, 31)
        if found.group(2):
            first = date(int(found.group(2)), int(found.group(3)), 1)
            return first, (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        day = date(int(found.group(4)), int(found.group(5)), int(found.group(6)))
    except ValueError:
        return None  # d00000000, the "matches nothing" token: left to the index, where it matches nothing
    return day, day


def day_range(group: Group) -> tuple[date, date] | None:
    """The days a group of date tokens covers, when they are one unbroken range (meta.date_tokens
    always makes one); None for any other group."""
    if not group or not all(isinstance(token, str) for token in group):
        return None  # phrases of tokens (a name's bigrams) are never dates
    spans = [_token_days(token) for token in group if isinstance(token, str)]
    if any(span is None for span in spans):
        return None
    ordered = sorted(span for span in spans if span is not None)
    for (_, end), (start, _) in itertools.pairwise(ordered):
        if start != end + timedelta(days=1):
            return None
    return ordered[0][0], ordered[-1][1]


def _term(term: Term, alternatives: Sequence[str] = ()) -> str:
    tokens = [token for token in term.tokens if _usable(token)] or ["_"]
    if term.kind == WORD or len(tokens) == 1:
        # Any weight: GIN answers a plain lexeme exactly, while a weight restriction makes
        # PostgreSQL re-read (and decompress) every candidate's tsvector to check it. A GRAMS term
        # of one token (a bigram, or a lone character as a prefix) needs none either: wherever the
        # word streams hold a token, the gram streams of the same text hold it too (a word's
        # characters are a run of bigrams; a lone character ends its run).
        text = _quote(tokens[0]) + (":*" if term.kind != WORD and term.prefix else "")
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


def rank_query_literal(query: ParsedQuery) -> str:
    """The positive terms OR-ed: what ranks a row that already matched the whole query."""
    return " | ".join(_term(term) for term in query.include) or "'_'"


def _array(ids: Sequence[int]) -> str:
    """An array literal of integers, for `%s::bigint[]`."""
    return "{" + ",".join(map(str, ids)) + "}"


class PostgresBackend(SearchBackend):
    vendor = "postgresql"
    epoch_seconds = "date_part('epoch', {})"

    def ids_condition(self, column: str, ids: Sequence[int]) -> tuple[str, list[Any]]:
        return f"{column} = ANY(%s::bigint[])", [_array(ids)]

    slices_for_newest = False  # newest_visible() looks at recent days itself, by equality in the index
    count_limit: int = COUNT_LIMIT

    # Writing.
    def _changed(self, cursor: Any, article_ids: Sequence[int]) -> None:
        """The index changed for these articles (0: all were removed). Here: the tantivy engines that
        reader hosts may keep beside this database (tantivy_postgres.py) no longer match it."""
        if article_ids:
            cursor.execute(f"DELETE FROM {ENGINE_STATE} WHERE key = 'identity'")

    def _lower_frequencies(self, cursor: Any, table: str, removed: list[tuple[str, int]]) -> None:
        # Rows joined to the batch's rows in one statement (rows.execute_values), not one each.
        execute_values(cursor, f"UPDATE {table} AS t SET df = GREATEST(t.df - v.n, 0) FROM ({{rows}}) AS v(term, n) "
                       "WHERE t.term = v.term", removed, self._frequency_types)

    def replace(self, fields: Fields) -> None:
        full, ranking = vector_literals(fields)
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {TABLE} (article_id, bucket, day, vector) VALUES (%s, %s, %s, %s::tsvector) "
                "ON CONFLICT (article_id) DO UPDATE SET day = EXCLUDED.day, vector = EXCLUDED.vector",
                [fields.article_id, fields.article_id // BUCKET, day_of(fields), full],
            )
            cursor.execute(
                f"INSERT INTO {RANK_TABLE} (article_id, vector) VALUES (%s, %s::tsvector) "
                "ON CONFLICT (article_id) DO UPDATE SET vector = EXCLUDED.vector",
                [fields.article_id, ranking],
            )
            self._changed(cursor, [fields.article_id])

    def bulk_insert(self, rows: Iterable[Fields]) -> None:
        # COPY rather than executemany: one stream per table, and a failed row raises the server's
        # own error (executemany's pipeline mode can hide it behind a protocol-state error).
        made = [(fields, *vector_literals(fields)) for fields in rows]
        with self.connection.cursor() as cursor:
            with cursor.copy(f"COPY {TABLE} (article_id, bucket, day, vector) FROM STDIN") as copy:
                for fields, full, _ in made:
                    copy.write_row((fields.article_id, fields.article_id // BUCKET, day_of(fields), full))
            with cursor.copy(f"COPY {RANK_TABLE} (article_id, vector) FROM STDIN") as copy:
                for fields, _, ranking in made:
                    copy.write_row((fields.article_id, ranking))
            self._changed(cursor, [fields.article_id for fields, _, _ in made])

    def settle(self) -> None:
        """Merge the GIN index's pending list. New rows wait there (fastupdate) until it holds 4 MB,
        and every match reads all of it meanwhile: a match of twelve words near a collector's new
        article (相关阅读's candidates, then) took 2.6 ms over the pending list of a few hundred
        articles and 0.5 ms after the merge, which itself costs what the merge at 4 MB would have
        cost. Only the index's owner may merge (as for VACUUM), and a rebuild may have dropped the
        index: then nothing is done."""
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT gin_clean_pending_list(c.oid) FROM pg_class AS c "
                "WHERE c.oid = to_regclass(%s) AND pg_has_role(c.relowner, 'USAGE')",
                [MATCH_INDEX],
            )

    def remove(self, article_ids: Sequence[int]) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE article_id = ANY(%s)", [list(article_ids)])
            cursor.execute(f"DELETE FROM {RANK_TABLE} WHERE article_id = ANY(%s)", [list(article_ids)])
            self._changed(cursor, list(article_ids))

    def clear(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")
            cursor.execute(f"DELETE FROM {RANK_TABLE}")
            self._changed(cursor, [0])

    def optimize(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {TABLE}")
            cursor.execute(f"ANALYZE {RANK_TABLE}")

    # A rebuild by several processes (search.bulk): the GIN index is dropped for the load and built
    # once at the end, several times faster than maintaining it row by row.
    def drop_match_index(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {MATCH_INDEX}")

    def build_match_index(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '1GB'")
            cursor.execute(MATCH_INDEX_DEFINITION)

    def vacuum(self, *tables: str) -> None:
        """VACUUM ANALYZE the index's tables and `tables` after a bulk load: the visibility map lets
        counts skip the table, and the planner sees the new statistics. Outside a transaction."""
        with self.connection.cursor() as cursor:
            for table in (TABLE, RANK_TABLE, *tables):
                cursor.execute(f"VACUUM ANALYZE {self.connection.ops.quote_name(table)}")

    def id_quantiles(self, parts: int, status: str) -> list[int]:
        """The article ids that cut the articles of `status` into `parts` parts of about equal size
        (the last one is the highest id); [] when there are none."""
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT percentile_disc(%s::float8[]) WITHIN GROUP (ORDER BY id) FROM {ARTICLES} WHERE status = %s",
                [[step / parts for step in range(1, parts + 1)], status],
            )
            row = cursor.fetchone()
        return list(row[0] or []) if row is not None else []

    def stored_profiles(self, ids: Sequence[int]) -> list[tuple[int, Any]]:
        """As the base class, in one statement of one parameter (400 ids: psycopg converting a
        statement of 400 parameters, different for every count, cost more than the read)."""
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT article_id, terms FROM {Profile._meta.db_table} WHERE article_id = ANY(%s::bigint[])",
                [_array(ids)],
            )
            return [(pk, terms) for pk, terms in cursor.fetchall()]

    def indexed_tokens(self, article_id: int) -> set[str] | None:
        return self.indexed_tokens_many([article_id]).get(article_id)

    def indexed_tokens_many(self, article_ids: Sequence[int]) -> dict[int, set[str]]:
        """One statement for a batch (a collector's batch asked once per article before)."""
        if not article_ids:
            return {}
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT article_id, tsvector_to_array(ts_filter(vector, '{{a,d}}')) FROM {TABLE} "
                "WHERE article_id = ANY(%s::bigint[])",
                [_array(article_ids)],
            )
            rows = cursor.fetchall()
        return {pk: {token for token in tokens if not token.startswith("_")} for pk, tokens in rows}

    def size(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE}")
            return int(cursor.fetchone()[0])

    # Reading.
    def _where(self, match: Match) -> tuple[str, list[Any]]:
        """The conditions of a match: the tsquery, and a day range for a date filter group."""
        groups, days = [], None
        for group in match.groups:
            span = day_range(group) if days is None else None
            if span is not None:
                days = span
            else:
                groups.append(group)
        where = "vector @@ %s::tsquery"
        params: list[Any] = [tsquery_literal(dataclasses.replace(match, groups=groups))]
        if days is not None:
            where += " AND day BETWEEN %s AND %s"
            params += list(days)
        return where, params

    def count(self, match: Match) -> int:
        where, params = self._where(match)
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE} WHERE {where}", params)
            return int(cursor.fetchone()[0])

    def counts(self, match: Match, rule: Rule, count_up_to: int) -> tuple[int, int | None]:
        """The matches up to count_limit + 1 (more than count_limit: the caller says "more than"),
        taken newest first in slices: counting a common word's 60,000 matches read every one."""
        found = self.newest(match, self.count_limit + 1)
        matches = len(found)  # every match, when no more than count_limit
        return matches, (self._visible_among(found, rule) if 0 < matches <= count_up_to else None)

    @contextmanager
    def _matching(self) -> Iterator[Any]:
        """A cursor for statements that match the vectors, with sequential scans off. The planner
        does not count the cost of reading a vector from TOAST, so where a condition besides the
        words covers most rows (the one slice of a site under 32,768 articles) it would rather scan
        the table and test every vector (250 ms for twelve words near one article at 20,000 articles) than ask
        the GIN index (3 ms)."""
        with self.connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off")
            try:
                yield cursor
            except BaseException:
                # In a transaction a database error aborted it, and its rollback undoes the SET too;
                # outside one (or for any other exception) the setting must not outlive the statements.
                if not (self.connection.in_atomic_block and self.connection.needs_rollback):
                    with contextlib.suppress(DatabaseError):
                        cursor.execute("RESET enable_seqscan")
                raise
            cursor.execute("RESET enable_seqscan")

    def _top_id(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT coalesce(max(article_id), 0) FROM {TABLE}")
            return int(cursor.fetchone()[0])

    def newest(self, match: Match, window: int) -> list[int]:
        """The ids of the newest `window` matches (by id), read in slices from the top; with a date
        filter in one query, the day range already bounds what the index hands over."""
        where, params = self._where(match)
        if "day BETWEEN" in where:
            with self._matching() as cursor:
                cursor.execute(f"SELECT article_id FROM {TABLE} WHERE {where} ORDER BY article_id + 0 DESC LIMIT %s",
                               [*params, window])
                return [row[0] for row in cursor.fetchall()]
        found: list[int] = []
        top = self._top_id()
        bottom = (top // SLICE + 1) * SLICE  # the ids from here up are done
        with self._matching() as cursor:
            while bottom > 0 and len(found) < window:
                need = window - len(found)
                spanned = max(top + 1 - bottom, 1)
                if spanned > SLICE and len(found) / spanned * bottom <= REST_AT_ONCE * need:
                    # Few matches are left below (as many as seen so far suggest): the rest at once,
                    # one scan of the posting lists instead of one per slice.
                    cursor.execute(
                        f"SELECT article_id FROM {TABLE} WHERE {where} AND article_id + 0 < %s "
                        "ORDER BY article_id + 0 DESC LIMIT %s",
                        [*params, bottom, need],
                    )
                    found += [row[0] for row in cursor.fetchall()]
                    break
                # An equality, so an index condition in every plan. As `= ANY(array)` of several
                # slices, the planner may leave them to a filter over every match when it believes the
                # words rare (AND-ed words of one topic: 3 rows believed, 66,000 found).
                bottom -= SLICE
                cursor.execute(
                    f"SELECT article_id FROM {TABLE} WHERE {where} AND article_id / {SLICE} = %s::bigint "
                    "ORDER BY article_id + 0 DESC LIMIT %s",
                    [*params, bottom // SLICE, need],
                )
                found += [row[0] for row in cursor.fetchall()]
        return found

    def _last_day(self) -> date | None:
        """The publication day of the newest article (none is visible after today)."""
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT max(published_at) FROM {ARTICLES}")
            newest = cursor.fetchone()[0]
        return None if newest is None else min(timezone.localtime(newest).date(), timezone.localdate())

    def newest_visible(self, match: Match, rule: Rule, offset: int, limit: int) -> list[int]:
        """Newest first: the matches of the newest day, then of wider spans of days (NEWEST_DAYS), as
        soon as one holds the page. Every match outside a span is older than all inside it: its day
        (the publication day in the site's time zone) is earlier."""
        where, params = self._where(match)
        last = self._last_day() if "day BETWEEN" not in where else None
        if last is not None:
            for days in NEWEST_DAYS:
                span = [last - timedelta(days=back) for back in range(days)]
                ids = self._newest_where(f"{where} AND day = ANY(%s::date[])", [*params, span], rule, offset, limit)
                if len(ids) == limit:
                    return ids
        return self._newest_where(where, params, rule, offset, limit)

    def _newest_where(self, where: str, params: list[Any], rule: Rule, offset: int, limit: int) -> list[int]:
        with self._matching() as cursor:
            cursor.execute(
                # Materialised: the matches come from the index first. Left to itself, the planner
                # walks the articles by date and tests each one's vector (read from TOAST).
                f"WITH found AS MATERIALIZED (SELECT article_id FROM {TABLE} WHERE {where}) "
                f"SELECT m.id FROM {self.articles_table()} WHERE m.id IN (SELECT article_id FROM found) "
                f"AND {rule.sql} ORDER BY m.published_at DESC, m.id DESC LIMIT %s OFFSET %s",
                [*params, *rule.params, limit, offset],
            )
            return [row[0] for row in cursor.fetchall()]

    def ranked_ids(self, match: Match, limit: int, window: int) -> tuple[list[int], int]:
        newest = self.newest(match, window)
        return self._ranked(match, newest, limit), len(newest)

    def _ranked(self, match: Match, newest: list[int], limit: int) -> list[int]:
        if not newest:
            return []
        with self.connection.cursor() as cursor:
            # The 2,000 ids as one array literal: psycopg adapting a list of them cost 3 ms of CPU.
            cursor.execute(
                f"SELECT article_id FROM {RANK_TABLE} WHERE article_id = ANY(%s::bigint[]) "
                "ORDER BY ts_rank(%s, vector, %s::tsquery, 1) DESC, article_id DESC LIMIT %s",
                [_array(newest), RANK_WEIGHTS, rank_query_literal(match.query), limit],
            )
            return [row[0] for row in cursor.fetchall()]

    def ranked_visible(self, match: Match, rule: Rule, limit: int, window: int, count_up_to: int) -> Ranked:
        """As the base class, with the window's matches read once: a larger page of ranked ids
        ranks the same window again, and a window that is not full holds every match, so its
        visible ones are counted among those ids (the base class matched the query again)."""
        newest = self.newest(match, window)
        fetch = limit + 20
        while True:
            ranked = self._ranked(match, newest, fetch)
            shown = self._visible_ids(ranked, rule)
            kept = [pk for pk in ranked if pk in shown][:limit]
            if len(kept) >= limit or len(ranked) < fetch:
                break
            fetch *= 4
        matches = len(newest)
        counted = 0 < matches <= count_up_to and matches < window
        return Ranked(kept, matches, self._visible_among(newest, rule) if counted else None)

    def _visible_among(self, ids: list[int], rule: Rule) -> int:
        """How many of `ids` the rule lets through."""
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {ARTICLES} AS m WHERE m.id = ANY(%s::bigint[]) AND {rule.sql}",
                           [_array(ids), *rule.params])
            return int(cursor.fetchone()[0])

    def ids_sql(self, match: Match) -> tuple[str, list[Any]]:
        where, params = self._where(match)
        return f"SELECT article_id FROM {TABLE} WHERE {where}", params

    @staticmethod
    def _nearest(cursor: Any, keys: Sequence[int], around: int, want: int, *, down: bool) -> list[int]:
        """As the base class, the keys as one array joined laterally: one statement text for any
        number of keys, planned in 0.1 ms where the union of twelve subqueries took 0.4 (at a
        million articles, 2.25 against 2.75 ms for both sides at p50: docs/benchmarks.md)."""
        if want <= 0:
            return []
        beyond, order = ("<", "DESC") if down else (">", "ASC")
        cursor.execute(
            f"SELECT DISTINCT near.article_id FROM unnest(%s::integer[]) AS wanted (term) CROSS JOIN LATERAL "
            f"(SELECT article_id FROM {PROFILE_TERMS} AS t WHERE t.term = wanted.term AND t.article_id {beyond} %s "
            f"ORDER BY t.article_id {order} LIMIT %s) AS near ORDER BY near.article_id {order} LIMIT %s",
            [_array(keys), around, want, want],
        )
        return [row[0] for row in cursor.fetchall()]
