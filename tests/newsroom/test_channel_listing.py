"""A channel's list at scale: its articles read by channel from the index, a page by its ids first."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from huiwen.newsroom.models import Article
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    news = factories.channel("news", "新闻")
    home = factories.channel("home", "国内新闻", parent=news)
    world = factories.channel("world", "国际新闻", parent=news)
    other = factories.channel("sport", "体育")
    same_moment = timezone.now() - timedelta(hours=3)
    for n in range(9):  # several at one moment: the id breaks the tie, newest id first
        factories.article(home if n % 2 else world, f"国内国际第{n}条", published_at=same_moment)
    for n in range(7):
        factories.article(news, f"新闻频道第{n}条", hours_ago=n + 0.5)
        factories.article(other, f"体育第{n}条", hours_ago=n + 0.5)
    factories.article(home, "还没到发布时间", published_at=timezone.now() + timedelta(days=1))
    return news, home, other


def test_a_channel_tree_is_the_channel_and_every_channel_below_it(tree):
    news, home, other = tree
    visible = Article.objects.visible()
    assert set(visible.in_channel_tree(news)) == set(visible.filter(channel__path__startswith="news"))
    assert set(visible.in_channel_tree(home)) == set(visible.filter(channel=home))
    assert visible.in_channel_tree(other).count() == 7
    assert not visible.in_channel_tree(news).filter(channel=other).exists()


@pytest.mark.parametrize("which", [0, 1])  # a channel with sub-channels (ids listed), a leaf (equality)
def test_pages_read_by_ids_first_are_the_pages_of_the_plain_listing(tree, which):
    channel = tree[which]
    listing = Article.objects.visible().in_channel_tree(channel).for_listing()
    plain, by_ids = Paginator(listing, 3), Paginator(listing.ids_first(), 3)
    assert by_ids.count == plain.count > 3
    assert by_ids.num_pages == plain.num_pages
    for number in plain.page_range:
        assert list(by_ids.page(number).object_list) == list(plain.page(number).object_list)
    assert listing.ids_first()[1] == list(listing)[1]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_a_channels_count_and_page_come_from_its_index_not_from_every_published_article(tree):
    """At a million articles the count read every published row through (status, published_at):
    2.3 s for each list page of a channel. It now seeks the channel in article_channel_visible."""
    _, home, _ = tree
    listing = Article.objects.visible().in_channel_tree(home).for_listing()
    for queryset in (listing.values("pk"), listing.values_list("pk", flat=True)[40:60]):
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert "article_channel_visible (channel_id=? AND status=? AND published_at<?)" in plan, plan
        assert "TEMP B-TREE" not in plan, plan  # in date order from the index, not sorted


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_a_page_of_a_channel_with_sub_channels_skips_by_index_entries(tree):
    """A parent channel's page walks the newest-first index and tests each entry's channel there,
    without reading the row (page 3,000 of a parent of 765,000 articles took 4.7 s, now 44 ms)."""
    news, _, _ = tree
    listing = Article.objects.visible().in_channel_tree(news).for_listing()
    sql, params = listing.values_list("pk", flat=True)[40:60].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "USING COVERING INDEX" in plan, plan


def test_a_trees_last_change_asked_channel_by_channel_is_the_trees_last_change(tree):
    news, home, other = tree
    for channel in (news, home, other):
        assert Article.objects.last_change_in_tree(channel) == Article.objects.in_channel_tree(channel).last_change()
    edited = Article.objects.filter(channel=home).first()
    edited.title += "(改)"
    edited.save()  # updated_at now: the sub-channel's change is the parent's too
    assert Article.objects.last_change_in_tree(news) == Article.objects.get(pk=edited.pk).updated_at
    assert Article.objects.last_change_in_tree(other) < Article.objects.last_change_in_tree(news)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_a_channels_last_change_seeks_its_indexes(tree):
    """A channel feed's Last-Modified read every article of its tree (50-300 ms at a million)."""
    _, home, _ = tree
    with CaptureQueriesContext(connection) as captured:
        Article.objects.filter(channel_id=home.pk).last_change()
    plans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:  # each as sent, its values written in
            cursor.execute(f"EXPLAIN QUERY PLAN {query['sql']}")
            plans.append(" ".join(str(row[-1]) for row in cursor.fetchall()))
    assert len(plans) == 2
    assert "article_channel_updated" in plans[0], plans
    assert "article_channel_published" in plans[1], plans


def test_the_count_of_visible_articles_is_the_count_of_the_visible_rule(tree):
    """count_visible() asks the channel condition by ids; it must count what visible() lists: not
    drafts, withdrawn or embargoed articles, nor articles of a hidden channel or below a hidden one."""
    news, home, other = tree
    factories.article(home, "草稿", status=Article.Status.DRAFT)
    factories.article(other, "已撤下", status=Article.Status.WITHDRAWN)

    def both(scope):
        return scope.count_visible(), scope.visible().count()

    for scope in (Article.objects.all(), Article.objects.in_channel_tree(news), Article.objects.in_channel_tree(home)):
        counted, listed = both(scope)
        assert counted == listed > 0
    later = timezone.now() + timedelta(days=2)  # the embargoed article is out by then
    assert Article.objects.all().count_visible(later) == Article.objects.visible(later).count() == both(
        Article.objects.all())[0] + 1
    news.live = False
    news.save()  # hides the channel and every channel below it
    assert both(Article.objects.all()) == (7, 7)  # 体育 only
    assert both(Article.objects.in_channel_tree(home)) == (0, 0)


def _plans(captured) -> list[str]:
    plans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:  # each as sent, its values written in
            cursor.execute(f"EXPLAIN QUERY PLAN {query['sql']}")
            plans.append(" ".join(str(row[-1]) for row in cursor.fetchall()))
    return plans


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_articles_asked_for_by_id_are_looked_up_by_id(tree, tmp_path):
    """Asked with the model's newest-first order, a handful of visible articles by id walked every
    published article through the (status, published_at) index: 0.11-0.14 s at a million, in every
    run of the static publisher and on every channel page's rows."""
    from huiwen.publish.static import Renderer

    news, _, _ = tree
    ids = list(Article.objects.visible().values_list("pk", flat=True)[:3])
    with CaptureQueriesContext(connection) as captured:
        Renderer().prefetch([f"/a/{pk}.html" for pk in ids])
    article_rows = [plan for plan in _plans(captured) if "newsroom_article" in plan and "SCAN" not in plan][:1]
    assert article_rows and "article_status_published" not in article_rows[0], _plans(captured)
    page = Article.objects.visible().in_channel_tree(news).for_listing().ids_first()
    with CaptureQueriesContext(connection) as captured:
        rows = page[2:6]
    assert [a.pk for a in rows] == list(Article.objects.visible().in_channel_tree(news).for_listing()
                                        .values_list("pk", flat=True)[2:6])
    assert "INTEGER PRIMARY KEY" in _plans(captured)[1].split("SUBQUERY")[0], _plans(captured)
