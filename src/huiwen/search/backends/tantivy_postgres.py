"""PostgreSQL with tantivy ranking: the tsvector index as in PostgresBackend, plus a tantivy index on
each reader host that orders and counts the search page's matches (issue 19).

Why: at a million articles the search page's p95 on PostgreSQL alone was 60–78 ms (the goal is 30),
spent ranking a window of 2,000 matches with ts_rank, rechecking a quoted phrase's positions in
each candidate's full vector, and slicing for a date filter (docs/benchmarks.md). tantivy ranks
every match by BM25 with block-max WAND, keeps positions in its index, and answers in a few
milliseconds, as it does beside SQLite (tantivy_engine.py, whose ranking, counts, checks and
fallbacks this backend shares).

What differs from SQLite is that several hosts read one database:

- **The change log is shared, so nobody deletes what they applied.** Each write appends the
  article id with its transaction id (`xid8`). A host keeps its position, the (xid, seq) of the last
  row it applied, in its folder's POSITION file, and reads only rows of transactions that have
  ended: those below its snapshot's xmin. A sequence number alone would skip a transaction that
  took its number early and committed late; below xmin, every transaction has committed or
  aborted, so the order (xid, seq) is final.
- **A folder is built from the tsvectors themselves** (`vector_columns`): each position carries its
  weight, and weights and the underscore of filter tokens tell the streams apart, so no second copy
  of the tokens is stored. What PostgreSQL's vector leaves out, tantivy lacks too (positions past
  16,383 share the last one; a lexeme keeps its first 255 positions): both indexes match the same.
- **Building is a host's own business.** A folder whose identity is not the database's (a new host,
  a restore) is rebuilt by `huiwen search_index --engine` from every stored vector, while searches
  rank with PostgreSQL meanwhile; a search applies a short backlog itself (ENGINE_LAG), and
  `huiwen search_index --engine --follow` keeps a host's folder current under a steady stream of
  changes. Workers never write a folder: their hosts may serve no readers, and a tantivy commit
  per collected batch would halve their rate.
- **The log is pruned** after HUIWEN_SEARCH_ENGINE_LOG_DAYS (7); the highest pruned transaction id
  is kept, and a folder whose position is older than it starts again.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import re
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

import tantivy
from django.conf import settings

from huiwen.search.backends.base import ARTICLES
from huiwen.search.backends.postgres import TABLE, PostgresBackend
from huiwen.search.backends.tantivy_engine import (
    BATCH,
    CHANGES,
    CLEAR,
    ENGINE_LAG,
    NEVER,
    STATE,
    EngineRanking,
    document,
)

if TYPE_CHECKING:
    from django.db.backends.utils import CursorWrapper

# 'lexeme':1A,7,20C in a tsvector's text: quotes inside a lexeme are doubled, backslashes doubled.
_ENTRY = re.compile(r"'((?:[^']|'')*)':([0-9A-D,]+)")
START = ("0", -1)  # a position before every row: (xid, seq)
PRUNE_EVERY = 3600.0  # seconds between a process's prunings of the log
PARALLEL_FROM = 20_000  # a rebuild of more articles parses their vectors in several processes


def vector_columns(text: str) -> list[str]:
    """The five token streams of a stored vector (PostgresBackend.vector_literals wrote them):
    title words (weight A), body words (D), title bigrams (B), body bigrams (C) and filter tokens
    (D with a leading underscore), each in the order of its positions, joined by spaces: the
    columns tantivy_engine.document takes."""
    title: list[tuple[int, str]] = []
    body: list[tuple[int, str]] = []
    title_chars: list[tuple[int, str]] = []
    body_chars: list[tuple[int, str]] = []
    meta: list[tuple[int, str]] = []
    by_weight = {"A": title, "B": title_chars, "C": body_chars}
    for lexeme, labels in _ENTRY.findall(text):
        if "'" in lexeme or "\\" in lexeme:
            lexeme = lexeme.replace("''", "'").replace("\\\\", "\\")
        for label in labels.split(","):
            weight = label[-1]
            stream = by_weight.get(weight)
            if stream is not None:
                stream.append((int(label[:-1]), lexeme))
            elif lexeme.startswith("_"):
                meta.append((int(label.rstrip("D")), lexeme[1:]))
            else:
                body.append((int(label.rstrip("D")), lexeme))
    return [" ".join([token for _, token in sorted(stream)]) for stream in (title, body, title_chars, body_chars, meta)]


def _columns_of(rows: list[tuple[int, str]]) -> list[tuple[int, list[str]]]:
    return [(pk, vector_columns(text)) for pk, text in rows]


def _later(position: tuple[str, int], other: tuple[str, int]) -> bool:
    return (int(position[0]), position[1]) > (int(other[0]), other[1])


class PostgresTantivyBackend(EngineRanking, PostgresBackend):
    """PostgresBackend whose search page a tantivy index on this host ranks and counts (module
    docstring)."""

    def __init__(self, alias: str = "default") -> None:
        super().__init__(alias)
        self._pruned_at = 0.0

    # -- the change log, written with the vectors -------------------------------------------

    def _changed(self, cursor: CursorWrapper, article_ids: Sequence[int]) -> None:
        """Log the changed articles; an emptied index (CLEAR, a rebuild) instead makes every host
        rebuild its folder from the vectors, faster than replaying a row per article."""
        if CLEAR in article_ids:
            PostgresBackend._changed(self, cursor, article_ids)
        elif article_ids:
            cursor.execute(f"INSERT INTO {CHANGES} (article_id) SELECT unnest(%s::bigint[])", [list(article_ids)])

    def settle(self) -> None:
        """Merge the GIN pending list, as PostgresBackend; no drain (module docstring: workers
        never write a folder)."""
        PostgresBackend.settle(self)

    def optimize(self) -> None:
        """As PostgresBackend: a rebuild's host need not serve readers; each reader host's
        follower rebuilds its own folder."""
        PostgresBackend.optimize(self)

    # -- this host's position in the log --------------------------------------------------

    def _position(self) -> tuple[str, int] | None:
        """(xid, seq) of the last row applied to this folder; None when it has none."""
        try:
            xid, _, seq = (self.folder / "POSITION").read_text().partition(" ")
            return xid, int(seq)
        except (OSError, ValueError):
            return None

    def _keep_position(self, position: tuple[str, int]) -> None:
        scratch = self.folder / "POSITION.new"
        scratch.write_text(f"{position[0]} {position[1]}")
        os.replace(scratch, self.folder / "POSITION")

    def _state(self, cursor: CursorWrapper, position: tuple[str, int]) -> tuple[str | None, str | None, int]:
        """The database's identity for engines, the highest pruned transaction id, and the rows
        after `position` counted up to ENGINE_LAG + 1 (one statement: a search asks this each time)."""
        cursor.execute(
            f"SELECT (SELECT value FROM {STATE} WHERE key = 'identity'), "
            f"(SELECT value FROM {STATE} WHERE key = 'pruned'), "
            f"(SELECT count(*) FROM (SELECT 1 FROM {CHANGES} WHERE (xid, seq) > (%s::xid8, %s) LIMIT %s) AS pending)",
            [position[0], position[1], ENGINE_LAG + 1],
        )
        identity, pruned, backlog = cursor.fetchone()
        return identity, pruned, int(backlog)

    def _current(self, identity: str | None, pruned: str | None, position: tuple[str, int] | None) -> bool:
        """Whether the folder was built for this database and has missed no pruned row."""
        if identity is None or position is None or self._marker() != identity:
            return False
        return pruned is None or _later(position, (pruned, 2**62))

    def _backlog_now(self, cursor: CursorWrapper) -> int | None:
        position = self._position()
        identity, pruned, backlog = self._state(cursor, position or START)
        return backlog if self._current(identity, pruned, position) else None

    def engine_backlog(self) -> int | None:
        """Rows after this host's position; every stored article when its folder must be rebuilt."""
        position = self._position()
        with self.connection.cursor() as cursor:
            identity, pruned, _ = self._state(cursor, position or START)
            if not self._current(identity, pruned, position):
                return self.size()
            assert position is not None
            cursor.execute(f"SELECT count(*) FROM {CHANGES} WHERE (xid, seq) > (%s::xid8, %s)", list(position))
            return int(cursor.fetchone()[0])

    # -- applying the log -------------------------------------------------------------------

    def drain(self, *, wait: bool = True, limit: int | None = None) -> int:
        """Apply the log's rows of ended transactions after this host's position (all, or about
        `limit`), rebuilding the folder first when it is not current; how many rows (or rebuilt
        articles) were applied. Without `wait` (a search), returns 0 at once when another process
        holds the folder or when it would have to be rebuilt: that is minutes of work, left to
        `huiwen search_index --engine`."""
        applied = 0
        with self._locked(wait) as held:
            if not held:
                return 0
            index = self._open()
            with self.connection.cursor() as cursor:
                self._prune(cursor)
                position = self._position()
                identity = self._identity(cursor)
                _, pruned, _ = self._state(cursor, position or START)
                if not self._current(identity, pruned, position):
                    if not wait:
                        return 0
                    applied, position = self._rebuild(index, cursor, identity)
                assert position is not None
                # Every transaction below the snapshot's xmin has ended: its rows are final.
                cursor.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text")
                horizon = cursor.fetchone()[0]
                writer: tantivy.IndexWriter | None = None
                while limit is None or applied < limit:
                    cursor.execute(
                        f"SELECT xid::text, seq, article_id FROM {CHANGES} WHERE (xid, seq) > (%s::xid8, %s) "
                        "AND xid < %s::xid8 ORDER BY xid, seq LIMIT %s",
                        [*position, horizon, BATCH],
                    )
                    rows = cursor.fetchall()
                    if not rows:
                        break
                    if writer is None:
                        writer = self._writer(index, len(rows))
                    if any(pk == CLEAR for _, _, pk in rows):
                        writer.delete_all_documents()
                    self._apply(writer, cursor, sorted({pk for _, _, pk in rows if pk != CLEAR}))
                    writer.commit()
                    position = (rows[-1][0], rows[-1][1])
                    self._keep_position(position)
                    applied += len(rows)
                if writer is not None:
                    writer.wait_merging_threads()
        return applied

    def _rebuild(self, index: tantivy.Index, cursor: CursorWrapper, identity: str) -> tuple[int, tuple[str, int]]:
        """Under the lock: every stored vector into an emptied folder. The position becomes the
        snapshot's xmin taken before reading: each change of a transaction below it is in what is
        read, and rows from it on are applied after (twice at worst, which is harmless)."""
        cursor.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text")
        position = (str(cursor.fetchone()[0]), -1)
        (self.folder / "IDENTITY").unlink(missing_ok=True)
        cursor.execute(f"SELECT count(*) FROM {TABLE}")
        parallel = int(cursor.fetchone()[0]) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1
        # The vectors are parsed in forked processes (Python's loop over 2,300 positions an article
        # is the slow part), forked before the writer starts its threads; tantivy indexes on its
        # own threads meanwhile.
        pool = multiprocessing.get_context("fork").Pool(os.cpu_count()) if parallel else None
        added, last = 0, 0
        try:
            writer = index.writer(heap_size=512_000_000, num_threads=2)
            writer.delete_all_documents()
            while True:
                cursor.execute(f"SELECT article_id, vector::text FROM {TABLE} WHERE article_id > %s "
                               "ORDER BY article_id LIMIT %s", [last, BATCH])
                rows = cursor.fetchall()
                if not rows:
                    break
                last = rows[-1][0]
                if pool is not None:
                    parts = [rows[start : start + 250] for start in range(0, len(rows), 250)]
                    columns = [item for part in pool.map(_columns_of, parts) for item in part]
                else:
                    columns = _columns_of(rows)
                published = self._published(cursor, [pk for pk, _ in rows])
                for pk, streams in columns:
                    writer.add_document(document(pk, streams, published.get(pk, NEVER)))
                added += len(rows)
        finally:
            if pool is not None:
                pool.close()
                pool.join()
        writer.commit()
        writer.wait_merging_threads()
        self._keep_position(position)
        self._mark(identity)
        return added, position

    def _prune(self, cursor: CursorWrapper) -> None:
        """Delete log rows older than the retention (at most once an hour per process), keeping the
        highest transaction id deleted."""
        if time.monotonic() - self._pruned_at < PRUNE_EVERY and self._pruned_at:
            return
        self._pruned_at = time.monotonic()
        days = float(settings.HUIWEN.get("SEARCH_ENGINE_LOG_DAYS", 7))
        cursor.execute(
            f"WITH gone AS (DELETE FROM {CHANGES} WHERE recorded < now() - make_interval(secs => %s) RETURNING xid) "
            f"INSERT INTO {STATE} (key, value) SELECT 'pruned', max(xid)::text FROM gone HAVING count(*) > 0 "
            f"ON CONFLICT (key) DO UPDATE SET value = greatest({STATE}.value::xid8, EXCLUDED.value::xid8)::text",
            [days * 86400],
        )

    # -- what the engine reads --------------------------------------------------------------

    def _stored(self, cursor: CursorWrapper, article_ids: Sequence[int]) -> dict[int, list[str]]:
        if not article_ids:
            return {}
        cursor.execute(f"SELECT article_id, vector::text FROM {TABLE} WHERE article_id = ANY(%s::bigint[])",
                       [list(article_ids)])
        return dict(_columns_of(cursor.fetchall()))

    def _published(self, cursor: CursorWrapper, ids: Sequence[int]) -> dict[int, int]:
        """Publication times of `ids` in seconds since 1970 (those without one left out)."""
        if not ids:
            return {}
        cursor.execute(f"SELECT id, {self.epoch_seconds.format('published_at')} FROM {ARTICLES} "
                       "WHERE id = ANY(%s::bigint[]) AND published_at IS NOT NULL", [list(ids)])
        return {pk: math.floor(seconds) for pk, seconds in cursor.fetchall()}
