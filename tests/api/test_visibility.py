"""The one visibility rule on every API surface: list (with each filter), search, detail.

Every hidden article in the newsroom fixture shares the word 绿道 with the visible ones, and sits
in a channel the filters reach, so any surface that skipped Article.objects.visible() would show it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from huiwen.newsroom.models import Article
from tests.api.conftest import get, ids

pytestmark = pytest.mark.django_db


def _everything_listed(client, newsroom) -> set[int]:
    shown: set[int] = set()
    for params in ({}, {"channel": "news"}, {"publisher": newsroom.daily.pk}, {"limit": 100},
                   {"since": "1900-01-01", "until": "9999-12-31"}):
        _, data = get(client, "/articles", **params)
        shown |= set(ids(data["items"]))
    for params in ({}, {"sort": "new"}, {"channel": "news"}):
        _, data = get(client, "/search", q="绿道", **params)
        shown |= {hit["article"]["id"] for hit in data["hits"]}
    return shown


def test_hidden_articles_appear_nowhere(client, newsroom):
    shown = _everything_listed(client, newsroom)
    assert shown == {article.pk for article in newsroom.visible}
    for article in newsroom.never_shown:
        expected = 410 if article.status == Article.Status.WITHDRAWN else 404
        get(client, f"/articles/{article.pk}", expect=expected)


def test_an_embargoed_article_appears_when_its_time_comes(client, newsroom):
    # Moved by update(): no save, no signal — the rule alone must decide.
    Article.objects.filter(pk=newsroom.embargoed.pk).update(published_at=timezone.now() - timedelta(minutes=1))
    assert newsroom.embargoed.pk in _everything_listed(client, newsroom)
    get(client, f"/articles/{newsroom.embargoed.pk}")


def test_hiding_a_channel_hides_its_articles_everywhere(client, newsroom):
    newsroom.news.live = False
    newsroom.news.save()
    _, data = get(client, "/articles")
    assert ids(data["items"]) == [newsroom.tech_story.pk]
    _, found = get(client, "/search", q="绿道")
    assert [hit["article"]["id"] for hit in found["hits"]] == [newsroom.tech_story.pk]
    get(client, "/articles", expect=404, channel="news")
    for article in (newsroom.full, newsroom.china_story, newsroom.weekly_story):
        get(client, f"/articles/{article.pk}", expect=404)


def test_withdrawal_is_410_and_gone_from_lists_and_search(client, newsroom):
    article = newsroom.full
    article.status = Article.Status.WITHDRAWN
    article.save()
    assert article.pk not in _everything_listed(client, newsroom)
    _, error = get(client, f"/articles/{article.pk}", expect=410)
    assert error["code"] == "article_gone"
