"""The search page asks the visibility rule in plain SQL (visibility.rule), compiled once per filter
set from Article.objects.visible(): it must let through exactly what the ORM's rule does, follow
the clock without being compiled again, and keep every filter's own values apart."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from huiwen.newsroom.models import Article
from huiwen.search import service
from huiwen.search.backends import get_backend
from huiwen.search.backends.visibility import Rule
from tests import factories
from tests.search.helpers import engine_in_use

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed(world):
    """Articles hidden for every reason the rule knows, beside the world's visible ones."""
    hidden_root = factories.channel("archive", "旧闻", live=False)
    factories.article(world.local, "草稿", status=Article.Status.DRAFT)
    factories.article(world.local, "待审", status=Article.Status.PENDING)
    factories.article(world.tech, "撤稿", status=Article.Status.WITHDRAWN)
    factories.article(world.news, "禁发", published_at=timezone.now() + timedelta(hours=2))
    factories.article(hidden_root, "旧闻")
    factories.article(world.local, "旧稿", publisher=world.weekly, hours_ago=24 * 40)
    return world


def _filter_sets(world):
    today = timezone.localdate()
    return [
        service.Filters(),
        service.Filters(channel=world.news),  # the news tree: news and local
        service.Filters(channel=world.local),
        service.Filters(publisher=world.daily),
        service.Filters(publisher=world.weekly, channel=world.local),
        service.Filters(since=today - timedelta(days=30)),
        service.Filters(until=today - timedelta(days=30)),
        service.Filters(channel=world.tech, since=today - timedelta(days=3), until=today),
    ]


def test_prepared_rule_lets_through_what_visible_does(mixed):
    backend = get_backend()
    every = list(Article.objects.values_list("pk", flat=True))
    for filters in _filter_sets(mixed):
        expected = set(service.visible_articles(filters).values_list("pk", flat=True))
        rule = service.visibility(filters)
        assert backend._visible_ids(every, rule) == expected, filters
        if connection.vendor == "sqlite":  # the list as one JSON parameter, and the correlated form, agree
            assert rule.among is not None
            assert backend._visible_ids(every, Rule(rule.sql, rule.params)) == expected, filters
    # Asked again (now from the compiled template) with the filters in another order: the same.
    for filters in reversed(_filter_sets(mixed)):
        expected = set(service.visible_articles(filters).values_list("pk", flat=True))
        assert backend._visible_ids(every, service.visibility(filters)) == expected, filters


def test_prepared_rule_follows_the_clock(world):
    later = factories.article(world.sports, "冰场夜场", published_at=timezone.now() + timedelta(minutes=30))
    backend = get_backend()
    filters = service.Filters()
    assert later.pk not in backend._visible_ids([later.pk], service.visibility(filters))
    Article.objects.filter(pk=later.pk).update(published_at=timezone.now() - timedelta(minutes=1))
    assert later.pk in backend._visible_ids([later.pk], service.visibility(filters))


def test_newest_first_through_recent_slices_equals_sorting_everything(world, monkeypatch):
    """Newest first reads the narrowest recent slice of days that holds the page; a hidden article
    in that slice sends it wider. The pages must be those of sorting every visible match."""
    from huiwen.search.query import parse

    ages = [2, 30, 24 * 10, 24 * 40, 24 * 100, 24 * 300, 24 * 500]
    made = [factories.article(world.local, f"渡口夜航第{number}班", hours_ago=age) for number, age in enumerate(ages)]
    # Withdrawn without a save: still in the index, so it fills the 3-day slice's count but not its page.
    Article.objects.filter(pk=made[1].pk).update(status=Article.Status.WITHDRAWN)
    expected = [article.pk for number, article in enumerate(made) if number != 1]
    monkeypatch.setattr(service, "SORT_ALL_UP_TO", 0)  # slices even for a handful of matches
    # FTS5 counts through the rule; the tantivy engine counts what the index knows, which still
    # holds the article withdrawn without a save, until it is indexed again.
    stale = 1 if engine_in_use(get_backend()) else 0
    for offset in range(0, len(expected), 2):
        results = service.run(parse("渡口夜航"), service.Filters(), order="new", offset=offset, limit=2)
        assert [hit.article.pk for hit in results.hits] == expected[offset : offset + 2], offset
        assert results.total == len(expected) + stale and results.exact
    from huiwen.search import handlers

    handlers.sync(Article.objects.get(pk=made[1].pk))
    results = service.run(parse("渡口夜航"), service.Filters(), order="new", limit=2)
    assert results.total == len(expected) and [hit.article.pk for hit in results.hits] == expected[:2]
