"""The 相关阅读 block as a reader sees it: always full, the related part first.

First the related part, the article's stored list (search.related) read through the visibility
rule; then, to fill the block up to `limit` items, the newest visible articles of the article's
own channel, then of its top-level channel's tree, then of the whole site — what the seed page and
DedeCMS-style portals show. Each filler item says where it comes from (同频道最新 …), so a
reader sees where the related part ends. Never the article itself, never another copy of its
story, and never two copies of one story.

The filler is read when the page renders: one query per channel on the (channel, published_at)
index, shared by every article of a static publishing batch. A cached or published page keeps the
filler it was rendered with until something it shows changes (the article, its related list, any
item shown, which covers withdrawals), as a statically generated DedeCMS page does. Depending on
the channel's list tag instead would re-render every article page of a channel each time one
article is added to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.db.models import Q
from django.utils import timezone

from huiwen.newsroom.models import Article, ArticleQuerySet, Channel
from huiwen.newsroom.rows import Prepared, Values
from huiwen.newsroom.tags import Memo
from huiwen.search.related import SHOWN_COLUMNS, SHOWN_FIELDS, Listed, Shown, related_articles_many

RELATED = "related"
CHANNEL = "channel"
SECTION = "section"
SITE = "site"


@dataclass(frozen=True)
class ReadingItem:
    article: Shown
    part: str  # RELATED, or where the filler came from: CHANNEL, SECTION (top-level tree), SITE
    label: str = ""  # shown beside a filler item

    @property
    def pk(self) -> int:
        return self.article.pk

    @property
    def related(self) -> bool:
        return self.part == RELATED


def _newest(kind: str, size: int, now: datetime, key: int | str = "") -> ArticleQuerySet:
    """The newest `size` visible articles of a scope: a channel (its id), a section (its path), the site."""
    visible = Article.objects.visible(now)
    if kind == CHANNEL:
        visible = visible.filter(channel_id=key)
    elif kind == SECTION:
        visible = visible.filter(Q(channel__path=key) | Q(channel__path__startswith=f"{key}/"))
    return visible.order_by("-published_at", "-pk").only(*SHOWN_FIELDS)[:size]


def _newest_statement(kind: str, size: int) -> Prepared:
    """The newest `size` visible articles of a scope, compiled once per (scope kind, size): the
    filler's queries, run on most article pages, cost less to run than to compile."""
    statement = _statements.get((kind, size))
    if statement is None:
        kinds = {CHANNEL: (datetime, int), SECTION: (datetime, str)}.get(kind, (datetime,))
        statement = _statements.setdefault((kind, size), Prepared(partial(_newest, kind, size), *kinds,
                                                                  rows=Values(Article, SHOWN_COLUMNS, into=Listed)))
    return statement


_statements: dict[tuple[str, int], Prepared] = {}
_PREPARED_SIZES = 200  # a larger read (a channel full of one story's copies) is compiled as it comes
# A tree of more channels is read in one walk: one statement of that many runs nears SQLite's cap
# on the terms of a compound SELECT (500).
_MERGED_CHANNELS = 100


class _Newest:
    """Newest visible articles per scope, read once per scope and reused across articles."""

    def __init__(self, limit: int, shared: bool) -> None:
        # Shared by a batch of articles (the static publisher): each scope is read three blocks
        # deep at once, for the articles after this one. One page reads what it needs.
        self.limit, self.shared = limit, shared
        self.now = timezone.now()
        self.found: dict[tuple[str, str], tuple[list[Shown], bool]] = {}  # scope → (articles, complete)

    def of(self, kind: str, key: str, wanted: int) -> tuple[list[Shown], bool]:
        """At least `wanted` newest articles of the scope (fewer if it has fewer), and whether
        that is all of them."""
        cached = self.found.get((kind, key))
        if cached is not None and (cached[1] or len(cached[0]) >= wanted):
            return cached
        size = max(wanted, 3 * self.limit) if self.shared else wanted
        value: int | str = int(key) if kind == CHANNEL else key
        arguments = (self.now,) if kind == SITE else (self.now, value)
        channels = section_channels(key) if kind == SECTION and size <= _PREPARED_SIZES else []
        rows: list[Shown]
        if size > _PREPARED_SIZES or len(channels) > _MERGED_CHANNELS:
            rows = list(_newest(kind, size, *arguments))
        elif kind == SECTION:
            # The newest of each channel of the tree, merged: each read on its channel's index. One
            # walk of the site's newest until enough of them fall in the tree would read every
            # article of the site when the tree holds fewer than `size`.
            runs = [(self.now, channel) for channel in channels]
            rows = _newest_statement(CHANNEL, size).merged(runs, ["-published_at", "-id"], size)
        else:
            rows = _newest_statement(kind, size)(*arguments)
        self.found[kind, key] = (rows, len(rows) < size)
        return self.found[kind, key]


_sections: Memo[list[int]] = Memo("nav")  # a top-level channel's path → its tree's channel ids


def section_channels(root: str) -> list[int]:
    """The ids of every channel of the tree under the top-level channel `root` (its path), hidden
    ones included (the filler's statement applies visibility itself); kept per process and read
    again when the "nav" tag, bumped by every channel change, has a new version."""
    return _sections.get(root, lambda: list(Channel.objects.filter(Q(path=root) | Q(path__startswith=f"{root}/"))
                                            .order_by("pk").values_list("pk", flat=True)))


def _scopes(channel: Channel) -> list[tuple[str, str, str]]:
    """(kind, key, label) of the places the filler is taken from, nearest first."""
    scopes = [(CHANNEL, str(channel.pk), "同频道最新")]
    root = channel.path.split("/", 1)[0]
    if root != channel.path:
        root_name = channel.lineage()[0].name
        scopes.append((SECTION, root, f"{root_name}最新"))
    scopes.append((SITE, "", "本站最新"))
    return scopes


def reading_list(article: Article, limit: int) -> list[ReadingItem]:
    """The 相关阅读 block of one article (its channel should be loaded with it)."""
    return reading_lists([article], limit)[article.pk]


class _Block:
    """One article's block while it is filled: what it holds, and which articles and stories it has."""

    def __init__(self, article: Article) -> None:
        self.items: list[ReadingItem] = []
        self.seen = {article.pk}
        self.stories = {article.story_id} if article.story_id is not None else set()

    def add(self, candidate: Shown, part: str, label: str = "") -> None:
        if candidate.pk in self.seen or (candidate.story_id is not None and candidate.story_id in self.stories):
            return
        self.seen.add(candidate.pk)
        if candidate.story_id is not None:
            self.stories.add(candidate.story_id)
        self.items.append(ReadingItem(candidate, part, label))


def reading_lists(articles: Sequence[Article], limit: int) -> dict[int, list[ReadingItem]]:
    """The 相关阅读 blocks of several articles: the related parts in two queries, the filler in
    one query per channel (and per wider scope, when a channel is too small to fill a block)."""
    related = related_articles_many(articles, limit)
    newest = _Newest(limit, shared=len(articles) > 1)
    blocks: dict[int, list[ReadingItem]] = {}
    for article in articles:
        block = _Block(article)
        for item in related[article.pk]:
            block.add(item, RELATED)
        for kind, key, label in _scopes(article.channel):
            wanted = limit + len(block.seen) + 5
            while len(block.items) < limit:
                rows, complete = newest.of(kind, key, wanted)
                for candidate in rows:
                    if len(block.items) >= limit:
                        break
                    block.add(candidate, kind, label)
                if complete:
                    break
                wanted *= 2  # copies of one story or related items took places: read further
            if len(block.items) >= limit:
                break
        blocks[article.pk] = block.items[:limit]
    return blocks
