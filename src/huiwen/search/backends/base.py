"""The interface every search backend implements.

A backend owns the full-text index of published articles: one entry per article, keyed by
the article's id, holding four token streams (words and character bigrams of title and body, see
query.py) and filter tokens (meta.py). It answers questions about matches only; whether an
article may be shown is decided afterwards by Article.objects.visible(), never by the index.

Tokens reaching a backend are letters and digits only (huiwen.text.chinese), and backends still
quote every one of them, so no input can make a syntax error.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connections

from huiwen.newsroom.models import Channel
from huiwen.newsroom.rows import column_types, execute_values, select_in
from huiwen.search.backends.visibility import Rule
from huiwen.search.models import Profile, RelatedArticle, TermStat
from huiwen.search.query import ParsedQuery, Term
from huiwen.search.terms import term_key

if TYPE_CHECKING:  # for annotations only (Django's backend classes are no public API)
    from django.db.backends.base.base import BaseDatabaseWrapper

# 相关阅读's candidate table: (term key, article id), see store_profile_terms.
PROFILE_TERMS = "search_profile_term"
# A match in the title counts this many times a match in the body.
TITLE_WEIGHT = 5.0


@dataclass(frozen=True)
class Fields:
    """What the index holds for one article."""

    article_id: int
    title: Sequence[str]  # text.segment: words and the dictionary words inside them
    body: Sequence[str]
    title_chars: Sequence[str]  # text.grams: character bigrams, Latin words whole
    body_chars: Sequence[str]
    meta: Sequence[str] = field(default_factory=tuple)  # meta.document_tokens

    @property
    def words(self) -> set[str]:
        return set(self.title) | set(self.body)


@dataclass(frozen=True)
class Phrase:
    """Consecutive filter tokens (a field value: meta.value_phrase); the last one perhaps a prefix."""

    tokens: tuple[str, ...]
    prefix: bool = False


Group = Sequence["str | Phrase"]  # one of these filter tokens or phrases


@dataclass(frozen=True)
class Match:
    """A parsed query and filter groups: a match has an item of every group in `groups` and no
    item of any group in `excluded`; a text term also matches an article that carries one of its
    `alternatives` (the publishers whose name holds the term: 人民日报 finds what 人民日报 published)."""

    query: ParsedQuery
    groups: Sequence[Group] = ()
    excluded: Sequence[Group] = ()
    alternatives: Mapping[Term, Sequence[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Ranked:
    """A page's worth of visible matches in rank order, and the counts the page shows."""

    ids: list[int]  # at most the `limit` asked for
    matches: int  # matches in the ranking window (the window's size when it is full)
    visible: int | None  # visible matches in the window, counted only when `matches` was small enough


ARTICLES = "newsroom_article"  # Article's table: the candidates the visibility rule is asked about
ENGINE_STATE = "search_engine_state"  # a tantivy ranking engine's identity (tantivy_engine.py)


def forget_ranking_engine(connection: BaseDatabaseWrapper) -> None:
    """After a restore: a tantivy ranking engine kept beside this database (tantivy_engine.py, on
    PostgreSQL one per reader host) may have seen changes the restored database never had; without
    its identity it starts again from the restored index. Nothing before the log's migration."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [ENGINE_STATE])
        else:
            cursor.execute("SELECT 1 WHERE to_regclass(%s) IS NOT NULL", [ENGINE_STATE])
        if cursor.fetchone() is not None:
            cursor.execute(f"DELETE FROM {ENGINE_STATE} WHERE key = 'identity'")


class SearchBackend(ABC):
    vendor: str = ""
    # Newest-first looks in recent slices of days first (a date-token group each). Worth it
    # where sorting every match is the expensive part (SQLite); PostgreSQL sorts a join of all
    # matches quickly but plans long OR groups of date tokens as sequential scans.
    slices_for_newest: bool = True
    # counts() stops counting past this many matches (None: counts them all); more is shown as "more than".
    count_limit: int | None = None
    # Relevance order ranks only the newest `window` matches (False: all matches are ranked, and
    # the window only caps the count the page shows).
    window_bounds_ranking: bool = True
    # The visible counts are counted through the visibility rule (False: as the index knows them,
    # so an article changed by QuerySet.update() counts as it was until it is indexed again).
    counts_through_rule: bool = True

    def __init__(self, alias: str = "default") -> None:
        self.alias = alias
        if connections[alias].vendor != self.vendor:
            raise ValueError(f"{type(self).__name__} needs a {self.vendor} database, not {connections[alias].vendor}")

    @property
    def connection(self) -> BaseDatabaseWrapper:
        return connections[self.alias]

    # Writing the index.
    @abstractmethod
    def replace(self, fields: Fields) -> None:
        """Index (or re-index) one article."""

    @abstractmethod
    def bulk_insert(self, rows: Iterable[Fields]) -> None:
        """Add articles known not to be in the index yet (rebuilds)."""

    @abstractmethod
    def remove(self, article_ids: Sequence[int]) -> None: ...

    @abstractmethod
    def clear(self) -> None: ...

    def settle(self) -> None:  # noqa: B027 - optional for backends
        """Make what was just written fast to match (PostgreSQL: merge the GIN index's pending list)."""

    def catch_up(self) -> int:
        """Bring an index kept beside the database up to date now (tantivy_engine); changes applied."""
        return 0

    def engine_backlog(self) -> int | None:
        """Changes an index kept beside the database has not applied yet; None without one."""
        return None

    def optimize(self) -> None:  # noqa: B027 - optional for backends
        """Tidy the index after a bulk load (merge segments, refresh planner statistics)."""

    @abstractmethod
    def indexed_tokens(self, article_id: int) -> set[str] | None:
        """The distinct word tokens (title and body) indexed for an article; None when not indexed."""

    def indexed_tokens_many(self, article_ids: Sequence[int]) -> dict[int, set[str]]:
        """indexed_tokens() of several articles, for those that are indexed."""
        found = {pk: self.indexed_tokens(pk) for pk in article_ids}
        return {pk: tokens for pk, tokens in found.items() if tokens is not None}

    @abstractmethod
    def size(self) -> int:
        """How many articles the index holds."""

    # The document frequencies (TermStat) the term profiles are weighted with: plain SQL that both
    # engines speak (ON CONFLICT), for batches of thousands of terms, where the ORM's cost of
    # building an IN list grows with every parameter (it was a fifth of indexing a collector's batch).
    def frequencies(self, terms: Sequence[str]) -> dict[str, int]:
        """{term: df} of the `terms` that have a row."""
        table = self.connection.ops.quote_name(TermStat._meta.db_table)
        return dict(select_in(f"SELECT term, df FROM {table} WHERE term", terms, using=self.alias, chunk=900))

    def adjust_frequencies(self, added: Mapping[str, int], removed: Mapping[str, int],
                           articles: int, count_term: str) -> None:
        """`added[term]` more documents hold the term, `removed[term]` fewer (never below 0), and the
        number of indexed articles, kept as the df of `count_term`, changes by `articles`."""
        table = self.connection.ops.quote_name(TermStat._meta.db_table)
        with self.connection.cursor() as cursor:
            # Sorted, so concurrent writers take row locks in one order (no deadlocks on PostgreSQL).
            if added:
                execute_values(cursor, f"INSERT INTO {table} (term, df) {{rows}} "
                               f"ON CONFLICT (term) DO UPDATE SET df = {table}.df + excluded.df",
                               sorted(added.items()), self._frequency_types)
            if removed:
                self._lower_frequencies(cursor, table, sorted(removed.items()))
            if articles:
                cursor.execute(
                    f"INSERT INTO {table} (term, df) VALUES (%s, %s) "
                    f"ON CONFLICT (term) DO UPDATE SET df = {table}.df + %s",
                    [count_term, max(articles, 0), articles],
                )

    @property
    def _frequency_types(self) -> tuple[str, ...]:
        return column_types(TermStat, ("term", "df"), self.alias)

    def _lower_frequencies(self, cursor: Any, table: str, removed: list[tuple[str, int]]) -> None:
        """df - count for each (term, count), never below 0 (PostgreSQL's backend: in a few statements)."""
        cursor.executemany(f"UPDATE {table} SET df = CASE WHEN df > %s THEN df - %s ELSE 0 END WHERE term = %s",
                           [(count, count, term) for term, count in removed])

    # Reading it.
    @abstractmethod
    def count(self, match: Match) -> int:
        """How many indexed articles match (visible or not)."""

    @abstractmethod
    def ranked_ids(self, match: Match, limit: int, window: int) -> tuple[list[int], int]:
        """The best `limit` matches by relevance among the newest `window` matches (by id), and
        how many matches that window held (`window` itself when there are at least as many)."""

    @abstractmethod
    def ids_sql(self, match: Match) -> tuple[str, list[Any]]:
        """SQL and parameters selecting the ids of all matches, for `pk__in=RawSQL(...)`."""

    # The search page: the index's matches through the visibility rule (visibility.Rule, correlated
    # with m.id), in plain SQL. The defaults below work on any backend from ranked_ids and ids_sql;
    # a backend may answer in fewer statements.
    def _visible_ids(self, ids: Sequence[int], rule: Rule) -> set[int]:
        if not ids:
            return set()
        with self.connection.cursor() as cursor:
            if rule.among is not None:
                cursor.execute(*rule.among.statement(ids))
                return {row[0] for row in cursor.fetchall()}
            marks = ", ".join(["%s"] * len(ids))
            # articles_table(): on SQLite the covering index, whose pages hold a hundred ids where the
            # table's hold a few.
            cursor.execute(f"SELECT m.id FROM {self.articles_table()} WHERE m.id IN ({marks}) AND {rule.sql}",
                           [*ids, *rule.params])
            return {row[0] for row in cursor.fetchall()}

    def ranked_visible(self, match: Match, rule: Rule, limit: int, window: int, count_up_to: int) -> Ranked:
        """The best `limit` visible matches among the newest `window` matches, the window's match
        count, and its visible matches counted when the window holds at most `count_up_to`."""
        fetch = limit + 20
        while True:
            ranked, matches = self.ranked_ids(match, fetch, window)
            shown = self._visible_ids(ranked, rule)
            kept = [pk for pk in ranked if pk in shown][:limit]
            if len(kept) >= limit or len(ranked) < fetch:
                break
            fetch *= 4
        visible = self.count_visible(match, rule) if 0 < matches <= count_up_to and matches < window else None
        return Ranked(kept, matches, visible)

    def counts(self, match: Match, rule: Rule, count_up_to: int) -> tuple[int, int | None]:
        """How many articles match, and how many of them the rule lets through when at most
        `count_up_to` match (the index counts a large match without reading its rows)."""
        matches = self.count(match)
        return matches, (self.count_visible(match, rule) if 0 < matches <= count_up_to else None)

    def count_visible(self, match: Match, rule: Rule) -> int:
        """How many matches the rule lets through (every match: call it for small matches)."""
        sql, params = self.ids_sql(match)
        with self.connection.cursor() as cursor:
            cursor.execute(f"WITH found (id) AS ({sql}) SELECT count(*) FROM found AS m WHERE {rule.sql}",
                           [*params, *rule.params])
            return int(cursor.fetchone()[0])

    def articles_table(self) -> str:
        """Article's table aliased as the candidates (m), for reading the rule's columns (and the
        story) of many ids: a backend may name the index that holds them."""
        return f"{ARTICLES} AS m"

    # -- 相关阅读's stored profiles and lists (search.related), read raw: Django's JSONField
    # converters and model instances cost more than the scoring they feed.

    def stored_profiles(self, ids: Sequence[int]) -> list[tuple[int, Any]]:
        """(article id, terms as stored: JSON text, or a dict where the driver decodes it) of `ids`."""
        return select_in(f"SELECT article_id, terms FROM {Profile._meta.db_table} WHERE article_id", ids,
                         using=self.alias)

    # -- 相关阅读's candidates: which articles hold a term in their profile. One row per (term key,
    # article) in PROFILE_TERMS (migration 0008), written with the profile, so an article's nearest
    # neighbours that share a term are a few pages of its primary key whatever the term's frequency.

    def store_profile_terms(self, profiles: Iterable[tuple[int, Iterable[str]]]) -> None:
        """Enter the profile terms of articles that have none entered (forget_profile_terms first)."""
        rows = [(key, pk) for pk, terms in profiles for key in sorted({term_key(term) for term in terms})]
        with self.connection.cursor() as cursor:
            execute_values(cursor, f"INSERT INTO {PROFILE_TERMS} (term, article_id) {{rows}}", rows,
                           ("integer", "bigint"))

    def forget_profile_terms(self, article_ids: Sequence[int] | None) -> None:
        """Take the articles' profile terms out (every article's with None)."""
        with self.connection.cursor() as cursor:
            if article_ids is None:
                cursor.execute(f"DELETE FROM {PROFILE_TERMS}")
                return
            for start in range(0, len(article_ids), 500):
                condition, params = self.ids_condition("article_id", article_ids[start : start + 500])
                cursor.execute(f"DELETE FROM {PROFILE_TERMS} WHERE {condition}", params)

    def list_sizes(self, owners: Sequence[int]) -> list[tuple[int, int, float | None]]:
        """(owner, items, weakest score) of the owners' lists that were computed at least once."""
        profiles, related = Profile._meta.db_table, RelatedArticle._meta.db_table
        return select_in(
            f"SELECT p.article_id, COUNT(r.id), MIN(r.score) FROM {profiles} p "
            f"LEFT JOIN {related} r ON r.article_id = p.article_id WHERE p.article_id",
            owners, " AND p.related_at IS NOT NULL GROUP BY p.article_id", using=self.alias,
        )

    def list_items(self, owners: Sequence[int]) -> list[tuple[int, int, int, float]]:
        """(row id, owner, related id, score) of the owners' stored lists."""
        return select_in(f"SELECT id, article_id, related_id, score FROM {RelatedArticle._meta.db_table} "
                         "WHERE article_id", owners, using=self.alias)

    # The publication time as seconds since 1970 (UTC), computed by the database: 相关阅读's recency
    # needs only a difference in days, and making a datetime of each of a list's hundred-odd
    # candidates (parsed, then given its time zone) cost more than a millisecond a list.
    epoch_seconds = "(julianday({}) - 2440587.5) * 86400.0"

    def ids_condition(self, column: str, ids: Sequence[int]) -> tuple[str, list[Any]]:
        """`column` is one of `ids`, as SQL and its parameters."""
        return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)

    def article_facts(self, ids: Sequence[int], rule: Rule | None = None, *,
                      flagged: bool = False) -> list[tuple[Any, ...]]:
        """(id, channel id, channel path, publication time in seconds since 1970, story id) of the
        articles of `ids` (only those the rule lets through, given one), for 相关阅读's scoring.
        `flagged`: every article of `ids`, each row ending with whether the rule lets it through
        (1 or 0), so an article's own facts and its candidates' come in one statement."""
        shown, condition, params = "", "", ()
        if rule is not None and flagged:
            shown, params = f", CASE WHEN {rule.sql} THEN 1 ELSE 0 END", rule.params
        elif rule is not None:
            condition, params = f" AND {rule.sql}", rule.params
        found: list[tuple[Any, ...]] = []
        with self.connection.cursor() as cursor:
            for start in range(0, len(ids), 500):
                wanted, wanted_params = self.ids_condition("m.id", ids[start : start + 500])
                cursor.execute(
                    f"SELECT m.id, m.channel_id, c.path, {self.epoch_seconds.format('m.published_at')}, m.story_id"
                    f"{shown} FROM {self.articles_table()} INNER JOIN {Channel._meta.db_table} AS c "
                    f"ON c.id = m.channel_id WHERE {wanted}{condition}",
                    [*params, *wanted_params] if shown else [*wanted_params, *params],
                )
                found += cursor.fetchall()
        return found

    def newest_visible(self, match: Match, rule: Rule, offset: int, limit: int) -> list[int]:
        """Visible matches, newest first (publication time, then id)."""
        sql, params = self.ids_sql(match)
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT m.id FROM {self.articles_table()} WHERE m.id IN ({sql}) AND {rule.sql} "
                "ORDER BY m.published_at DESC, m.id DESC LIMIT %s OFFSET %s",
                [*params, *rule.params, limit, offset],
            )
            return [row[0] for row in cursor.fetchall()]

    def candidates_many(self, wanted: Sequence[tuple[Sequence[str], int]], limit: int) -> list[list[int]]:
        """candidates(terms, around, limit) for each (terms, around) of `wanted`, in order."""
        with self.connection.cursor() as cursor:
            return [self._candidates(cursor, terms, around, limit) for terms, around in wanted]

    def candidates(self, terms: Sequence[str], around: int, limit: int) -> list[int]:
        """Ids of articles whose profile holds any of `terms`: up to limit/2 nearest below `around`,
        the rest nearest above. Only a term both profiles hold adds to a similarity, so these are
        the articles that can be related; the cost is bounded by `limit` per term."""
        with self.connection.cursor() as cursor:
            return self._candidates(cursor, terms, around, limit)

    def _candidates(self, cursor: Any, terms: Sequence[str], around: int, limit: int) -> list[int]:
        keys = sorted({term_key(term) for term in terms})
        if not keys:
            return []
        below = self._nearest(cursor, keys, around, limit // 2, down=True)
        return below + self._nearest(cursor, keys, around, limit - len(below), down=False)

    @staticmethod
    def _nearest(cursor: Any, keys: Sequence[int], around: int, want: int, *, down: bool) -> list[int]:
        """The `want` ids nearest `around` on one side among the articles holding any of `keys`: each
        key's nearest `want` read from the primary key (term, article_id), then the nearest of those."""
        if want <= 0:
            return []
        beyond, order = ("<", "DESC") if down else (">", "ASC")
        each = (f"SELECT article_id FROM (SELECT article_id FROM {PROFILE_TERMS} WHERE term = %s "
                f"AND article_id {beyond} %s ORDER BY article_id {order} LIMIT %s) AS near_{{}}")
        union = " UNION ".join(each.format(index) for index in range(len(keys)))
        cursor.execute(f"SELECT article_id FROM ({union}) AS found ORDER BY article_id {order} LIMIT %s",
                       [*(value for key in keys for value in (key, around, want)), want])
        return [row[0] for row in cursor.fetchall()]
