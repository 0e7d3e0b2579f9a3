"""The collector's story and attribution writes are changes of the change path (issue 18, point 1):
a new work starts a story, a reprint joins one and may become its original, a source's update that
turns a page into a copy of another work moves it in the same change as its new text, and the
attribution marks are set and settled, each a change of its own kind in the batch's one set.
Pages are served over loopback and written for these tests (tests.sites.news)."""

from __future__ import annotations

import pytest

from huiwen.collect.models import Attribution
from huiwen.newsroom import changes
from huiwen.newsroom.models import Article, Story
from tests.collect.conftest import rss, serve_stories
from tests.newsroom.desk import user
from tests.sites.news import STORIES, people_like

pytestmark = pytest.mark.django_db
Kind = changes.Kind


@pytest.fixture
def sets(monkeypatch):
    """The change sets the handlers are given (the real "tags" handler runs; each set is noted)."""
    seen: list[list[changes.Change]] = []
    real = changes._registry["set"]["tags"]

    def spy(changeset):
        seen.append(list(changeset.changes))
        return real(changeset)

    monkeypatch.setitem(changes._registry["set"], "tags", spy)
    return seen


def kinds(changeset: list[changes.Change]) -> list[tuple[str, str]]:
    return [(type(change.instance).__name__, change.kind) for change in changeset]


def feed(site, name: str, stories) -> str:
    urls = serve_stories(site, stories, folder=name)
    site.page(f"/{name}.xml", rss(site, urls, [story.title for story in stories]), "application/rss+xml")
    return site.url(f"/{name}.xml")


def test_stories_are_started_joined_and_given_their_original_as_changes(site, make_source, run_collector, sets):
    original, other = STORIES[5], STORIES[1]
    first = make_source("feed", feed(site, "city", [original, other]), interval_minutes=0)
    sets.clear()  # the source's publisher
    run_collector(first)
    [batch] = sets
    new_work = [("Story", Kind.STORY_START), ("Article", Kind.COLLECT), ("Attribution", Kind.MARK)]
    # The second page names another 来源: a publisher, then its work.
    assert kinds(batch) == [*new_work, ("Publisher", Kind.CREATE), *new_work]
    kept, unrelated = (Article.objects.get(title=story.title) for story in (original, other))
    assert kept.story_id != unrelated.story_id
    assert [c.pk for c in batch if c.kind == Kind.STORY_START] == [kept.story_id, unrelated.story_id]

    # Another site reprints the work, dated before the copy held: it joins the story and is its original.
    reprint = original.__class__(**{**original.__dict__, "slug": "early-reprint", "title": "城东全民健身中心启用",
                                    "date": "2026-11-01 08:00", "paper": ""})
    second = make_source("feed", feed(site, "elsewhere", [reprint]),
                         publisher=type(kept.publisher).objects.create(name="另一家转载网"))
    sets.clear()
    run_collector(second)
    [batch] = sets
    assert kinds(batch) == [("Article", Kind.COLLECT), ("Attribution", Kind.MARK), ("Story", Kind.STORY_ORIGINAL)]
    copy = Article.objects.get(title="城东全民健身中心启用")
    assert batch[0].after["story_id"] == copy.story_id == kept.story_id
    moved = batch[2]
    assert (moved.before or {})["first_published_at"] == kept.published_at
    assert moved.after["first_published_at"] == copy.published_at
    story = Story.objects.get(pk=kept.story_id)
    assert (story.original_publisher_id, story.first_published_at) == (copy.publisher_id, copy.published_at)

    # The unrelated page is rewritten into a copy of the work: one change (the source's update)
    # carries its new text and its new story, with one revision.
    revisions = unrelated.history.count()
    rewritten = other.__class__(**{**other.__dict__, "paragraphs": original.paragraphs})
    site.page(f"/city/{other.slug}.html", people_like(rewritten, host=site.base))
    sets.clear()
    run = run_collector(first)
    assert (run.new, run.updated) == (0, 1)
    [batch] = sets
    assert kinds(batch) == [("Article", Kind.SOURCE_UPDATE)]
    assert ((batch[0].before or {})["story_id"], batch[0].after["story_id"]) == (unrelated.story_id, kept.story_id)
    unrelated.refresh_from_db()
    assert unrelated.story_id == kept.story_id
    assert unrelated.history.count() == revisions + 1
    assert unrelated.history.order_by("-history_date", "-history_id").first().story_id == kept.story_id


def test_an_editor_settling_a_mark_is_a_change_by_that_editor(site, make_source, run_collector, sets):
    from tests.collect.test_attribution import page, serve

    url = serve(site, "/a/unsure.html", page("2024-05-08 09:00"))
    source = make_source("url", url)
    sets.clear()
    run_collector(source)
    [batch] = sets
    assert kinds(batch) == [("Story", Kind.STORY_START), ("Article", Kind.COLLECT), ("Attribution", Kind.MARK)]
    assert batch[2].after["source_fallback"] is True  # the page named no 来源
    article = Article.objects.get(source_url=url)
    assert Attribution.objects.get(article=article).source_fallback
    editor = user("editor9", "chief")
    article.publisher = type(article.publisher).objects.create(name="江城晨报")
    sets.clear()
    article._history_user = editor  # as the desk saves
    article.save()
    [batch] = sets
    assert kinds(batch) == [("Article", Kind.EDIT), ("Attribution", Kind.SETTLE)]
    settled = batch[1]
    assert settled.actor == editor
    assert ((settled.before or {})["source_fallback"], settled.after["source_fallback"]) == (True, False)
    assert not Attribution.objects.get(article=article).source_fallback
