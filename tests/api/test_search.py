"""/api/v1/search: the site's search service as JSON — hits, highlights, filters, visibility, pages."""

from __future__ import annotations

import pytest

from tests import factories
from tests.api.conftest import get

pytestmark = pytest.mark.django_db


def _hit_ids(data) -> list[int]:
    return [hit["article"]["id"] for hit in data["hits"]]


def test_hits_are_visible_articles_only(client, newsroom):
    _, data = get(client, "/search", q="绿道")
    assert set(_hit_ids(data)) == {article.pk for article in newsroom.visible}
    assert data["total"] == len(newsroom.visible) and data["total_exact"] is True
    assert data["page"] == 1 and data["pages"] == 1 and data["notices"] == []


def test_titles_and_snippets_are_highlighted_and_escaped(client, newsroom):
    factories.article(newsroom.tech, "互联网<script>标题", body="<p>一段讲互联网的正文&lt;b&gt;不是标签&lt;/b&gt;。</p>")
    _, data = get(client, "/search", q="互联网")
    hit = data["hits"][0]
    assert hit["title_html"] == "<mark>互联网</mark>&lt;script&gt;标题"
    assert "<mark>互联网</mark>" in hit["snippet_html"]
    assert "<b>" not in hit["snippet_html"] and "&lt;b&gt;" in hit["snippet_html"]
    assert hit["article"]["title"] == "互联网<script>标题"  # plain text, for clients that escape themselves


def test_traditional_query_finds_simplified_article_marked_in_its_script(client, newsroom):
    traditional = factories.article(newsroom.tech, "偏鄉部落連上網際網路", body="<p>網際網路縮短了城鄉距離。</p>")
    simplified = factories.article(newsroom.tech, "山区小学接入互联网", body="<p>互联网让课堂变大了。</p>")
    _, data = get(client, "/search", q="網際網路")
    assert set(_hit_ids(data)) == {traditional.pk, simplified.pk}
    _, data = get(client, "/search", q="互联网")
    by_id = {hit["article"]["id"]: hit for hit in data["hits"]}
    assert "<mark>網際網路</mark>" in by_id[traditional.pk]["title_html"]


def test_filters(client, newsroom):
    _, by_channel = get(client, "/search", q="绿道", channel="news")
    assert set(_hit_ids(by_channel)) == {newsroom.full.pk, newsroom.china_story.pk, newsroom.weekly_story.pk}
    _, by_publisher = get(client, "/search", q="绿道", publisher=newsroom.weekly.pk)
    assert _hit_ids(by_publisher) == [newsroom.weekly_story.pk]
    _, error = get(client, "/search", expect=404, q="绿道", channel="archive")
    assert error["code"] == "channel_not_found"


def test_newest_first(client, newsroom):
    _, data = get(client, "/search", q="绿道", sort="new")
    assert _hit_ids(data) == [article.pk for article in newsroom.visible]


def test_pages_and_past_the_end(client, newsroom, settings):
    settings.HUIWEN = {**settings.HUIWEN, "SEARCH_PAGE_SIZE": 3}
    _, first = get(client, "/search", q="绿道")
    _, second = get(client, "/search", q="绿道", page=2)
    assert first["pages"] == second["pages"] == 2 and first["page_size"] == 3
    assert len(first["hits"]) == 3 and len(second["hits"]) == 1
    assert not set(_hit_ids(first)) & set(_hit_ids(second))
    _, past = get(client, "/search", q="绿道", page=9)
    assert past["hits"] == [] and past["total"] == len(newsroom.visible)


@pytest.mark.parametrize("query", ["-绿道", "!!!“”,。、", "   "])
def test_unsearchable_query_is_an_empty_answer_with_a_notice(client, newsroom, query):
    _, data = get(client, "/search", q=query)
    assert data["hits"] == [] and data["total"] == 0
    assert any("没有可以查找的词" in notice for notice in data["notices"])


def test_queries_up_to_200_characters(client, newsroom):
    _, data = get(client, "/search", q="绿道" + " 长" * 99)
    assert _hit_ids(data) == [newsroom.full.pk] and len(data["query"]) == 200  # 长 is in its lede
    _, error = get(client, "/search", expect=400, q="绿" * 201)
    assert error["errors"][0]["parameter"] == "q"


def test_too_many_words_are_cut_with_a_notice(client, newsroom):
    _, data = get(client, "/search", q=" ".join(["绿道", *(f"词{n}" for n in range(20))]))
    assert any("搜索词太多" in notice for notice in data["notices"])


def test_nul_characters_are_dropped(client, newsroom):
    _, data = get(client, "/search", q="绿\x00道")
    assert set(_hit_ids(data)) == {article.pk for article in newsroom.visible}


@pytest.mark.parametrize(
    ("params", "parameter"),
    [({}, "q"), ({"q": ""}, "q"), ({"q": "x" * 201}, "q"), ({"q": "绿道", "page": 0}, "page"),
     ({"q": "绿道", "page": 501}, "page"), ({"q": "绿道", "sort": "old"}, "sort"),
     ({"q": "绿道", "since": "2026-13-01"}, "since")],
)
def test_bad_parameters_are_400(client, newsroom, params, parameter):
    _, error = get(client, "/search", expect=400, **params)
    assert [detail["parameter"] for detail in error["errors"]] == [parameter]
