"""The PostgreSQL backend's bounded-cost paths (issue 19) give the same answers as the plain queries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from huiwen.search import meta
from huiwen.search.backends import get_backend
from huiwen.search.backends import postgres as pg
from huiwen.search.backends.base import Fields, Match
from huiwen.search.query import parse
from tests import factories


@pytest.mark.parametrize(("since", "until"), [
    (date(2026, 1, 1), date(2026, 12, 31)), (date(2025, 11, 17), date(2026, 3, 2)), (date(2026, 2, 28), None),
    (date(2024, 2, 29), date(2024, 2, 29)), (date(2023, 12, 31), date(2025, 1, 1)),
])
def test_a_date_filter_group_becomes_one_day_range(since, until):
    group = meta.date_tokens(since, until)
    assert pg.day_range(group) == (since, until or timezone.localdate())


def test_other_groups_are_not_day_ranges():
    assert pg.day_range(["c3", "c7"]) is None
    assert pg.day_range(["d20260105", "d20260107"]) is None  # not one unbroken range
    assert pg.day_range(["d00000000"]) is None  # "nothing": left to the index
    assert pg.day_range([]) is None


def test_ranking_vector_keeps_title_and_body_words_with_few_positions():
    fields = Fields(1, ["茶园", "春茶"], ["茶园"] * 9 + ["采摘"], ["茶园", "园春"], ["茶园"] * 12,
                    ["c1", "p2", "y2026", "m202604", "d20260405"])
    literal = pg.vector_literals(fields)[1]
    assert literal.count(",") <= 2 * 3  # at most RANK_POSITIONS positions per lexeme
    assert "'采摘':" in literal and "'园春':" in literal and "_c1" not in literal
    assert pg.day_of(fields) == date(2026, 4, 5)


def _literal_token_by_token(streams, keep):
    """A tsvector literal written the plain way, token by token (what vector_literals must equal)."""
    positions: dict[str, list[str]] = {}
    position = 0
    for weight, tokens in streams:
        position += 1
        for token in tokens:
            position = min(position + 1, pg.MAX_POSITION)
            if not 0 < len(token.encode()) <= pg.MAX_LEXEME_BYTES:
                continue
            found = positions.setdefault(token, [])
            if len(found) < keep:
                found.append(f"{position}{'' if weight == 'D' else weight}")
    return " ".join("'" + token.replace("\\", "\\\\").replace("'", "''") + "':" + ",".join(where)
                    for token, where in positions.items())


def test_both_vectors_in_one_pass_equal_the_vectors_written_token_by_token():
    import random

    chance = random.Random(19)
    vocabulary = ["茶园", "春茶", "采摘", "it's", "a\\b", "", "长" * 600, "𠀀" * 512, "𠀀" * 511, "园春", "x"]
    for _ in range(200):
        def tokens(most):
            return [chance.choice(vocabulary) for _ in range(chance.randrange(most))]
        fields = Fields(7, tokens(30), tokens(400), tokens(40), tokens(600), ["c1", "d20260405", "p9"])
        if chance.random() < 0.05:  # positions past PostgreSQL's largest, and a lexeme past 255 of them
            fields = Fields(7, tokens(5), ["茶园"] * 17_000, tokens(5), tokens(5), ["c1"])
        full, ranking = pg.vector_literals(fields)
        meta = [f"_{token}" for token in fields.meta]
        assert full == _literal_token_by_token(
            [("A", fields.title), ("D", fields.body), ("B", fields.title_chars), ("C", fields.body_chars),
             ("D", meta)], pg.MAX_POSITIONS_PER_LEXEME)
        assert ranking == _literal_token_by_token(
            [("A", fields.title), ("D", fields.body), ("B", fields.title_chars)], pg.RANK_POSITIONS)


def _spread_over_slices(channel, count=90, per_slice=5):
    """`count` articles, `per_slice` to an index slice (the ids jump to the next slice), dated over 40 days."""
    now = timezone.now()
    made = []
    for n in range(count):
        if n % per_slice == 0:
            with connection.cursor() as cursor:
                cursor.execute("SELECT coalesce(max(id), 0) FROM newsroom_article")
                following = (cursor.fetchone()[0] // pg.SLICE + 1) * pg.SLICE
                cursor.execute("SELECT setval(pg_get_serial_sequence('newsroom_article', 'id'), %s)", [following])
        made.append(factories.article(channel, f"{'茶园' if n % 3 == 0 else '河道'}消息第{n}号",
                                      body=f"<p>{'采茶' if n % 2 else '治水'}的第{n}条新闻,写给读者。</p>",
                                      published_at=now - timedelta(days=n % 40, minutes=n)))
    return made


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend")
def test_slices_and_ranges_give_what_one_plain_query_gives(monkeypatch):
    channel = factories.channel("local", "本地")
    made = _spread_over_slices(channel)  # 18 slices: the newest matches take several widening steps
    backend = get_backend()
    match = Match(parse("茶园"))
    sql, params = backend.ids_sql(match)
    with connection.cursor() as cursor:
        cursor.execute(sql + " ORDER BY article_id DESC", params)
        everything = [row[0] for row in cursor.fetchall()]
    assert len(everything) == 30
    assert backend.newest(match, 12) == everything[:12]
    assert backend.newest(match, 500) == everything
    ranked, matches = backend.ranked_ids(match, 5, 12)
    assert matches == 12 and set(ranked) <= set(everything[:12]) and len(ranked) == 5

    # A date filter is a day range in the index, and gives what the date tokens gave.
    since = timezone.localdate() - timedelta(days=9)
    dated = Match(parse("茶园"), [meta.date_tokens(since, None)])
    expected = {a.pk for a in made if "茶园" in a.title and timezone.localtime(a.published_at).date() >= since}
    assert set(backend.newest(dated, 500)) == expected and backend.count(dated) == len(expected)
    assert "day BETWEEN" in backend.ids_sql(dated)[0]

    # The tokens indexed for a batch, in one statement, are each article's own.
    tokens = backend.indexed_tokens_many([made[0].pk, made[1].pk, 10**12])
    assert set(tokens) == {made[0].pk, made[1].pk}
    assert tokens[made[0].pk] == backend.indexed_tokens(made[0].pk) and "茶园" in tokens[made[0].pk]
    assert "采茶" in tokens[made[1].pk] and "茶园" not in tokens[made[1].pk]


def _index_state():
    from huiwen.search.models import Profile, TermStat

    with connection.cursor() as cursor:
        cursor.execute("SELECT article_id, bucket, day, vector::text FROM search_document ORDER BY article_id")
        documents = cursor.fetchall()
        cursor.execute("SELECT article_id, vector::text FROM search_rank ORDER BY article_id")
        ranks = cursor.fetchall()
    return (documents, ranks, dict(TermStat.objects.values_list("term", "df")),
            {p.article_id: (p.terms, p.signature) for p in Profile.objects.all()})


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend")
def test_a_parallel_rebuild_writes_what_the_plain_rebuild_writes():
    from huiwen.search import bulk, indexing
    from huiwen.search.backends.postgres import MATCH_INDEX

    channel = factories.channel("local", "本地")
    for n in range(40):
        factories.article(channel, f"{'茶园' if n % 3 else '河道'}消息第{n}号",
                          body=f"<p>{'采茶' if n % 2 else '治水'}的第{n}条新闻,写给读者。春茶上市,茶农忙碌。</p>",
                          hours_ago=n * 7)
    assert indexing.rebuild(chunk=7) == 40
    expected = _index_state()
    assert bulk.rebuild(workers=2, chunk=7) == 40
    assert _index_state() == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [MATCH_INDEX])
        assert f"gin (vector, day, bucket, ((article_id / {pg.SLICE})))" in cursor.fetchone()[0]  # built again


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend")
def test_newest_first_by_recent_days_gives_what_sorting_every_match_gives(monkeypatch):
    from huiwen.search import service
    from huiwen.search.backends.base import SearchBackend

    channel = factories.channel("local", "本地")
    made = _spread_over_slices(channel)
    made[4].published_at = timezone.now() + timedelta(days=2)  # scheduled: not visible yet
    made[4].save()
    backend = get_backend()
    rule = service.visibility(service.Filters())
    for query in ("茶园", "采茶", "治水 -茶园", "消息"):
        match = Match(parse(query))
        for offset, limit in ((0, 1), (0, 5), (3, 20), (20, 20), (0, 200)):
            expected = SearchBackend.newest_visible(backend, match, rule, offset, limit)
            assert backend.newest_visible(match, rule, offset, limit) == expected, (query, offset, limit)
    assert made[4].pk not in backend.newest_visible(Match(parse("消息")), rule, 0, 200)

    # Relevance and counts read the window's matches once and count the visible among them: the
    # same answers as the base class, which asks the index again.
    for query in ("茶园", "采茶", "治水 -茶园", "消息"):
        match = Match(parse(query))
        for limit, window in ((5, 12), (20, 2000), (3, 90), (40, 45)):
            assert backend.ranked_visible(match, rule, limit, window, 1000) == SearchBackend.ranked_visible(
                backend, match, rule, limit, window, 1000), (query, limit, window)
        assert backend.counts(match, rule, 1000) == SearchBackend.counts(backend, match, rule, 1000)

    # Counting stops past count_limit matches; the page then says "more than".
    monkeypatch.setattr(type(backend), "count_limit", 10)
    assert backend.counts(Match(parse("茶园")), rule, 5)[0] == 11
    results = service.run(parse("茶园"), service.Filters(), order="new")
    assert results.over and results.total == 10 and not results.exact and len(results.hits) == 20  # a whole page
    monkeypatch.setattr(type(backend), "count_limit", 100)
    results = service.run(parse("茶园"), service.Filters(), order="new")
    assert not results.over and results.total == 30 and results.exact


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend")
def test_sequential_scans_are_off_only_for_the_matching_statements():
    def setting():
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_seqscan")
            return cursor.fetchone()[0]

    backend = get_backend()
    with backend._matching() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "off"
    assert setting() == "on"
    with pytest.raises(ValueError), backend._matching():
        raise ValueError("not the database's")
    assert setting() == "on"
    backend.newest(Match(parse("茶园")), 10)
    assert setting() == "on"


def _pending_pages() -> int | None:
    """Pages the match index's pending list held (merging them); None when the index is missing."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list(to_regclass(%s))", [pg.MATCH_INDEX])
        return cursor.fetchone()[0]


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend")
def test_indexing_leaves_no_pending_list_for_the_next_match_to_read():
    from huiwen.search import indexing
    from huiwen.search.models import Profile

    channel = factories.channel("local", "本地")
    _pending_pages()
    made = [factories.article(channel, f"茶园消息第{n}号", body="<p>" + "采茶治水的新闻,写给读者。" * (40 + n) + "</p>")
            for n in range(30)]
    # Written as the collector writes a batch, the rows are in the index proper at once: a page
    # of them left in the pending list would be read by every match until 4 MB of them piled up.
    get_backend().clear()
    Profile.objects.all().delete()
    _pending_pages()
    indexing.index_many(made)
    assert _pending_pages() == 0
    # Without the merge the same rows would have waited there (the index keeps fastupdate on).
    get_backend().clear()
    get_backend().bulk_insert([Fields(a.pk, ["茶园"], ["采茶"] * 50, ["茶园"], ["采茶"] * 50) for a in made])
    assert _pending_pages() > 0
    # A rebuild by several processes drops the index for its load: settling then does nothing.
    get_backend().drop_match_index()
    get_backend().settle()
    assert _pending_pages() is None


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend")
def test_settling_an_index_another_role_owns_is_skipped_not_an_error(monkeypatch):
    # Only an index's owner may merge its pending list. An index of the system catalogue belongs
    # to the bootstrap superuser, never to the application's role: asked to merge it, the backend
    # does nothing (and the test's transaction is still usable), where the bare call is refused.
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            pytest.skip("a superuser owns everything it may merge")
    monkeypatch.setattr(pg, "MATCH_INDEX", "pg_class_oid_index")
    get_backend().settle()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone()[0] == 1
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError, match=r"owner|GIN"), transaction.atomic():
        _pending_pages()
