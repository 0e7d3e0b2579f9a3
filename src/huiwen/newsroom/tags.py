"""Dependency tags: what a rendered page shows, and the one place that says what changed.

A page records the tags of everything it shows while it renders (`depend()`), with each tag's
version at the start of rendering. A change bumps the versions of the tags it affects
(`changed()`); a cached page whose recorded versions are no longer current is stale. The same
tags drive the static publisher's dependency graph (publish.static), so the page cache and
the published files are invalidated by one mechanism.

It lives in the newsroom, below everything that renders or caches: the reader declares what its
pages show, the publisher caches and writes files by the same tags, and neither imports the
other's way. What must follow a change elsewhere (the static publisher deletes the files that
depend on a changed tag) is registered with `on_change()`.

Vocabulary:
  nav             the channel navigation on every reader page
  channel:<pk>    a channel's name, place and visibility (breadcrumbs, its own page)
  list:<pk>       the article lists of a channel (they include its sub-channels): its first pages
  listdeep:<pk>   the same lists past their first pages (announced with list:<pk>; the static
                  publisher refreshes those files a budget per run instead of deleting them at
                  once: see list_page_tag)
  list:all        site-wide lists: home's latest, site feeds, sitemaps
  article:<pk>    an article wherever it is shown (its page, lists, 相关阅读 of others)
  related:<pk>    the 相关阅读 block of an article's page
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import time
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.db import transaction

log = logging.getLogger(__name__)
# Recordings nest (the static publisher records around the page cache, which records too), so
# the variable holds every open recording and depend() adds to all of them.
_recording: contextvars.ContextVar[tuple[set[str], ...]] = contextvars.ContextVar("huiwen_page_tags", default=())


def depend(*tags: str) -> None:
    """Declare that the page being rendered shows these things."""
    for recording in _recording.get():
        recording.update(tags)


def start_recording() -> contextvars.Token[tuple[set[str], ...]]:
    return _recording.set((*_recording.get(), set()))


def stop_recording(token: contextvars.Token[tuple[set[str], ...]]) -> set[str]:
    recorded = _recording.get()[-1]
    _recording.reset(token)
    return recorded


class DatabaseTagStore:
    """Tag versions in a table (the embedded default): one query to read, one to write.

    Writes made inside a transaction become visible to other processes when it commits.
    """

    # Read on every cached page served: plain SQL, because compiling the ORM query would cost more
    # than running it.
    def versions(self, tags: list[str]) -> dict[str, int]:
        from huiwen.newsroom.models import TagVersion
        from huiwen.newsroom.rows import select_pairs

        if not tags:
            return {}
        found = select_pairs(TagVersion, "tag", "version", tags)
        return {tag: found.get(tag, 0) for tag in tags}

    def sequence(self) -> int:
        return self.versions([SEQUENCE])[SEQUENCE]

    def bump(self, tags: set[str]) -> None:
        from django.db.models import F

        from huiwen.newsroom.models import TagVersion

        # The row lock of this UPDATE orders concurrent changes: the sequence only grows.
        if not TagVersion.objects.filter(tag=SEQUENCE).update(version=F("version") + 1):
            TagVersion.objects.get_or_create(tag=SEQUENCE, defaults={"version": 1})
        number = self.sequence()
        TagVersion.objects.bulk_create([TagVersion(tag=tag, version=number) for tag in tags],
                                       update_conflicts=True, unique_fields=["tag"], update_fields=["version"])


class CacheTagStore:
    """Tag versions in Redis (settings.CACHES["tags"]) when huiwen runs at scale."""

    def __init__(self) -> None:
        self.cache = caches["tags"]

    @staticmethod
    def _key(tag: str) -> str:
        return f"tagv:{tag}"

    def versions(self, tags: list[str]) -> dict[str, int]:
        found = self.cache.get_many([self._key(tag) for tag in tags])
        return {tag: found.get(self._key(tag), 0) for tag in tags}

    def sequence(self) -> int:
        return int(self.cache.get(self._key(SEQUENCE), 0))

    def bump(self, tags: set[str]) -> None:
        self.cache.add(self._key(SEQUENCE), 0, timeout=None)
        number = int(self.cache.incr(self._key(SEQUENCE)))  # atomic INCR
        self.cache.set_many({self._key(tag): number for tag in tags}, timeout=None)


SEQUENCE = "__sequence__"


def _store() -> DatabaseTagStore | CacheTagStore:
    return CacheTagStore() if "tags" in settings.CACHES else DatabaseTagStore()


# Versions read once for a whole request, by `read_once`: a reader page asks for the navigation's
# version (and a Traditional one for the phrase list's) at several points, and one query answers
# all of them.
class _ReadOnce:
    def __init__(self, tags: list[str]) -> None:
        self.tags = tags
        self.found: dict[str, int] | None = None  # read at the first question, dropped at a change


_read_once: contextvars.ContextVar[_ReadOnce | None] = contextvars.ContextVar("huiwen_tags_read", default=None)


@contextlib.contextmanager
def read_once(tags: list[str]) -> Iterator[None]:
    """Within the block, `versions()` of these tags reads all of them at the first question and
    answers from that read afterwards: for a request that asks at several points of one page, which
    a change between those points could not have made consistent anyway. A change announced inside
    the block (`changed()`) drops the read, so the block's own changes are seen."""
    token = _read_once.set(_ReadOnce(tags))
    try:
        yield
    finally:
        _read_once.reset(token)


def versions(tags: Iterable[str]) -> dict[str, int] | None:
    """Current version of each tag (0: never changed); None when the store cannot be reached."""
    wanted = list(tags)
    once = _read_once.get()
    if once is not None and all(tag in once.tags for tag in wanted):
        if once.found is None:
            once.found = _read(once.tags)
        if once.found is not None:
            return {tag: once.found[tag] for tag in wanted}
    return _read(wanted)


def _read(wanted: list[str]) -> dict[str, int] | None:
    try:
        return _store().versions(wanted)
    except Exception:  # an outage means "unknown": callers bypass the cache
        log.warning("tag versions unavailable: store unreachable")
        return None


def sequence() -> int | None:
    """The number of the latest change; None when the store cannot be reached."""
    try:
        return _store().sequence()
    except Exception:
        return None


def _bump(tags: set[str]) -> None:
    # Each change takes the next number of one shared sequence, so "did anything a page shows
    # change after the page started rendering" is a comparison of numbers, with no clocks.
    try:
        _store().bump(tags)
    except Exception:  # the change must not be lost: void every cached page instead
        log.warning("could not announce a change of %s: voiding the page cache", sorted(tags)[:5])
        bump_epoch()


# What must follow a change at once besides the versions (publish.static deletes the files that
# depend on a changed tag), registered by the apps above in their ready().
_listeners: list[Callable[[set[str]], object]] = []


def on_change(listener: Callable[[set[str]], object]) -> None:
    """Call `listener(tags)` with every set of changed tags, inside the change's transaction."""
    if listener not in _listeners:
        _listeners.append(listener)


def changed(*tags: str) -> None:
    """Mark things as changed: now, and again when the current transaction commits.

    Called once per change set by the change path's "tags" handler (publish.handlers): a
    collector's batch is one bump, one TagChange batch and one pass over the published files.

    Now, so nothing cached earlier is served from this moment; again at commit, because a page
    rendered in between could only have seen the data as it was before the change.
    """
    wanted = {tag for tag in tags if tag}
    if not wanted:
        return
    from huiwen.newsroom.models import TagChange

    _bump(wanted)
    once = _read_once.get()
    if once is not None:
        once.found = None  # read again: this request's own change is seen by the rest of it
    TagChange.objects.bulk_create([TagChange(tag=tag) for tag in wanted])
    for listener in _listeners:
        listener(wanted)
    transaction.on_commit(lambda: _bump(wanted))


def list_page_tag(channel_pk: int, number: int) -> str:
    """The tag page `number` of a channel's list depends on for its place in the list.

    Every new article shifts every page of its channel's list by one. At a million articles a
    channel tree has tens of thousands of pages; deleting and rewriting them all on each new
    article would keep the static publisher busy for minutes per change. Past the first
    `PUBLISH["FIRST_LIST_PAGES"]` pages a list page depends on `listdeep:<pk>` instead: the page
    cache still drops it on every change (both tags are announced together), while published
    files of deep pages stay and are refreshed a budget per run (publish.static). What a deep page
    shows of each article still depends on `article:<pk>`, so an edit or a withdrawal reaches it at
    once.
    """
    deep = number > settings.PUBLISH["FIRST_LIST_PAGES"]
    return f"listdeep:{channel_pk}" if deep else f"list:{channel_pk}"


# -- values kept per process while a tag's version stands -------------------------------------

_Value = TypeVar("_Value")
_memos: list[Memo[Any]] = []


class Memo(Generic[_Value]):
    """Values read from the database and kept per process until `tag` has a new version (the
    navigation, a section's channels: read on every reader page, changed by a channel change).
    With the tag store unreachable, each value is read afresh."""

    def __init__(self, tag: str) -> None:
        self.tag = tag
        self.version: int | None = None  # the tag's version the kept values were read at
        self.values: dict[Hashable, _Value] = {}
        _memos.append(self)

    def get(self, key: Hashable, read: Callable[[], _Value]) -> _Value:
        current = versions([self.tag])
        if current is None:
            return read()
        if current[self.tag] != self.version:
            self.values, self.version = {}, current[self.tag]
        if key not in self.values:
            self.values[key] = read()
        return self.values[key]


def forget_memos() -> None:
    """Empty every Memo (tag versions restart with a test's rolled-back database)."""
    for memo in _memos:
        memo.values, memo.version = {}, None


# -- the cache epoch: the last resort when a change cannot be announced ---------------------------

_epoch_memo: dict[str, float] = {"value": 0, "read_at": 0.0}


def current_epoch() -> int:
    """The cache epoch, read from the database at most once a second per process."""
    from huiwen.newsroom.models import CacheEpoch

    now = time.monotonic()
    if now - _epoch_memo["read_at"] > 1.0:
        row = CacheEpoch.objects.filter(pk=1).values_list("value", flat=True).first()
        _epoch_memo.update(value=row or 0, read_at=now)
    return int(_epoch_memo["value"])


def bump_epoch() -> None:
    """Void every page cached so far (a change could not be announced to the tag store)."""
    from django.db.models import F

    from huiwen.newsroom.models import CacheEpoch

    CacheEpoch.objects.get_or_create(pk=1)
    CacheEpoch.objects.filter(pk=1).update(value=F("value") + 1)
    _epoch_memo["read_at"] = 0.0
