"""The tantivy ranking engine of a PostgreSQL reader host (search/backends/tantivy_postgres.py): built
from the stored vectors, it matches what the GIN index matches; it follows a log that several hosts
read, each at its own position, without skipping a transaction that commits late; it starts again
when its folder is not the database's or missed pruned rows; and a search never depends on it.

Transactional tests: the engine applies only the changes of ended transactions."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction

from huiwen.newsroom.models import Article
from huiwen.search import indexing, service
from huiwen.search.backends import get_backend, tantivy_engine, tantivy_postgres
from huiwen.search.backends.base import Fields, forget_ranking_engine
from huiwen.search.backends.postgres import PostgresBackend, vector_literals
from huiwen.search.backends.sqlite import _columns
from huiwen.search.backends.tantivy_engine import CHANGES, STATE
from huiwen.search.backends.tantivy_postgres import PostgresTantivyBackend, vector_columns
from huiwen.search.query import parse
from tests import factories
from tests.search.conftest import para
from tests.search.helpers import ENGINE_QUERIES, engine_ids, index_ids, match_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the engine of a PostgreSQL reader host"),
]

ENGINE = "huiwen.search.backends.tantivy_postgres.PostgresTantivyBackend"
PLAIN = "huiwen.search.backends.postgres.PostgresBackend"


def use(settings, path: str, folder) -> PostgresTantivyBackend | PostgresBackend:
    settings.HUIWEN = {**settings.HUIWEN, "SEARCH_BACKEND": path, "SEARCH_ENGINE_DIR": str(folder)}
    return get_backend()


@pytest.fixture
def engine(settings, tmp_path) -> PostgresTantivyBackend:
    backend = use(settings, ENGINE, tmp_path / "host-a")
    assert isinstance(backend, PostgresTantivyBackend)
    return backend








def log_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {CHANGES}")
        return int(cursor.fetchone()[0])




def test_the_streams_read_back_from_a_stored_vector():
    """What tantivy indexes on PostgreSQL is what SQLite's FTS5 stores, read back from the vector,
    awkward tokens included: quotes, backslashes, a token in several streams."""
    fields = Fields(
        article_id=7, title=["澄州", "it's", "春茶"], body=["春茶", "back\\slash", "澄州", "春茶", "o'k"],
        title_chars=["澄州", "州春", "春茶"], body_chars=["春茶", "茶澄", "澄州", "州春", "春茶"],
        meta=["c3", "y2025", "d20250101", "p1"],
    )
    full, _ = vector_literals(fields)
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::tsvector::text", [full])
        stored = cursor.fetchone()[0]
    assert vector_columns(stored) == [*_columns(fields)[:4], " ".join(fields.meta)]


def test_a_stored_articles_streams_are_what_was_indexed(world):
    article = Article.objects.select_related("publisher").get(pk=world.tea.pk)
    fields = indexing.document(indexing.as_row(article, article.publisher.name)).fields
    backend = get_backend()
    with connection.cursor() as cursor:
        stored = backend._stored(cursor, [article.pk])
    assert stored[article.pk] == [*_columns(fields)[:4], " ".join(fields.meta)]
    assert "明前茶" in stored[article.pk][0].split()


def test_the_engine_matches_what_the_gin_index_matches(world, engine):
    assert engine.catch_up() > 0  # built from the stored vectors
    empty = []
    for query in ENGINE_QUERIES:
        match = match_of(query)
        ours = engine_ids(engine, match)
        assert len(ours) == len(set(ours)), query
        assert set(ours) == index_ids(engine, match), query
        if not ours:
            empty.append(query)
    assert empty == ["不存在的词语"]
    for filters in (service.Filters(channel=world.sports), service.Filters(since=factories.print_date(2)),
                    service.Filters(publisher=world.daily)):
        match = service.match_for(parse("澄州"), filters)
        assert set(engine_ids(engine, match)) == index_ids(engine, match)


def test_the_page_ranks_the_title_above_the_body(engine, world):
    in_body = factories.article(world.sports, "周末去哪儿玩", body=para("城郊新开的冰壶馆也接待散客。"), hours_ago=1)
    in_title = factories.article(world.sports, "冰壶馆迎来第一批散客", body=para("周末的场馆里人不少。"), hours_ago=40)
    engine.catch_up()
    assert engine_ids(engine, match_of("冰壶"))[:2] == [in_title.pk, in_body.pk]
    result = service.run(parse("冰壶"), service.Filters())
    assert [hit.article.pk for hit in result.hits][:2] == [in_title.pk, in_body.pk]
    assert result.total == 2


def test_a_search_applies_edits_and_removals_and_the_log_stays(engine, world):
    engine.catch_up()
    world.tea.title = "澄州秋茶上市"
    world.tea.body = para("秋茶的滋味醇厚。")
    world.tea.save()
    indexing.unindex_article(world.marathon.pk)
    # The next search applies the short backlog itself.
    assert [hit.article.pk for hit in service.run(parse("秋茶"), service.Filters()).hits] == [world.tea.pk]
    assert world.tea.pk not in engine_ids(engine, match_of("明前茶"))
    assert world.marathon.pk not in engine_ids(engine, match_of("马拉松"))
    assert engine.engine_backlog() == 0
    assert log_rows() > 0  # other hosts still read these rows


def test_a_transaction_that_commits_late_is_not_skipped(engine, world):
    """A writer takes its transaction id and sequence number, then commits after a later writer;
    a host that drained in between must still apply it. (The slow writer removes an article's
    vector by hand: through indexing, the two writers would wait on each other's term counts.)"""
    engine.catch_up()
    assert world.marathon.pk in engine_ids(engine, match_of("马拉松"))
    started, finish = threading.Event(), threading.Event()

    def slow_writer() -> None:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("DELETE FROM search_document WHERE article_id = %s", [world.marathon.pk])
                cursor.execute(f"INSERT INTO {CHANGES} (article_id) VALUES (%s)", [world.marathon.pk])
                started.set()
                assert finish.wait(30)
        finally:
            connections.close_all()

    writer = threading.Thread(target=slow_writer)
    writer.start()
    try:
        assert started.wait(30)
        quick = factories.article(world.sports, "澄州风筝节开幕")  # committed at once, after the slow one began
        engine.catch_up()
        assert quick.pk not in engine_ids(engine, match_of("风筝节"))  # held back: an earlier transaction is open
    finally:
        finish.set()
        writer.join(30)
    engine.catch_up()
    assert world.marathon.pk not in engine_ids(engine, match_of("马拉松"))
    assert engine_ids(engine, match_of("风筝节")) == [quick.pk]


def test_two_hosts_follow_one_log_each_at_its_own_place(settings, tmp_path, world):
    host_a = use(settings, ENGINE, tmp_path / "host-a")
    host_a.catch_up()
    late = factories.article(world.sports, "澄州龙舟赛开赛")
    assert host_a.catch_up() >= 1
    host_b = use(settings, ENGINE, tmp_path / "host-b")  # a new host: built from the vectors
    assert host_b.engine_backlog() == host_b.size()
    host_b.catch_up()
    assert engine_ids(host_b, match_of("龙舟赛")) == [late.pk]
    indexing.unindex_article(late.pk)
    for folder in ("host-a", "host-b"):
        host = use(settings, ENGINE, tmp_path / folder)
        assert host.engine_backlog() == 1
        host.catch_up()
        assert engine_ids(host, match_of("龙舟赛")) == []


def test_a_host_behind_the_pruned_log_starts_again(engine, world, settings):
    engine.catch_up()
    position = engine._position()
    late = factories.article(world.sports, "澄州龙舟赛开赛")
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {CHANGES} SET recorded = now() - interval '30 days'")
    settings.HUIWEN = {**settings.HUIWEN, "SEARCH_ENGINE_LOG_DAYS": 7}
    engine._pruned_at = 0.0
    with connection.cursor() as cursor:
        engine._prune(cursor)
        cursor.execute(f"SELECT value FROM {STATE} WHERE key = 'pruned'")
        assert cursor.fetchone() is not None
    assert log_rows() == 0
    assert engine._position() == position
    assert engine._ready() is None  # behind what was pruned: the GIN index ranks meanwhile
    assert [hit.article.pk for hit in service.run(parse("龙舟赛"), service.Filters()).hits] == [late.pk]
    assert engine.catch_up() == engine.size()  # rebuilt
    assert engine_ids(engine, match_of("龙舟赛")) == [late.pk]


def test_a_restore_or_a_plain_write_makes_every_host_start_again(settings, tmp_path, engine, world):
    engine.catch_up()
    assert engine._ready() is not None
    forget_ranking_engine(connection)
    assert engine._ready() is None
    assert engine.drain(wait=False) == 0  # a search's drain never rebuilds: that is the follower's work
    assert engine._ready() is None
    engine.catch_up()
    assert engine._ready() is not None
    plain = use(settings, PLAIN, tmp_path / "host-a")
    assert type(plain) is PostgresBackend
    late = factories.article(world.sports, "澄州龙舟赛开赛")  # indexed without the log
    engine = use(settings, ENGINE, tmp_path / "host-a")
    assert engine._ready() is None
    engine.catch_up()
    assert engine_ids(engine, match_of("龙舟赛")) == [late.pk]


def test_after_a_rebuild_every_host_starts_again_from_the_vectors(engine, world):
    engine.catch_up()
    indexing.rebuild()
    assert engine._ready() is None  # the emptied index made every host's folder start again
    assert engine.catch_up() == engine.size()
    for query in ENGINE_QUERIES:
        assert set(engine_ids(engine, match_of(query))) == index_ids(engine, match_of(query)), query


def test_counts_and_results_equal_the_gin_indexs(settings, tmp_path, world):
    from django.utils import timezone

    factories.article(world.local, "澄州茶博会下周开幕", published_at=timezone.now() + timedelta(days=3))  # embargoed
    hidden = factories.channel("archive", "内部资料", live=False)
    factories.article(hidden, "澄州茶叶内部简报")
    queries = ["澄州", "茶", "茶 来源:澄州日报", "春茶 -价格", "冰场"]
    by_engine = {}
    for path in (PLAIN, ENGINE):
        backend = use(settings, path, tmp_path / "host-a")
        backend.catch_up()
        results = [service.run(parse(query), service.Filters(), order=order)
                   for query in queries for order in ("rank", "new")]
        by_engine[path] = [(result.total, result.exact, sorted(hit.article.pk for hit in result.hits))
                           for result in results]
        newest = service.run(parse("澄州"), service.Filters(), order="new")
        by_engine[path].append([hit.article.pk for hit in newest.hits])
    assert by_engine[ENGINE] == by_engine[PLAIN]
    assert by_engine[PLAIN][0][0] == 3


def test_a_long_backlog_ranks_with_the_gin_index(engine, world, monkeypatch):
    engine.catch_up()
    monkeypatch.setattr(tantivy_postgres, "ENGINE_LAG", 0)
    monkeypatch.setattr(tantivy_engine, "ENGINE_LAG", 0)
    late = factories.article(world.sports, "澄州龙舟赛开赛")
    assert engine._ready() is None
    assert late.pk in {hit.article.pk for hit in service.run(parse("澄州"), service.Filters()).hits}
    assert engine.catch_up() >= 1
    assert late.pk in engine_ids(engine, match_of("龙舟赛"))
