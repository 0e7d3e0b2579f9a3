"""An article moved into a story is a change the handlers see (issue 18, point 1): 相关阅读 never
pairs two copies of one story, and the pages that showed the pair are invalidated."""

from __future__ import annotations

import lxml.html
import pytest

from huiwen.newsroom import changes, stories, tags
from huiwen.newsroom.models import Story
from huiwen.search import related
from huiwen.search.models import Profile, RelatedArticle
from tests.reader.pages import html

pytestmark = pytest.mark.django_db


def related_links(client, article) -> list[str]:
    page = html(client.get(article.get_absolute_url()))
    return page.xpath("//section[contains(@class,'related')]//li/h3/a/@href")


def held(owner) -> set[int]:
    return set(RelatedArticle.objects.filter(article=owner).values_list("related_id", flat=True))


def test_a_move_into_a_story_is_one_change_that_reaches_the_index_related_reading_and_the_pages(
        client, world, monkeypatch):
    tea, market = world.tea, world.tea_market
    assert market.get_absolute_url() in related_links(client, tea)  # related, as two works
    assert tea.pk in held(market) and market.pk in held(tea)
    story = stories.start(tea)
    stories.move(tea, story)
    revisions, screened = market.history.count(), market.screening.screened_at
    version = tags.versions([f"article:{market.pk}"])

    seen: list[list[tuple[str, str, object]]] = []
    real = changes._registry["set"]["tags"]

    def spy(changeset):  # the real handler runs; what the set held is noted
        seen.append([(type(c.instance).__name__, c.kind, c.after.get("story_id")) for c in changeset.changes])
        return real(changeset)

    monkeypatch.setitem(changes._registry["set"], "tags", spy)
    stories.move(market, story)

    assert seen == [[("Article", changes.Kind.STORY_JOIN, story.pk)]]  # one set, one change
    market.refresh_from_db()
    assert market.story_id == story.pk
    assert market.history.count() == revisions  # a fold is no edit: no revision
    market.screening.refresh_from_db()
    assert market.screening.screened_at == screened  # nor screened again: its text did not change
    assert tags.versions([f"article:{market.pk}"]) != version  # every page showing it is stale
    # Its own list was recomputed with its index entry (the story is part of what the index reads),
    # and the list of its new story's copy that held it is marked stale.
    assert tea.pk not in held(market)
    assert Profile.objects.get(pk=tea.pk).related_at is None
    links = related_links(client, tea)
    assert market.get_absolute_url() not in links
    assert Profile.objects.get(pk=tea.pk).related_at is not None  # recomputed when shown
    assert market.pk not in held(tea)


def test_a_story_deleted_moves_its_copies_out_first(world):
    story = stories.start(world.tea)
    for article in (world.tea, world.tea_market):
        stories.move(article, story)
    with changes.batch() as changeset:
        story.delete()
    assert [(type(c.instance).__name__, c.kind) for c in changeset.changes] == [
        ("Article", changes.Kind.STORY_JOIN), ("Article", changes.Kind.STORY_JOIN), ("Story", changes.Kind.DELETE)]
    assert not Story.objects.exists()
    # Apart again, each may be the other's 相关阅读.
    assert world.tea_market.pk in [item.pk for item in related.related_articles(world.tea, 5)]


def file_links(page) -> list[str]:
    return lxml.html.fromstring(page.read_text(encoding="utf-8")).xpath("//section[contains(@class,'related')]//a/@href")


def test_the_published_file_of_a_page_that_showed_the_copy_goes_and_comes_back_without_it(world, tmp_path):
    from huiwen.publish.static import publish

    tea, market = world.tea, world.tea_market
    root = tmp_path / "out"
    publish(root, full=True)
    page = root / f"a/{tea.pk}.html"
    assert f"/a/{market.pk}.html" in file_links(page)
    story = stories.start(tea)
    stories.move(tea, story)
    publish(root)  # tea's own move: its page is written again, still showing the other work
    assert page.exists()
    stories.move(market, story)
    assert not page.exists()  # gone at the move: it showed a copy of its own story
    report = publish(root)
    assert f"a/{tea.pk}.html" in report.touched
    assert f"/a/{market.pk}.html" not in file_links(page)
