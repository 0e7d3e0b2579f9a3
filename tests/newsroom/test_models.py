"""Data rules enforced by the database itself, and the channel tree's derived fields."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from huiwen.newsroom.models import Article, Channel
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def china():
    return factories.channel("china", "国内新闻", parent=factories.channel("news", "新闻频道"))


def test_one_article_per_original_url(china):
    first = factories.article(china)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.article(china, source_url=first.source_url)


def test_articles_without_original_url_do_not_collide(china):
    one = factories.article(china, source_url="")
    two = factories.article(china, source_url="")
    assert one.source_url is None and two.source_url is None


def test_status_outside_the_list_is_refused_by_the_database(china):
    article = factories.article(china)
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(status="deleted")


def test_reserved_root_slug_refused_by_database_and_form():
    with pytest.raises(IntegrityError), transaction.atomic():
        Channel(slug="admin", name="后台").save()
    with pytest.raises(ValidationError):
        Channel(slug="search", name="搜索").full_clean()
    # Below the root the same word is an ordinary slug.
    factories.channel("search", "搜索", parent=factories.channel("tech", "科技"))


def test_three_level_tree_paths_and_moves(china):
    local = factories.channel("local", "地方", parent=china)
    assert local.path == "news/china/local" and local.depth == 2
    assert [c.name for c in local.lineage()] == ["新闻频道", "国内新闻", "地方"]
    sports = factories.channel("sports", "体育")
    china.parent = sports
    china.save()
    local.refresh_from_db()
    assert local.path == "sports/china/local"
    assert local.get_absolute_url() == "/sports/china/local/"


def test_cycle_and_depth_limits(china):
    news = Channel.objects.get(path="news")
    news.parent = Channel.objects.get(pk=china.pk)
    with pytest.raises(ValidationError):
        news.full_clean()
    node = china
    for level in range(3):
        node = factories.channel(f"level{level}", parent=node)
    with pytest.raises(ValidationError):
        Channel(slug="too-deep", name="太深", parent=node).full_clean()


def test_column_tag_must_appear_in_title(china):
    article = Article(title="普通标题", column="和音", body="<p>正文</p>", channel=china)
    with pytest.raises(ValidationError):
        article.full_clean()


def test_excerpt_comes_from_lede_or_body(china):
    with_lede = factories.article(china, lede="导语在这里。", body="<p>正文在这里。</p>")
    without = factories.article(china, body="<p>第一段。</p><p>第二段。</p>")
    assert with_lede.excerpt == "导语在这里。"
    assert without.excerpt == "第一段。 第二段。"


def test_absolute_urls_agree_with_the_url_configuration(china):
    from django.urls import reverse

    article = factories.article(china)
    assert article.get_absolute_url() == reverse("reader:article", kwargs={"pk": article.pk})
    assert china.get_absolute_url() == reverse("reader:channel", kwargs={"path": china.path})
