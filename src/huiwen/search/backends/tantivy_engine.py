"""SQLite with tantivy ranking: FTS5 as in SqliteBackend, plus a tantivy index (the Rust Lucene,
PyPI `tantivy`) that orders and counts the search page's matches (issue 17).

Why: FTS5's bm25() scores every match of the ranking window (about 2 µs a row, two thirds of it
the row's length read from a b-tree) and counts each query phrase's whole posting list for its
IDF; a dedicated engine ranks the best few of all matches with block-max WAND and stored norms.
At 200,000 articles our FTS5 ranking was 4.7–6.2× tantivy's at p95 (docs/benchmarks.md).

What each index does:
- FTS5 stays the truth: it is written in the article's transaction, the stored tokens
  (search_sqlite_tokens) are read from it, and it answers everything while tantivy is behind or
  failing. (相关阅读's candidates come from neither: search_profile_term, backends/base.py.)
- tantivy orders the page's matches (by BM25 over the matches published by now, or newest first
  by a fast field of publication times) and counts them: it holds each article's publication
  time and is told the hidden channels when a search runs, so its count is the visible count as
  far as the index knows (an article whose time or filters QuerySet.update() changed counts and
  ranks as it was until it is indexed again; an embargo that ends as time passes needs nothing).
  Every id it gives still passes the visibility rule in SQL, so an engine behind the database can
  rank, never show, a withdrawn or unpublished article.

What is the same beside PostgreSQL (tantivy_postgres.py, one folder per reader host) is
EngineRanking: the folder, ranking, counting and newest first, applying changes. What is SQLite's
is TantivyBackend: the change log as a queue, below.

Keeping tantivy in step: each write to FTS5 appends the article id to `search_engine_changes` in
the same transaction. Whoever holds the engine's lock (a file lock: one writer for all processes)
drains that log: reads the stored tokens, replaces the articles' documents, commits tantivy, then
deletes the log rows it applied (by sequence number, so a change made meanwhile stays). A crash in
between applies them twice, which is harmless; a drain inside a transaction that then rolls back
leaves tantivy with changes the database forgot, which can rank but not show an article (the rule)
and are replaced at that article's next change (requests run outside transactions here, and
writers drain after commit). Drains happen after an indexed batch commits and,
for what is left, before a ranked search (bounded: above ENGINE_LAG changes the search page ranks
with FTS5 until the backlog is drained, e.g. by `huiwen search_index --engine`).

The engine's folder belongs to one database: `search_engine_state` holds a random identity that the
folder's IDENTITY file must repeat. A new database, or FTS5 written by the plain SqliteBackend
(which deletes the identity), makes the folder start again from every stored article.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import math
import os
import secrets
import shutil
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tantivy
from django.conf import settings
from django.db import connections

from huiwen.newsroom.models import Channel
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
from huiwen.search.backends.sqlite import META, TOKENS, SqliteBackend, _columns
from huiwen.search.backends.visibility import Rule
from huiwen.search.query import WORD, Term

if TYPE_CHECKING:
    from django.db.backends.utils import CursorWrapper

log = logging.getLogger(__name__)

CHANGES = "search_engine_changes"
STATE = ENGINE_STATE
CLEAR = 0  # a change naming no article: the index was emptied
TEXT_FIELDS = ("title", "body", "title_chars", "body_chars")
ANALYZER = "huiwen_tokens"
NEVER = 2**62  # the publication time of an article without one: never visible
# Written into the folder's IDENTITY with the database's identity: a folder made with another
# schema starts again.
SCHEMA_VERSION = "2"
# Changes a search may apply itself before ranking; above it, the page ranks with FTS5.
ENGINE_LAG = 2000
BATCH = 5000
TIE_ROUNDS = 3  # rounds a ranked page fetches further for matches that tie with its last


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    # A signed id: tantivy 0.27's Python delete_documents_by_term finds no unsigned term.
    builder.add_integer_field("id", stored=False, fast=True, indexed=True)
    # Seconds since 1970 of the publication time (NEVER when there is none): with the channels'
    # public flags, read when a search runs, it lets tantivy count the visible matches itself.
    builder.add_integer_field("published", stored=False, fast=True, indexed=True)
    for name in (*TEXT_FIELDS, "meta"):
        builder.add_text_field(name, stored=False, tokenizer_name=ANALYZER, index_option="position")
    return builder.build()


def register(index: tantivy.Index) -> None:
    """Our tokens are already letters and digits, folded: split at spaces, lowercase as FTS5's
    unicode61 would, nothing else (tantivy's default tokenizer would split at the private-use
    mark and drop tokens over 40 characters)."""
    analyzer = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).filter(tantivy.Filter.lowercase()).build()
    index.register_tokenizer(ANALYZER, analyzer)


def document(article_id: int, columns: Sequence[str], published: int = 0) -> tantivy.Document:
    """A tantivy document from the five stored FTS5 columns (sqlite._columns) and the publication
    time in seconds since 1970."""
    doc = tantivy.Document()
    doc.add_integer("id", article_id)
    doc.add_integer("published", published)
    for name, text in zip(TEXT_FIELDS, columns[:4], strict=True):
        doc.add_text(name, text)
    doc.add_text("meta", columns[4].replace(META, ""))
    return doc


def documents(rows: Iterable[Fields]) -> Iterator[tantivy.Document]:
    """Documents of index rows as FTS5 stores them (for tantivy alone, bench/tantivy_anchor.py)."""
    for fields in rows:
        yield document(fields.article_id, _columns(fields))


class Translator:
    """A Match as a tantivy query, term for term as sqlite.match_expression reads it:

    - a WORD term: the token in any of the four text fields, title fields boosted TITLE_WEIGHT×
      (as bm25()'s column weights);
    - a GRAMS term: the phrase of its bigrams in title_chars or body_chars (a prefix phrase when
      its last token may continue);
    - filter groups: one of their tokens or phrases in `meta`, every group required;
    - exclusions must not match; a term's alternatives (publishers naming it) match beside it.
    """

    def __init__(self, schema: tantivy.Schema) -> None:
        self.schema = schema

    def _phrase(self, name: str, tokens: Sequence[str], prefix: bool) -> tantivy.Query:
        words: list[str | tuple[int, str]] = [token.lower() for token in tokens]
        if prefix:
            return tantivy.Query.phrase_prefix_query(self.schema, name, words)
        if len(words) == 1:
            return tantivy.Query.term_query(self.schema, name, words[0])
        return tantivy.Query.phrase_query(self.schema, name, words)

    def _any(self, queries: Iterable[tantivy.Query]) -> tantivy.Query:
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, query) for query in queries])

    def term(self, term: Term, alternatives: Group = ()) -> tantivy.Query:
        if term.kind == WORD and not term.prefix:
            token = term.tokens[0].lower()
            parts = []
            for name in TEXT_FIELDS:
                query = tantivy.Query.term_query(self.schema, name, token)
                parts.append(tantivy.Query.boost_query(query, TITLE_WEIGHT) if name.startswith("title") else query)
            found = self._any(parts)
        elif term.kind == WORD:
            found = self._any(self._phrase(name, term.tokens, True) for name in TEXT_FIELDS)
        else:
            found = self._any(self._phrase(name, term.tokens, term.prefix) for name in ("title_chars", "body_chars"))
        return self._any([found, self.group(alternatives)]) if alternatives else found

    def group(self, group: Group) -> tantivy.Query:
        return self._any(
            self._phrase("meta", item.tokens, item.prefix) if isinstance(item, Phrase)
            else tantivy.Query.term_query(self.schema, "meta", item.lower())
            for item in group
        )

    def outside(self, match: Match, hidden_channels: Sequence[int]) -> tantivy.Query:
        """The match without the articles of channels that are not public (read when the search
        runs, so a channel taken offline leaves the ranking and the count at once)."""
        if not hidden_channels:
            return self.query(match)
        return tantivy.Query.boolean_query([
            (tantivy.Occur.Must, self.query(match)),
            (tantivy.Occur.MustNot, self.group([f"c{pk}" for pk in hidden_channels])),
        ])

    def released(self, query: tantivy.Query, now: int) -> tantivy.Query:
        """Those of `query` published by `now` (seconds since 1970), for newest first."""
        return tantivy.Query.boolean_query([
            (tantivy.Occur.Must, query),
            (tantivy.Occur.Must, tantivy.Query.range_query(self.schema, "published", tantivy.FieldType.Integer,
                                                           -NEVER, now)),
        ])

    def query(self, match: Match) -> tantivy.Query:
        query = match.query
        parts = [(tantivy.Occur.Must, self.term(term, match.alternatives.get(term, ()))) for term in query.include]
        parts += [(tantivy.Occur.Must, self.group(group)) for group in match.groups]
        for terms in query.exclude:
            every = tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, self.term(term, match.alternatives.get(term, ()))) for term in terms])
            parts.append((tantivy.Occur.MustNot, every))
        parts += [(tantivy.Occur.MustNot, self.group(group)) for group in match.excluded]
        if all(occur == tantivy.Occur.MustNot for occur, _ in parts):
            parts.append((tantivy.Occur.Must, tantivy.Query.all_query()))
        return tantivy.Query.boolean_query(parts)


def engine_folder(alias: str = "default") -> Path:
    """The engine's folder: one per database file (a test database, a copy served by a test's
    own server and the installation's never share one)."""
    configured = settings.HUIWEN.get("SEARCH_ENGINE_DIR")
    base = Path(configured) if configured else Path(settings.DATA_DIR) / "search-engine"
    name = str(connections[alias].settings_dict["NAME"])
    return base / f"{hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest()[:16]}.v{SCHEMA_VERSION}"


class EngineRanking(SearchBackend):
    """What a tantivy ranking engine does whatever the database beside it: the folder and its lock,
    ranking, counting and newest first with the visibility rule's checks, and applying changes.
    Placed before a database's backend class (TantivyBackend, tantivy_postgres.PostgresTantivyBackend),
    which keeps the index that is the truth and answers whenever the engine cannot. The database's
    own part: the change log (`_changed`, `drain`, `_backlog_now`, `engine_backlog`) and the stored
    token streams and publication times of articles (`_stored`, `_published`)."""

    window_bounds_ranking = False  # all matches are ranked; the window caps the count shown
    slices_for_newest = False  # newest first is tantivy's order by publication time
    counts_through_rule = False  # tantivy counts (publication times and public channels it knows)

    if TYPE_CHECKING:  # given by the database's part (a definition here would hide theirs)
        def _stored(self, cursor: CursorWrapper, article_ids: Sequence[int]) -> dict[int, list[str]]: ...
        def _published(self, cursor: CursorWrapper, ids: Sequence[int]) -> dict[int, int]: ...
        def drain(self, *, wait: bool = True, limit: int | None = None) -> int: ...
        def _backlog_now(self, cursor: CursorWrapper) -> int | None: ...

    def __init__(self, alias: str = "default") -> None:
        super().__init__(alias)
        self._guard = threading.Lock()
        self._opened: tuple[int, Path] | None = None  # by which process, from which folder
        self._index: tantivy.Index | None = None
        self._searcher: tantivy.Searcher | None = None
        self._stamp: tuple[int, int] | None = None
        self._translator: Translator | None = None
        self._known = ""  # the folder's identity as this process last read it

    def settle(self) -> None:
        """After an indexed batch: apply it to tantivy when its transaction commits, unless
        another process holds the engine (then the next drain or search applies it)."""
        from django.db import transaction

        super().settle()
        transaction.on_commit(self._drain_after_commit, using=self.alias)

    def _drain_after_commit(self) -> None:
        try:
            self.drain(wait=False)
        except Exception:  # the batch is stored; the next drain or search applies it
            log.warning("search engine: could not apply the changes after a commit", exc_info=True)

    def optimize(self) -> None:
        super().optimize()
        try:
            self.drain(wait=True)
        except Exception:  # the index is rebuilt and ranks until the engine can be (search_index --engine)
            log.warning("search engine: could not apply the rebuilt index", exc_info=True)

    def catch_up(self) -> int:
        return self.drain(wait=True)

    # -- the engine's folder ---------------------------------------------------------------

    @property
    def folder(self) -> Path:
        return engine_folder(self.alias)

    @contextmanager
    def _locked(self, wait: bool) -> Iterator[bool]:
        """The engine's one writer across processes (and threads): True when held."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if not self._guard.acquire(blocking=wait):
            yield False
            return
        try:
            with open(self.folder / "lock", "a+b") as handle:
                try:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
                except BlockingIOError:
                    yield False
                    return
                yield True
        finally:
            self._guard.release()

    def _identity(self, cursor: CursorWrapper) -> str:
        cursor.execute(f"SELECT value FROM {STATE} WHERE key = 'identity'")
        row = cursor.fetchone()
        if row is not None:
            return str(row[0])
        cursor.execute(f"INSERT INTO {STATE} (key, value) VALUES ('identity', %s) ON CONFLICT (key) DO NOTHING",
                       [secrets.token_hex(16)])
        cursor.execute(f"SELECT value FROM {STATE} WHERE key = 'identity'")
        return str(cursor.fetchone()[0])

    def _open(self) -> tantivy.Index:
        """This process's handle on the index (tantivy's threads do not survive a fork)."""
        opened = (os.getpid(), self.folder)
        if self._index is None or self._opened != opened:
            self.folder.mkdir(parents=True, exist_ok=True)
            try:
                index = tantivy.Index(schema(), path=str(self.folder), reuse=True)
            except (ValueError, OSError):
                # Unreadable (a disk fault, a copy cut short): set aside, and made again from the
                # stored tokens (a new folder has no identity).
                aside = self.folder.with_name(f"{self.folder.name}.unreadable-{time.time_ns()}")
                log.warning("search engine folder %s unreadable, moved to %s", self.folder, aside, exc_info=True)
                self.folder.rename(aside)
                self.folder.mkdir(parents=True)
                index = tantivy.Index(schema(), path=str(self.folder), reuse=True)
            stem = self.folder.name.partition(".")[0]
            for older in [self.folder.parent / stem, *self.folder.parent.glob(f"{stem}.v*")]:
                if older != self.folder and older.is_dir():  # a folder of an earlier schema
                    shutil.rmtree(older, ignore_errors=True)
            register(index)
            index.config_reader(reload_policy="Manual")
            self._index, self._opened, self._searcher, self._stamp, self._known = index, opened, None, None, ""
            self._translator = Translator(index.schema)
        return self._index

    def _marker(self) -> str:
        """The identity the folder was adopted for ("" for none or for another schema)."""
        marker = self.folder / "IDENTITY"
        identity, _, version = (marker.read_text() if marker.exists() else "").partition("/")
        return identity if version == SCHEMA_VERSION else ""

    def _mark(self, identity: str) -> None:
        (self.folder / "IDENTITY").write_text(f"{identity}/{SCHEMA_VERSION}")

    def _adopted(self, cursor: CursorWrapper) -> bool:
        return self._marker() == self._identity(cursor)

    def _writer(self, index: tantivy.Index, rows: int) -> tantivy.IndexWriter:
        """A writer sized for a few changes or for a batch of BATCH."""
        return index.writer(heap_size=64_000_000 if rows < BATCH else 256_000_000,
                            num_threads=1 if rows < BATCH else 2)

    def _apply(self, writer: tantivy.IndexWriter, cursor: CursorWrapper, ids: Sequence[int]) -> None:
        """Replace the documents of `ids` by what the database now stores of them (none: removed)."""
        stored = self._stored(cursor, ids)
        published = self._published(cursor, list(stored))
        for pk in ids:
            writer.delete_documents_by_term("id", pk)
        for pk, columns in stored.items():
            writer.add_document(document(pk, columns, published.get(pk, NEVER)))

    def _hidden_channels(self) -> list[int]:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {Channel._meta.db_table} WHERE NOT public")
            return [row[0] for row in cursor.fetchall()]

    def _ready(self) -> tantivy.Searcher | None:
        """A searcher over the logged changes, or None (the database's own index ranks) while the
        backlog is longer than a search should apply before answering (a new or adopted folder
        waits for the next drain or `huiwen search_index --engine`) or when the engine fails (a
        full disk, a folder that cannot be made): the search page never fails for it. A search
        never waits for the engine: when another process holds it, ranking uses what tantivy has
        committed (the visibility rule still decides what is shown)."""
        try:
            return self._searcher_now()
        except Exception:
            log.warning("search engine unavailable, ranking with the database's index", exc_info=True)
            return None

    def _searcher_now(self) -> tantivy.Searcher | None:
        index = self._open()
        with self.connection.cursor() as cursor:
            backlog = self._backlog_now(cursor)
        if backlog is None or backlog > ENGINE_LAG:
            return None
        if backlog:
            self.drain(wait=False)
        # tantivy writes meta.json last on each commit: reload when it changed.
        status = (self.folder / "meta.json").stat()
        stamp = (status.st_mtime_ns, status.st_size)
        if self._searcher is None or stamp != self._stamp:
            index.reload()
            self._searcher, self._stamp = index.searcher(), stamp
        return self._searcher

    # -- ranking -------------------------------------------------------------------------

    def _search(self, searcher: tantivy.Searcher, query: tantivy.Query, limit: int, *, count: bool = False,
                order_by: str | None = None) -> tuple[list[int], list[Any], int]:
        """tantivy's first `limit` hits (by score, or by a fast field): their article ids, their
        order keys, and how many match (0 unless counted)."""
        result = searcher.search(query, limit, count=count, order_by_field=order_by)
        found: list[Any] = searcher.fast_field_values("id", [address for _, address in result.hits])
        total: int = result.count or 0  # type: ignore[attr-defined]  # missing from tantivy's stub
        return [int(pk) for pk in found], [key for key, _ in result.hits], total

    def _released_count(self, searcher: tantivy.Searcher, query: tantivy.Query) -> int:
        """How many of the query's matches are published by now, in one pass without scores (a
        range aggregation over the fast field of publication times)."""
        now = math.floor(time.time())
        by_time = {"range": {"field": "published", "ranges": [{"to": float(now + 1)}]}}
        found = searcher.aggregate(query, {"released": by_time})
        return int(found["released"]["buckets"][0]["doc_count"])

    def ranked_visible(self, match: Match, rule: Rule, limit: int, window: int, count_up_to: int) -> Ranked:
        """The best visible matches: tantivy ranks the matches published by now outside hidden
        channels and counts them in the same pass (a second pass for the count, or for the
        embargoed ones, read a quoted phrase's positions twice: p95 20.7 ms at a million articles
        against 12.4 in one). The rule is asked of its best in rank order, four times as many each
        round until the page is full. The count is the visible count as far as the index knows:
        an article changed by QuerySet.update() counts as the index last saw it, while what is
        shown is always the rule's."""
        searcher = self._ready()
        if searcher is None:
            return super().ranked_visible(match, rule, limit, window, count_up_to)
        query = self._released(match)
        fetch, count, rounds = limit + 4, None, 0
        while True:
            ids, scores, total = self._search(searcher, query, fetch, count=count is None)
            count = total if count is None else count
            # Equal scores: the higher id first, as the database orders them. tantivy orders them
            # by segment, and which segment a document lands in is up to its indexing threads, so
            # two hosts (or a folder and its rebuild) could show equal matches in different orders.
            by_score = sorted(zip(scores, ids, strict=True), key=lambda hit: (-hit[0], -hit[1]))
            ranked = [pk for _, pk in by_score]
            shown = self._visible_ids(ranked, rule)
            kept = [pk for pk in ranked if pk in shown]
            rounds += 1
            if len(ranked) < fetch:
                break  # every match is here
            if len(kept) >= limit:
                # Done unless matches beyond the fetched ones may tie with the page's last (a few
                # more rounds at most: a filter alone can give thousands the same score).
                last = next(score for score, pk in by_score if pk == kept[limit - 1])
                if by_score[-1][0] < last or rounds >= TIE_ROUNDS:
                    break
            fetch *= 4
        # Never fewer than the rule has just confirmed (an embargo lifted by QuerySet.update()).
        count = max(count, len(kept))
        matches = min(count, window)
        return Ranked(kept[:limit], matches, count if 0 < count <= count_up_to and count < window else None)

    # -- newest first: tantivy's order by publication time, the same checks -----------------

    def _released(self, match: Match) -> tantivy.Query:
        assert self._translator is not None
        outside = self._translator.outside(match, self._hidden_channels())
        return self._translator.released(outside, math.floor(time.time()))

    def counts(self, match: Match, rule: Rule, count_up_to: int) -> tuple[int, int | None]:
        """The matches published by now outside hidden channels, counted by tantivy: the visible
        count as far as the index knows (see ranked_visible)."""
        searcher = self._ready()
        if searcher is None:
            return super().counts(match, rule, count_up_to)
        assert self._translator is not None
        count = self._released_count(searcher, self._translator.outside(match, self._hidden_channels()))
        return count, (count if count <= count_up_to else None)

    def newest_visible(self, match: Match, rule: Rule, offset: int, limit: int) -> list[int]:
        """Newest first (publication time, then id), the rule asked of tantivy's newest in order."""
        searcher = self._ready()
        if searcher is None:
            return super().newest_visible(match, rule, offset, limit)
        query = self._released(match)
        fetch = offset + limit + 4
        while True:
            ids, times, _ = self._search(searcher, query, fetch, order_by="published")
            # Equal times: the higher id first, as the database orders them.
            newest = sorted(zip((int(published) for published in times), ids, strict=True), reverse=True)
            shown = self._visible_ids([pk for _, pk in newest], rule)
            kept = [pk for _, pk in newest if pk in shown]
            if len(kept) >= offset + limit or len(newest) < fetch:
                return kept[offset : offset + limit]
            fetch *= 4


class TantivyBackend(EngineRanking, SqliteBackend):
    """SqliteBackend whose search page tantivy ranks and counts (module docstring). The change log
    is a queue: whoever holds the folder's lock applies its rows, then deletes them."""

    def _changed(self, cursor: CursorWrapper, article_ids: Sequence[int]) -> None:
        cursor.executemany(f"INSERT INTO {CHANGES} (article_id) VALUES (%s)", [(pk,) for pk in article_ids])

    def engine_backlog(self) -> int | None:
        """Logged changes not applied; every stored article when the folder is not this database's."""
        with self.connection.cursor() as cursor:
            if not self._adopted(cursor):
                return self.size()
            cursor.execute(f"SELECT count(*) FROM {CHANGES}")
            return int(cursor.fetchone()[0])

    def _adopt(self, cursor: CursorWrapper) -> None:
        """Under the lock: when the folder is not this database's, empty it and log every stored
        article as a change, so the drain rebuilds it."""
        identity = self._identity(cursor)
        if self._marker() == identity:
            return
        cursor.execute(f"DELETE FROM {CHANGES}")
        cursor.execute(f"INSERT INTO {CHANGES} (article_id) VALUES ({CLEAR})")
        cursor.execute(f"INSERT INTO {CHANGES} (article_id) SELECT rowid FROM {TOKENS} ORDER BY rowid")
        self._mark(identity)

    def drain(self, *, wait: bool = True, limit: int | None = None) -> int:
        """Apply logged changes to tantivy (all, or about `limit`); how many were applied. Without
        `wait`, returns 0 at once when another process or thread holds the engine."""
        applied = 0
        with self._locked(wait) as held:
            if not held:
                return 0
            index = self._open()
            with self.connection.cursor() as cursor:
                self._adopt(cursor)
                writer: tantivy.IndexWriter | None = None
                while limit is None or applied < limit:
                    cursor.execute(f"SELECT seq, article_id FROM {CHANGES} ORDER BY seq LIMIT %s", [BATCH])
                    rows = cursor.fetchall()
                    if not rows:
                        break
                    if writer is None:
                        writer = self._writer(index, len(rows))
                    if any(pk == CLEAR for _, pk in rows):
                        writer.delete_all_documents()
                    self._apply(writer, cursor, sorted({pk for _, pk in rows if pk != CLEAR}))
                    writer.commit()
                    cursor.execute(f"DELETE FROM {CHANGES} WHERE seq <= %s", [rows[-1][0]])
                    applied += len(rows)
                if writer is not None:
                    writer.wait_merging_threads()
        return applied

    def _published(self, cursor: CursorWrapper, ids: Sequence[int]) -> dict[int, int]:
        """Publication times of `ids` in seconds since 1970 (those without one left out)."""
        if not ids:
            return {}
        cursor.execute(f"SELECT id, {self.epoch_seconds.format('published_at')} FROM {ARTICLES} "
                       "WHERE id IN (SELECT value FROM json_each(%s)) AND published_at IS NOT NULL",
                       [json.dumps(list(ids))])
        return {pk: math.floor(seconds) for pk, seconds in cursor.fetchall()}

    def _state(self, cursor: CursorWrapper) -> tuple[str | None, int]:
        """The database's identity for the engine, and the logged changes counted up to ENGINE_LAG + 1
        (one statement: a search asks this each time)."""
        cursor.execute(f"SELECT (SELECT value FROM {STATE} WHERE key = 'identity'), "
                       f"(SELECT count(*) FROM (SELECT 1 FROM {CHANGES} LIMIT %s))", [ENGINE_LAG + 1])
        identity, backlog = cursor.fetchone()
        return identity, int(backlog)

    def _backlog_now(self, cursor: CursorWrapper) -> int | None:
        """The changes to apply before ranking, or None when the folder is not this database's yet.
        A folder that is not adopts the database here when the lock is free: cheap, since the
        rebuild itself is a logged change of every article, applied by the next drain."""
        identity, backlog = self._state(cursor)
        if identity is None or identity != self._known:
            self._known = self._marker()
        if identity is None or identity != self._known:
            with self._locked(wait=False) as held:
                if held:
                    self._adopt(cursor)
            identity, backlog = self._state(cursor)
            self._known = self._marker()
            if identity != self._known:
                return None
        return backlog
