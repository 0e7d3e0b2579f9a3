"""The tantivy ranking engine beside SQLite (search/backends/tantivy_engine.py): it matches what
FTS5 matches, ranks the title above the body, follows every change through the log, never makes
a search wait, and starts again from the stored tokens when its folder is not the database's."""

from __future__ import annotations

import signal
import subprocess
import sys
from contextlib import contextmanager

import pytest
from django.db import connection

from huiwen.search import indexing, service
from huiwen.search.backends import get_backend, tantivy_engine
from huiwen.search.backends.sqlite import SqliteBackend
from huiwen.search.backends.tantivy_engine import TantivyBackend
from huiwen.search.query import parse
from tests import factories
from tests.search.conftest import para
from tests.search.helpers import ENGINE_QUERIES, engine_ids, index_ids, match_of, result_links, search

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the tantivy engine sits beside SQLite's FTS5"),
]

ENGINE = "huiwen.search.backends.tantivy_engine.TantivyBackend"
PLAIN = "huiwen.search.backends.sqlite.SqliteBackend"


@pytest.fixture
def engine(settings, tmp_path) -> TantivyBackend:
    settings.HUIWEN = {**settings.HUIWEN, "SEARCH_BACKEND": ENGINE, "SEARCH_ENGINE_DIR": str(tmp_path / "engine")}
    backend = get_backend()
    assert isinstance(backend, TantivyBackend)
    return backend










def test_engine_matches_what_fts5_matches(world, engine):
    empty = []
    for query in ENGINE_QUERIES:
        match = match_of(query)
        ours = engine_ids(engine, match)
        assert len(ours) == len(set(ours)), query  # each article once
        assert set(ours) == index_ids(engine, match), query
        if not ours:
            empty.append(query)
    assert empty == ["不存在的词语"]  # the others find something


def test_channel_and_date_filters_agree(world, engine):
    since = factories.print_date(2)
    for filters in (service.Filters(channel=world.sports), service.Filters(channel=world.news),
                    service.Filters(since=since), service.Filters(publisher=world.daily)):
        match = service.match_for(parse("澄州"), filters)
        assert set(engine_ids(engine, match)) == index_ids(engine, match)


def test_the_title_outranks_the_body(engine, world):
    in_body = factories.article(world.sports, "周末去哪儿玩", body=para("城郊新开的冰壶馆也接待散客。"), hours_ago=1)
    in_title = factories.article(world.sports, "冰壶馆迎来第一批散客", body=para("周末的场馆里人不少。"), hours_ago=40)
    ranked = engine_ids(engine, match_of("冰壶"))
    assert ranked[:2] == [in_title.pk, in_body.pk]
    result = service.run(parse("冰壶"), service.Filters())
    assert [hit.article.pk for hit in result.hits][:2] == [in_title.pk, in_body.pk]


def test_edits_and_removals_reach_the_engine(engine, world):
    assert world.tea.pk in engine_ids(engine, match_of("明前茶"))
    world.tea.title = "澄州秋茶上市"
    world.tea.body = para("秋茶的滋味醇厚。")
    world.tea.save()
    assert world.tea.pk not in engine_ids(engine, match_of("明前茶"))
    assert world.tea.pk in engine_ids(engine, match_of("秋茶"))
    indexing.unindex_article(world.marathon.pk)
    assert world.marathon.pk not in engine_ids(engine, match_of("马拉松"))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {tantivy_engine.CHANGES}")
        assert cursor.fetchone()[0] == 0  # the log is drained once applied


def test_a_change_applied_twice_is_harmless(engine, world):
    match = match_of("澄州")
    before = sorted(engine_ids(engine, match))
    with connection.cursor() as cursor:  # as if a drain died between tantivy's commit and the log's delete
        cursor.executemany(f"INSERT INTO {tantivy_engine.CHANGES} (article_id) VALUES (%s)",
                           [(pk,) for pk in before] * 2)
    assert sorted(engine_ids(engine, match)) == before


def test_the_search_page_ranks_with_the_engine(client, engine, world):
    _, page = search(client, q="澄州")
    assert result_links(page) and set(result_links(page)) == {
        world.tea.get_absolute_url(), world.marathon.get_absolute_url(), world.ice_rink.get_absolute_url()}
    _, page = search(client, q="来源:澜山周刊")
    assert set(result_links(page)) == {a.get_absolute_url() for a in (world.taiwan, world.tea_market, world.ice_rink)}
    hidden = factories.article(world.tech, "澄州网络安全周开幕", status="pending")
    _, page = search(client, q="网络安全")
    assert hidden.get_absolute_url() not in result_links(page)  # ranked by tantivy, shown only if visible


HOLD = """
import fcntl, sys, time
handle = open(sys.argv[1], "a+b")
fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.read()
"""


@contextmanager
def no_longer_than(seconds: int):
    """Fails the test instead of hanging it when the block waits."""
    def expire(signum, frame):
        raise TimeoutError(f"waited more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_search_never_waits_for_the_engine(engine, world):
    engine_ids(engine, match_of("澄州"))  # adopted and drained
    lock = engine.folder / "lock"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(lock)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        late = factories.article(world.sports, "澄州龙舟赛开赛")  # logged; not applied while the lock is held
        with no_longer_than(20):
            found = service.run(parse("龙舟赛"), service.Filters())
        assert found.hits == [] and found.total == 0  # not yet seen by the engine, and no wait for it
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
    assert [hit.article.pk for hit in service.run(parse("龙舟赛"), service.Filters()).hits] == [late.pk]


def test_a_backlog_beyond_the_lag_ranks_with_fts5(engine, world, monkeypatch):
    engine_ids(engine, match_of("澄州"))  # adopted and drained
    monkeypatch.setattr(tantivy_engine, "ENGINE_LAG", 0)
    lock = engine.folder / "lock"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(lock)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        late = factories.article(world.sports, "澄州龙舟赛开赛")  # logged, not applied: the lock is held
        assert engine._ready() is None
        found = service.run(parse("澄州"), service.Filters())
        assert late.pk in {hit.article.pk for hit in found.hits}
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
    assert engine.catch_up() == 1  # the next drain applies it
    assert late.pk in engine_ids(engine, match_of("龙舟赛"))


def test_a_folder_of_another_database_starts_again(engine, world):
    assert world.tea.pk in engine_ids(engine, match_of("明前茶"))
    (engine.folder / "IDENTITY").write_text("another-database")
    assert set(engine_ids(engine, match_of("澄州"))) == index_ids(engine, match_of("澄州"))


def test_writes_by_the_plain_backend_make_the_engine_start_again(settings, engine, world):
    assert engine_ids(engine, match_of("澄州"))
    settings.HUIWEN = {**settings.HUIWEN, "SEARCH_BACKEND": PLAIN}
    assert type(get_backend()) is SqliteBackend
    late = factories.article(world.sports, "澄州龙舟赛开赛")  # indexed by FTS5 alone: nothing logged
    settings.HUIWEN = {**settings.HUIWEN, "SEARCH_BACKEND": ENGINE}
    assert late.pk in engine_ids(engine, match_of("龙舟赛"))


def test_a_rebuild_leaves_the_engine_equal_to_fts5(engine, world):
    engine_ids(engine, match_of("澄州"))
    indexing.rebuild()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {tantivy_engine.CHANGES}")
        assert cursor.fetchone()[0] == 0  # optimize() drained the log
    for query in ENGINE_QUERIES:
        assert set(engine_ids(engine, match_of(query))) == index_ids(engine, match_of(query)), query


def test_a_restore_makes_the_engine_start_again(engine, world):
    from huiwen.search.backends.base import forget_ranking_engine

    assert engine_ids(engine, match_of("澄州"))
    with connection.cursor() as cursor:  # a change the restored database never had, seen by the engine
        cursor.execute("DELETE FROM search_sqlite_tokens WHERE rowid = %s", [world.marathon.pk])
    forget_ranking_engine(connection)
    assert world.marathon.pk not in engine_ids(engine, match_of("澄州"))  # rebuilt from the stored tokens


def test_counts_and_results_equal_fts5s_with_embargoes_and_hidden_channels(settings, tmp_path, world):
    from datetime import timedelta

    from django.utils import timezone

    factories.article(world.local, "澄州茶博会下周开幕", published_at=timezone.now() + timedelta(days=3))  # embargoed
    hidden = factories.channel("archive", "内部资料", live=False)
    factories.article(hidden, "澄州茶叶内部简报")
    queries = ["澄州", "茶", "茶 来源:澄州日报", "春茶 -价格", "冰场"]
    by_engine = {}
    for path in (PLAIN, ENGINE):
        settings.HUIWEN = {**settings.HUIWEN, "SEARCH_BACKEND": path, "SEARCH_ENGINE_DIR": str(tmp_path / "engine")}
        results = [service.run(parse(query), service.Filters(), order=order)
                   for query in queries for order in ("rank", "new")]
        by_engine[path] = [(result.total, result.exact, sorted(hit.article.pk for hit in result.hits))
                           for result in results]
        newest = service.run(parse("澄州"), service.Filters(), order="new")
        by_engine[path].append([hit.article.pk for hit in newest.hits])  # in order
    assert by_engine[ENGINE] == by_engine[PLAIN]
    assert by_engine[PLAIN][0][0] == 3  # 澄州: neither the embargoed nor the hidden article


def test_a_broken_engine_never_fails_the_search_page(client, settings, tmp_path, world):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the engine's folder would go")
    settings.HUIWEN = {**settings.HUIWEN, "SEARCH_BACKEND": ENGINE, "SEARCH_ENGINE_DIR": str(blocked)}
    response, page = search(client, q="澄州")
    assert response.status_code == 200  # ranked by FTS5 instead
    assert set(result_links(page)) == {
        world.tea.get_absolute_url(), world.marathon.get_absolute_url(), world.ice_rink.get_absolute_url()}
    late = factories.article(world.sports, "澄州龙舟赛开赛")  # indexing, then the engine's drain, fail quietly
    assert late.get_absolute_url() in result_links(search(client, q="龙舟赛")[1])


def test_equal_scores_show_the_higher_id_first(engine, world):
    """tantivy orders equal scores by segment (its indexing threads decide which), the database by
    id: the page takes the database's order, so two hosts or a rebuilt folder show the same page."""
    made = [factories.article(world.sports, f"冰壶馆开放{town}", body=para(f"{town}的冰壶馆周末开放。"), hours_ago=5)
            for town in ("甲镇", "乙镇", "丙镇", "丁镇")]
    ranked = engine_ids(engine, match_of("冰壶馆"))
    assert sorted(ranked) == sorted(article.pk for article in made)  # the four tie (same words, same lengths)
    result = service.run(parse("冰壶馆"), service.Filters(), limit=3)
    assert [hit.article.pk for hit in result.hits] == sorted((article.pk for article in made), reverse=True)[:3]
