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
