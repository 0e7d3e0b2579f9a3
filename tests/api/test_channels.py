"""/api/v1/channels: the public tree, nested and ordered; hidden subtrees absent."""

from __future__ import annotations

import pytest

from tests import factories
from tests.api.conftest import API, get

pytestmark = pytest.mark.django_db


def _names(nodes) -> list[str]:
    return [node["name"] for node in nodes]


def test_tree_is_nested_in_site_order_without_hidden_channels(client, newsroom):
    newsroom.china.position = 2
    newsroom.china.save()
    factories.channel("world", "国际", parent=newsroom.news, position=1)  # before 国内 by position
    _, data = get(client, "/channels")
    roots = data["channels"]
    assert _names(roots) == ["新闻", "科技"]  # 旧闻 is not live: it and 老新闻 below it are absent
    news = roots[0]
    assert _names(news["children"]) == ["国际", "国内"]
    china = news["children"][1]
    assert china == {
        "id": newsroom.china.pk, "name": "国内", "slug": "china", "path": "news/china", "description": None,
        "url": "http://testserver/news/china/",
        "articles_url": f"http://testserver{API}/articles?channel=news/china",
        "children": [],
    }
    assert roots[1]["description"] == "科技新闻"


def test_articles_url_of_a_channel_lists_its_articles(client, newsroom):
    _, data = get(client, "/channels")
    (china,) = data["channels"][0]["children"]
    response = client.get(china["articles_url"])
    assert [item["id"] for item in response.json()["items"]] == [newsroom.china_story.pk]


def test_hiding_a_channel_removes_its_subtree(client, newsroom):
    newsroom.news.live = False
    newsroom.news.save()
    _, data = get(client, "/channels")
    assert _names(data["channels"]) == ["科技"]


def test_empty_tree(client, db):
    _, data = get(client, "/channels")
    assert data == {"channels": []}
