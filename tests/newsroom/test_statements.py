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
    """rows.execute_values: on PostgreSQL an array a column, ten thousand rows a statement (psycopg's
    executemany sent each row as a statement of its own, a quarter of a worker's time per article,
    and a VALUES list with a placeholder a value cost 11 ms of Python per thousand rows); SQLite
    keeps its executemany. Document frequencies are written this way: added, then lowered, never
    below 0."""
    from django.test.utils import CaptureQueriesContext

    from huiwen.search.backends import get_backend
    from huiwen.search.models import TermStat

    terms = {f"词{n:05d}": n % 7 + 1 for n in range(12_345)}
    backend = get_backend()
    with CaptureQueriesContext(connection) as captured:
        backend.adjust_frequencies(terms, {}, 0, "#articles")
    assert len(captured.captured_queries) == (2 if connection.vendor == "postgresql" else 1)
    if connection.vendor == "postgresql":
        assert all("unnest(" in query["sql"] for query in captured.captured_queries)
    assert dict(TermStat.objects.values_list("term", "df")) == terms
    backend.adjust_frequencies({"词00001": 5, "新词": 1}, {"词00002": 2, "词00003": 99}, 2, "#articles")
    stored = dict(TermStat.objects.values_list("term", "df"))
    assert (stored["词00001"], stored["新词"], stored["词00002"], stored["词00003"], stored["#articles"]) == (
        terms["词00001"] + 5, 1, terms["词00002"] - 2, 0, 2)
    assert len(stored) == len(terms) + 2


# Texts an array literal must quote or escape: its own quotes, backslashes, braces, commas, blanks,
# the word NULL, the empty text, a backslash before x (bytea's marker), line breaks and tabs.
AWKWARD = ['他说"好"', "a\\b\\\\c", "{x,y}", " 空 格 ", "it's", "NULL", "null", "", "\\x41", "行一\n行二",
           "制\t表", '"', "\\", "{}", "%s", "%(name)s"]


def test_awkward_texts_arrive_as_they_were():
    from huiwen.newsroom.rows import insert_rows
    from huiwen.search.models import TermStat

    insert_rows(TermStat, ("term", "df"), [(text, n) for n, text in enumerate(AWKWARD)])
    assert dict(TermStat.objects.values_list("term", "df")) == {text: n for n, text in enumerate(AWKWARD)}


def test_bytes_and_nulls_arrive_as_they_were():
    from huiwen.newsroom.models import Fingerprint
    from huiwen.newsroom.rows import insert_rows

    channel = factories.channel("news", "新闻")
    articles = [factories.article(channel, f"港口集装箱吞吐量第{n}季度", hours_ago=n) for n in range(3)]
    signatures = [bytes(range(256)), b'\\"{},NULL\x00', b""]
    rows = [("story", article.pk, signature, n)
            for n, (article, signature) in enumerate(zip(articles, signatures, strict=True))]
    insert_rows(Fingerprint, ("kind", "article_id", "signature", "features"), rows)
    stored = {pk: (bytes(signature), features)
              for pk, signature, features in Fingerprint.objects.values_list("article_id", "signature", "features")}
    assert stored == {article.pk: (signatures[n], n) for n, article in enumerate(articles)}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite does not hold a text to its declared length")
def test_a_text_too_long_for_its_column_is_refused_not_cut():
    from django.db import DataError, transaction

    from huiwen.newsroom.rows import insert_rows
    from huiwen.search.models import TermStat

    with pytest.raises(DataError), transaction.atomic():
        insert_rows(TermStat, ("term", "df"), [("长" * 101, 1)])
    assert not TermStat.objects.exists()
