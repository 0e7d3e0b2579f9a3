"""The 相关阅读 block is always full: the related part first, then the newest of the channel, labelled."""

from __future__ import annotations

import pytest

from huiwen.newsroom.models import Article, Story
from tests import factories
from tests.reader.pages import html, text
from tests.search.conftest import para

pytestmark = pytest.mark.django_db


def block(client, article) -> list[dict]:
    """The items of the article page's 相关阅读 block as a reader sees them."""
    page = html(client.get(article.get_absolute_url()))
    sections = page.xpath("//section[contains(@class,'related')]")
    if not sections:
        return []
    items = []
    for item in sections[0].xpath(".//ul/li"):
        label = item.xpath(".//*[@class='part-label']")
        items.append({
            "href": item.xpath(".//h3/a/@href")[0],
            "part": item.get("data-part"),
            "label": text(label[0]) if label else "",
            "when": item.xpath(".//time/@datetime")[0],
        })
    return items


def test_full_list_related_part_first_then_newest_of_the_channel(client, world):
    fillers = [factories.article(world.local, f"社区图书馆延长开放时间第{number}期", hours_ago=number + 1,
                                 body=para(f"第{number}期:居民可以在晚上借阅图书,阅览室增加了座位。"))
               for number in range(12)]
    items = block(client, world.tea)
    assert len(items) == 10
    assert items[0] == {**items[0], "href": world.tea_market.get_absolute_url(), "part": "related", "label": ""}
    parts = [item["part"] for item in items]
    first_filler = parts.index("channel")
    assert set(parts[:first_filler]) == {"related"} and set(parts[first_filler:]) == {"channel"}
    filler = items[first_filler:]
    assert all(item["label"] == "同频道最新" for item in filler)
    # The newest of the channel, newest first, never the article itself.
    expected = [a.get_absolute_url() for a in fillers][: len(filler)]
    assert [item["href"] for item in filler] == expected
    assert world.tea.get_absolute_url() not in [item["href"] for item in items]


def test_small_channel_fills_from_its_section_then_the_site(client, world):
    # world.local (under news) has two articles; news itself and the rest of the site fill the block.
    in_section = [factories.article(world.news, f"新闻频道要闻第{number}条", hours_ago=number + 1) for number in range(3)]
    items = block(client, world.tea)
    assert len(items) == Article.objects.visible().count() - 1 == 8  # every visible article but itself
    hrefs = [item["href"] for item in items]
    parts = [item["part"] for item in items]
    assert parts == sorted(parts, key=["related", "channel", "section", "site"].index)
    for article in in_section:
        assert article.get_absolute_url() in hrefs
        assert items[hrefs.index(article.get_absolute_url())]["label"] == "新闻最新"
    assert {item["label"] for item in items if item["part"] == "site"} == {"本站最新"}


def test_never_another_copy_of_its_story_nor_two_copies_of_one(client, world):
    own = Story.objects.create()
    other = Story.objects.create()
    world.tea.story = own
    world.tea.save()
    copy_of_own = factories.article(world.local, "春茶开采的另一份转载", story=own, hours_ago=0.5)
    newer = factories.article(world.local, "老街图书馆改造完工", story=other, hours_ago=0.6)
    older = factories.article(world.local, "老街图书馆改造完工(转载)", story=other, hours_ago=0.7)
    hrefs = [item["href"] for item in block(client, world.tea)]
    assert copy_of_own.get_absolute_url() not in hrefs
    assert newer.get_absolute_url() in hrefs
    assert older.get_absolute_url() not in hrefs


def test_hidden_articles_never_fill(client, world):
    hidden = [
        factories.article(world.local, "草稿", status=Article.Status.DRAFT, hours_ago=0.1),
        factories.article(world.local, "待审", status=Article.Status.PENDING, hours_ago=0.1),
        factories.article(world.local, "撤下", status=Article.Status.WITHDRAWN, hours_ago=0.1),
    ]
    hrefs = [item["href"] for item in block(client, world.tea)]
    assert len(hrefs) == Article.objects.visible().count() - 1
    for article in hidden:
        assert article.get_absolute_url() not in hrefs


def test_a_withdrawn_filler_item_leaves_the_cached_page(client, world):
    latest = factories.article(world.local, "社区图书馆延长开放时间", hours_ago=0.2)
    assert latest.get_absolute_url() in [item["href"] for item in block(client, world.tea)]
    latest.status = Article.Status.WITHDRAWN
    latest.save()
    assert latest.get_absolute_url() not in [item["href"] for item in block(client, world.tea)]


def test_one_page_and_a_publishing_batch_show_the_same_blocks(world):
    """An article page reads its block alone (statements compiled once, only the rows it needs); the
    static publisher reads the blocks of many articles at once. Both give the same block."""
    from huiwen.search.reading import reading_list, reading_lists

    story = Story.objects.create()
    for number in range(14):
        factories.article(world.local if number % 3 else world.news, f"城区公交线路调整第{number}批",
                          hours_ago=number + 0.5, story=story if number in (4, 5) else None,
                          body=para(f"第{number}批线路调整后,早高峰的班次更密了。"))
    factories.article(world.local, "撤下的稿件", status=Article.Status.WITHDRAWN, hours_ago=0.1)
    articles = list(Article.objects.visible().select_related("channel"))
    together = reading_lists(articles, 10)
    for article in articles:
        alone = reading_list(article, 10)
        assert [(item.pk, item.part, item.label) for item in alone] == \
               [(item.pk, item.part, item.label) for item in together[article.pk]], article.title
        assert len(alone) == 10  # twenty visible articles: every block is full
