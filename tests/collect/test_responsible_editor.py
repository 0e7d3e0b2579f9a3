"""责任编辑 on every reprint (互联网新闻信息服务管理规定 Art. 15): a direct-publish source names a
responsible editor with a real name, its articles carry that name; without one nothing is
published directly."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from huiwen.collect.models import Source
from huiwen.desk import dashboard
from huiwen.newsroom.models import Article
from tests import factories
from tests.collect.conftest import rss, serve_stories
from tests.sites.news import STORIES

pytestmark = pytest.mark.django_db


def _feed(site, stories=STORIES[:2]) -> list[str]:
    urls = serve_stories(site, stories)
    site.page("/feed.xml", rss(site, urls, [s.title for s in stories]), "application/rss+xml")
    return urls


def test_direct_publication_is_signed_with_the_sources_editor(site, make_source, run_collector):
    urls = _feed(site)
    source = make_source("feed", site.url("/feed.xml"), editor=factories.editor("柳青禾"))
    assert run_collector(source).new == 2
    for url in urls:
        article = Article.objects.get(source_url=url)
        assert article.status == Article.Status.PUBLISHED
        assert article.editor == "柳青禾"  # ours, by real name
        assert article.source_editor == "周若溪"  # the source page's own 责任编辑, kept beside it


def test_a_source_without_an_editor_cannot_publish_directly(channel):
    source = Source(name="无编辑", kind="feed", url="https://news.example/rss.xml", channel=channel,
                    publisher=factories.publisher(), review=False)
    with pytest.raises(ValidationError) as refused:
        source.full_clean()
    assert "editor" in refused.value.message_dict
    source.review = True  # reviewed first: an editor signs each article when publishing it
    source.full_clean()


def test_the_editor_needs_a_real_name(channel):
    from django.contrib.auth import get_user_model

    nameless = get_user_model().objects.create(username="nameless")
    source = Source(name="有编辑无姓名", kind="feed", url="https://news.example/rss.xml", channel=channel,
                    publisher=factories.publisher(), review=True, editor=nameless)
    with pytest.raises(ValidationError) as refused:
        source.full_clean()
    assert "真实姓名" in " ".join(refused.value.message_dict["editor"])


def test_an_editor_who_left_stops_direct_publication(site, make_source, run_collector):
    urls = _feed(site)
    editor = factories.editor("柳青禾")
    source = make_source("feed", site.url("/feed.xml"), editor=editor)
    editor.delete()  # the source's editor is cleared (SET_NULL); the source itself stays
    source.refresh_from_db()
    assert source.editor is None
    assert run_collector(source).new == 2
    stored = Article.objects.filter(source_url__in=urls)
    assert {a.status for a in stored} == {Article.Status.PENDING} and {a.editor for a in stored} == {""}
    [row] = [row for row in dashboard.health() if row.source == source]
    assert any("责任编辑" in alert for alert in row.alerts)


def test_published_articles_need_an_editor_in_forms_too():
    article = Article(title="标题", body="<p>正文。</p>", channel=factories.channel("news"),
                      status=Article.Status.PUBLISHED)
    with pytest.raises(ValidationError) as refused:
        article.full_clean()
    assert "editor" in refused.value.message_dict
    article.status = Article.Status.PENDING
    article.full_clean()


def test_source_add_takes_an_editor_or_falls_back_to_review(channel, capsys):
    editor = factories.editor("柳青禾", username="liuqh")
    call_command("source", "add", "feed", "https://news.example/a.xml", "--publisher", "某报", "--channel",
                 "news/society", "--editor", "liuqh", "--name", "直接发布")
    direct = Source.objects.get(name="直接发布")
    assert (direct.review, direct.editor) == (False, editor)
    call_command("source", "add", "feed", "https://news.example/b.xml", "--publisher", "某报", "--channel",
                 "news/society", "--name", "未指定编辑")
    fallback = Source.objects.get(name="未指定编辑")
    assert fallback.review and fallback.editor is None
    assert "先审后发" in capsys.readouterr().err
    with pytest.raises(Exception, match="没有用户"):
        call_command("source", "add", "feed", "https://news.example/c.xml", "--publisher", "某报", "--channel",
                     "news/society", "--editor", "nobody")
