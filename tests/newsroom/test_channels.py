"""Channel tree management: move (old URLs answer 301), reorder, hide."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huiwen.newsroom.models import AuditEntry, Channel, ChannelRedirect
from tests import factories
from tests.newsroom.desk import user
from tests.reader.pages import article_links, html, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def chief(client):
    made = user("chief", "chief", real_name="王岚")
    client.force_login(made)
    return made


@pytest.fixture
def tree():
    news = factories.channel("news", "新闻")
    local = factories.channel("local", "本地", parent=news)
    factories.channel("city", "城事", parent=local)
    life = factories.channel("life", "生活")
    return news, local, life


def test_moving_a_channel_redirects_its_old_urls_and_its_subtree(client, chief, tree):
    _, local, life = tree
    article = factories.article(Channel.objects.get(path="news/local/city"), "城事新闻一则")
    response = client.post(reverse("backoffice:channel-move", args=[local.pk]), {"parent": life.pk})
    assert response.status_code == 302
    assert set(ChannelRedirect.objects.values_list("old_path", "channel__path")) == {
        ("news/local", "life/local"), ("news/local/city", "life/local/city")}
    old = client.get("/news/local/city/")
    assert (old.status_code, old["Location"]) == (301, "/life/local/city/")
    assert client.get("/news/local/index_2.html")["Location"] == "/life/local/index_2.html"
    assert article_links(html(client.get("/life/local/city/"))) == [article.get_absolute_url()]
    assert client.get("/news/nothing-here/").status_code == 404
    entry = AuditEntry.objects.get(action=AuditEntry.Action.MOVE)
    assert entry.details == {"from_path": "news/local", "to_path": "life/local"}


def test_moving_back_drops_the_redirect_from_the_live_path(client, chief, tree):
    news, local, life = tree
    client.post(reverse("backoffice:channel-move", args=[local.pk]), {"parent": life.pk})
    client.post(reverse("backoffice:channel-move", args=[local.pk]), {"parent": news.pk})
    assert client.get("/news/local/").status_code == 200
    assert client.get("/life/local/")["Location"] == "/news/local/"


def test_a_channel_cannot_move_under_itself(client, chief, tree):
    news, local, _ = tree
    response = client.post(reverse("backoffice:channel-move", args=[news.pk]), {"parent": local.pk}, follow=True)
    assert "频道不能放在自己或自己的下级之下" in html(response).xpath("string(//ul[@class='messages'])")
    assert Channel.objects.get(pk=news.pk).path == "news"


def test_reorder_swaps_siblings(client, chief, tree):
    _, _, life = tree
    client.post(reverse("backoffice:channel-reorder", args=[life.pk, "up"]))
    roots = list(Channel.objects.filter(parent=None).order_by("position", "pk").values_list("slug", flat=True))
    assert roots == ["life", "news"]
    client.post(reverse("backoffice:channel-reorder", args=[life.pk, "up"]))  # already first: nothing moves
    assert list(Channel.objects.filter(parent=None).order_by("position", "pk").values_list("slug", flat=True)) == roots


def test_hiding_a_channel_asks_first_hides_its_subtree_is_audited_and_showing_restores_it(client, chief, tree):
    news, _, _ = tree
    factories.article(Channel.objects.get(path="news/local/city"), "城事新闻一则")
    toggle = reverse("backoffice:channel-toggle", args=[news.pk])
    asked = html(client.post(toggle))  # the first POST only asks
    assert client.get("/news/local/city/").status_code == 200
    assert "1 篇已发布文章" in text(asked.xpath("//p[@class='consequence']")[0])
    assert sorted(asked.xpath("//ul[@class='confirm-items']/li/text()")) == [
        "/news/ 新闻", "/news/local/ 本地", "/news/local/city/ 城事"]
    assert asked.xpath("//form[@class='confirm-form']//input[@name='confirm']/@value") == ["yes"]
    client.post(toggle, {"confirm": "yes", "reason": "栏目改版"})
    assert client.get("/news/local/city/").status_code == 404
    entry = AuditEntry.objects.get(action=AuditEntry.Action.HIDE_CHANNEL)
    assert (entry.subject, entry.reason, entry.actor_name) == ("频道 news", "栏目改版", f"王岚({chief.username})")
    client.post(toggle, {"confirm": "yes"})
    assert client.get("/news/local/city/").status_code == 200
    assert AuditEntry.objects.filter(action=AuditEntry.Action.SHOW_CHANNEL).count() == 1


def test_move_list_names_channels_not_slugs(client, chief, tree):
    page = html(client.get(reverse("backoffice:channels")))
    first = page.xpath("(//form[@class='move'])[1]")[0]  # the first channel in tree order: 新闻
    assert first.xpath(".//select/@aria-label") == ["新闻 的新上级"]
    assert [option.text_content() for option in first.xpath(".//option")] == [
        "(顶级)", "\u3000└ 本地(/news/local/)", "\u3000\u3000└ 城事(/news/local/city/)", "生活(/life/)"]


def test_new_root_channel_cannot_take_the_back_office_address(client, chief):
    page = html(client.post(reverse("backoffice:channels"), {"name": "编辑部", "slug": "newsroom", "position": 0,
                                                            "live": "on"}))
    assert "这个标识被网站自身的地址占用" in page.xpath("string(//span[@class='error'])")
    assert not Channel.objects.filter(slug="newsroom").exists()
