"""Stories: every write of a story, or of an article's place in one, is a change of the change path.

A story is one work and its reprints (newsroom.models.Story). The collector starts one for each
new work, folds a reprint into the story of the work it copies, moves a stored article whose text
changed into the story it now matches, and keeps each story's original (the copy published first)
up to date. Each of these is written here and recorded as a `Change` of its own kind
(newsroom.changes.Kind), in the transaction and change set of the write:

- STORY_START: a new story (a `Change` of the Story), its original the article it starts from;
- STORY_JOIN: a stored article moved into a story without being saved itself (a `Change` of the
  Article: its watched `story_id` before and after, and no revision, since its text did not
  change). An article saved with its new story (a new article; a source's update) records the
  move in its own change, `story_id` being one of the values Article.save() watches;
- STORY_ORIGINAL: the story's original changed as copies joined or left (a `Change` of the Story).

What must follow a move does, through the handlers: the search index (it holds the story), the
相关阅读 lists (never two copies of one story), the page-cache tags and published files of every
page showing the article. tests/test_change_path_writes.py fails on a write of a story, or of an
article's story, anywhere but here (Story.save() and delete() record their own changes too).
"""

from __future__ import annotations

from huiwen.newsroom import changes, works
from huiwen.newsroom.changes import Kind
from huiwen.newsroom.models import Article, Story
from huiwen.newsroom.rows import insert_object, set_story_original
from huiwen.text import fingerprint


def start(article: Article | None = None) -> Story:
    """A new story whose original is `article` (None: not known yet), written in one INSERT (this
    runs for every new work the collector stores) and recorded as a change."""
    story = Story()
    if article is not None:
        story.original_publisher_id, story.first_published_at = article.publisher_id, article.published_at
    insert_object(story)
    changes.record(story, None, story.watched(), kind=Kind.STORY_START)
    return story


def matching(signature: fingerprint.Signature, *, exclude_article: int | None = None) -> Story | None:
    """The story of the most similar work in the index of works (newsroom.works), stored or held by
    the open batch (`exclude_article`: the stored article itself, never its own match). A matched
    copy without a story (stored before stories were kept) starts one."""
    matches = works.similar(signature, works.Kind.STORY, exclude_article=exclude_article)
    if not matches:
        return None
    copy = matches[0].article_id
    assert copy is not None  # a story print is an article's
    story = Story.objects.filter(articles=copy).first()  # as stored now (this batch may have moved it)
    if story is not None:
        return story
    article = Article.objects.get(pk=copy)
    story = start(article)
    move(article, story)
    return story


def refold(article: Article, signature: fingerprint.Signature) -> list[Story]:
    """Before a stored article whose text changed is saved: put it in the story of a near-identical
    text already held, or keep (or start) a story of its own. The stories whose original may have
    changed are returned, for `settle` once the article is saved."""
    works.keep(article.pk, signature, new=False)
    old = article.story
    story = matching(signature, exclude_article=article.pk) or old or start(article)
    article.story = story
    return [story] if old is None or old.pk == story.pk else [story, old]


def move(article: Article, story: Story | None, *, using: str = "default") -> None:
    """Put a stored article into `story` (None: out of any) without saving the article: a change of
    kind STORY_JOIN, with the article's watched values before and after and no revision."""
    if article.story_id == (story.pk if story is not None else None):
        return
    before = article.watched()
    Article.objects.using(using).filter(pk=article.pk).update(story=story)
    article.story = story
    changes.record(article, before, article.watched(), kind=Kind.STORY_JOIN, using=using, keep_history=False)


def settle(stories: list[Story]) -> None:
    """Make each story's first copy (published first; ties: stored first) its original, once its
    copies are stored: a change of kind STORY_ORIGINAL where the original changed."""
    for story in stories:
        found = set_story_original(story.pk)
        if found is None:  # no copy left: the story keeps what it had
            continue
        before = story.watched()
        story.original_publisher_id, story.first_published_at = found  # the instance follows its row
        if story.watched() != before:
            changes.record(story, before, story.watched(), kind=Kind.STORY_ORIGINAL)
