"""The editors' phrase list (reader.models.TraditionalPhrase) as the converters use it.

Forward, for the Traditional edition: each listed Simplified phrase is replaced by its Traditional
form and the text around it goes through OpenCC, so OpenCC never re-converts a form an editor
chose. Longest phrase first, left to right. Reverse, for search (text.chinese.fold): a listed
Traditional form folds back to its Simplified phrase before OpenCC's tw2sp, so 數位經濟 finds 数字经济.

The list is kept per process and read again when the "phrases" dependency tag (newsroom.tags,
bumped by every change) has a new version: one small query per converted page. Search's fold runs
far more often and without a request, so it re-checks at most once a second.

A change invalidates what it touches (`touched_tags`): the pages of every article whose text
holds the old or new phrase, every channel whose name does, and, if the site's own wording holds
it (templates, site name), every Traditional page ("hant", which every converted page records).
"""

from __future__ import annotations

import contextlib
import contextvars
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TypedDict

from django.conf import settings
from django.db.models import Q

from huiwen.newsroom import changes, tags


@dataclass(frozen=True)
class Table:
    forward: dict[str, str] = field(default_factory=dict)
    reverse: dict[str, str] = field(default_factory=dict)
    forward_pattern: re.Pattern[str] | None = None
    reverse_pattern: re.Pattern[str] | None = None


def _pattern(keys: list[str]) -> re.Pattern[str] | None:
    if not keys:
        return None
    return re.compile("|".join(re.escape(key) for key in sorted(keys, key=len, reverse=True)))


def _load() -> Table:
    from huiwen.reader.models import TraditionalPhrase

    pairs = list(TraditionalPhrase.objects.values_list("simplified", "traditional"))
    forward = dict(pairs)
    reverse = {traditional: simplified for simplified, traditional in pairs}
    return Table(forward, reverse, _pattern(list(forward)), _pattern(list(reverse)))


class _Memo(TypedDict):
    version: int | None  # the "phrases" tag's version the table was read at
    table: Table
    checked_at: float  # time.monotonic() of the last check


_memo: _Memo = {"version": None, "table": Table(), "checked_at": 0.0}
# Inside one request the list is checked once (reader.traditional's middleware sets this): a
# feed converts each item's fields separately and must not ask the tag store for every one.
checked_this_request: contextvars.ContextVar[bool] = contextvars.ContextVar("huiwen_phrases_checked",
                                                                            default=False)


def table(max_age: float = 0.0) -> Table:
    """The current list; with max_age, a copy up to that many seconds old is good enough."""
    now = time.monotonic()
    if checked_this_request.get() or (max_age and now - float(_memo["checked_at"]) < max_age):
        return _memo["table"]
    current = tags.versions(["phrases"])
    version = current["phrases"] if current else None
    if version is None or version != _memo["version"]:
        try:
            _memo["table"] = _load()
        except Exception:  # no table yet (before migrate): no phrases
            _memo["table"] = Table()
        _memo["version"] = version
    _memo["checked_at"] = now
    return _memo["table"]


@contextlib.contextmanager
def checked_once() -> Iterator[None]:
    """Within the block the list is checked at its start only: for one request's conversions."""
    table()
    token = checked_this_request.set(True)
    try:
        yield
    finally:
        checked_this_request.reset(token)


def forget() -> None:
    """Drop this process's copy (after a change here; other processes see the tag's new version)."""
    _memo.update({"version": None, "checked_at": 0.0})


def apply_forward(text: str, convert: Callable[[str], str], current: Table | None = None) -> str:
    """`text` with listed phrases replaced by their Traditional forms and the rest through `convert`
    (by the current list, or by `current` when the caller has it already)."""
    current = current or table()
    if current.forward_pattern is None:
        return convert(text)
    out, last = [], 0
    for match in current.forward_pattern.finditer(text):
        out += [convert(text[last:match.start()]), current.forward[match.group()]]
        last = match.end()
    out.append(convert(text[last:]))
    return "".join(out)


def fold_reverse(text: str) -> str:
    """Listed Traditional forms back to their Simplified phrases (search folding, before OpenCC)."""
    current = table(max_age=1.0)
    if current.reverse_pattern is None:
        return text
    return current.reverse_pattern.sub(lambda match: current.reverse[match.group()], text)


@cache
def _site_wording() -> str:
    """The text of the reader's own templates: a phrase found here shows on every page."""
    roots = [Path(__file__).parent / "jinja2", Path(__file__).parents[1] / "search" / "jinja2",
             Path(__file__).parents[1] / "takedown" / "jinja2"]
    return "\n".join(path.read_text("utf-8") for root in roots if root.exists() for path in root.rglob("*.html"))


def touched_tags(*phrases: str) -> set[str]:
    """The dependency tags of everything that shows any of these Simplified phrases."""
    from huiwen.newsroom.models import Article, Channel

    wanted = [phrase for phrase in phrases if phrase]
    found: set[str] = {"phrases"}
    if not wanted:
        return found
    # The channel's name is shown through channel:<pk> (breadcrumbs) and list:<pk>, below.
    text_fields = ("title", "lede", "body", "excerpt", "original_title", "original_author", "publisher__name")
    article_match = Q()
    channel_match = Q()
    for phrase in wanted:
        for name in text_fields:
            article_match |= Q(**{f"{name}__contains": phrase})
        channel_match |= Q(name__contains=phrase) | Q(description__contains=phrase)
    found.update(f"article:{pk}" for pk in Article.objects.filter(article_match).values_list("pk", flat=True))
    for pk, parent in Channel.objects.filter(channel_match).values_list("pk", "parent_id"):
        found.update({f"channel:{pk}", f"list:{pk}", *(["nav"] if parent is None else [])})
    if any(phrase in _site_wording() or phrase in settings.HUIWEN["SITE_NAME"] for phrase in wanted):
        found.add("hant")  # the site's own wording: every Traditional page
    return found


def _phrases_changed(changeset: changes.ChangeSet) -> None:
    """The change path's "phrases" handler: invalidate the cached and published pages a changed phrase
    shows on (old and new wording), and this process's copy of the table."""
    from huiwen.reader.models import TraditionalPhrase

    touched: list[str] = []
    for change in changeset.of(TraditionalPhrase):
        previous = (change.before or {}).get("simplified") or ""
        touched += touched_tags(str(change.after["simplified"]), str(previous))
    if touched:
        forget()
        tags.changed(*touched)


def register() -> None:
    changes.register("phrases", "set", _phrases_changed)
