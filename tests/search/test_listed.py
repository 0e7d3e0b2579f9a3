"""search.related.Listed: the light rows of 相关阅读 and its filler stand for their articles."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from huiwen.newsroom.models import Article
from huiwen.search.reading import CHANNEL, _newest_statement
from huiwen.search.related import Listed
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_listed_row_shows_what_its_article_shows_and_equals_it():
    local = factories.channel("local", "本地")
    older = factories.article(local, "澄州老街改造完工", hours_ago=3, excerpt="老街改造完工的摘要")
    newer = factories.article(local, "北山茶园迎来采摘季", hours_ago=2)
    rows = _newest_statement(CHANNEL, 5)(timezone.now(), local.pk)
    assert all(isinstance(row, Listed) for row in rows) and rows == [newer, older]
    for row in rows:
        article = Article.objects.get(pk=row.pk)
        assert (row.pk, row.id, row.title, row.excerpt, row.published_at, row.story_id) == (
            article.pk, article.pk, article.title, article.excerpt, article.published_at, article.story_id)
        assert row.get_absolute_url() == reverse("reader:article", args=[article.pk]) == article.get_absolute_url()
        assert row == article and article == row and hash(row) == hash(article) and article in rows
        assert row != Article.objects.exclude(pk=row.pk).first() and row != row.pk
    assert {rows[0], newer} == {newer}
