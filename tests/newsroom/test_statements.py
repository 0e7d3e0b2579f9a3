"""newsroom.rows.statement_of: the statement a queryset sends, taken through Django's documented
database instrumentation and stopped before it reaches the database."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models.expressions import RawSQL

from huiwen.newsroom.models import Article
from huiwen.newsroom.rows import statement_of
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_statement_reads_what_the_queryset_reads():
    channel = factories.channel("news", "新闻")
    wanted = [factories.article(channel, f"城区公交线路调整第{n}批", hours_ago=n) for n in range(3)]
    factories.article(channel, "北山茶园迎来采摘季")
    queryset = Article.objects.filter(title__startswith="城区公交").order_by("-published_at").values_list("pk", "title")
    sql, params = statement_of(queryset)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        assert [tuple(row) for row in cursor.fetchall()] == list(queryset) == [(a.pk, a.title) for a in wanted]


def test_the_statement_is_stopped_before_the_database_sees_it():
    # A column no table has: run, the statement would fail; taken, it is only text.
    broken = Article.objects.filter(pk=RawSQL("no_such_table.no_such_column", ()))
    sql, params = statement_of(broken)
    assert "no_such_table.no_such_column" in sql and params == ()
    assert Article.objects.count() == 0  # the connection is still usable: nothing failed in the database


def test_a_queryset_that_sends_nothing_is_refused():
    with pytest.raises(ValueError):
        statement_of(Article.objects.filter(pk__in=[]))


def test_many_rows_go_in_a_few_statements_and_all_arrive():
    """rows.execute_values: on PostgreSQL a thousand rows a statement (psycopg's executemany sent each
    row as a statement of its own, a quarter of a worker's time per article); SQLite keeps its
    executemany. Document frequencies are written this way: added, then lowered, never below 0."""
    from django.test.utils import CaptureQueriesContext

    from huiwen.newsroom.rows import ROWS_PER_STATEMENT
    from huiwen.search.backends import get_backend
    from huiwen.search.models import TermStat

    terms = {f"词{n:05d}": n % 7 + 1 for n in range(2 * ROWS_PER_STATEMENT + 345)}
    backend = get_backend()
    with CaptureQueriesContext(connection) as captured:
        backend.adjust_frequencies(terms, {}, 0, "#articles")
    expected = 3 if connection.vendor == "postgresql" else 1
    assert len(captured.captured_queries) == expected
    assert dict(TermStat.objects.values_list("term", "df")) == terms
    backend.adjust_frequencies({"词00001": 5, "新词": 1}, {"词00002": 2, "词00003": 99}, 2, "#articles")
    stored = dict(TermStat.objects.values_list("term", "df"))
    assert (stored["词00001"], stored["新词"], stored["词00002"], stored["词00003"], stored["#articles"]) == (
        terms["词00001"] + 5, 1, terms["词00002"] - 2, 0, 2)
    assert len(stored) == len(terms) + 2
