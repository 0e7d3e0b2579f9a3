"""The one path every change of the newsroom's content takes, and what follows it, in a declared order.

A change (an article collected, edited, published, withdrawn, restored, moved or deleted; a
channel or a publisher changed; a story started, joined or given its original; an attribution
mark set or settled) is recorded as data, a `Change`: what, which kind, who, why, and
the stored values before and after. Changes are gathered in a `ChangeSet`, inside the transaction
that makes them. What must follow them is done by *handlers*, registered by the apps that own
them (history, attribution marks, screening, the search index, 相关阅读, the content-change time,
page-cache tags and, through the tags, the published files) and run in the order of `ORDER`,
each at its phase:

- "change": right after each change, in its transaction (a revision shows the article as it
  was at that change). For a deletion, just before the row goes.
- "set": once for the whole set, at its end, still in the transaction: one batch of index
  writes and one tag announcement for a collector's two hundred pages. A change made outside
  `batch()` is a set of one, so every caller gets the same behaviour.
- "commit": after the transaction commits (what reaches outside the database), never when it
  rolls back.
- "catch-up": for changes recorded with `indexed_later` (a withdrawal of thousands of articles in
  one UPDATE per batch): what is costly per article (the search index, 相关阅读) is brought in
  step later by `catch_up(ids)`, from a queue the service keeps; every surface reads
  `Article.objects.visible()`, so the visible change is at once.

No model signal drives any of this: `Article.save()` and `delete()`, `Channel.save()`,
`Publisher.save()`, `Story.save()` and `Attribution.save()` hand their change to `record()`, and
the services (newsroom.actions, the desk's workflow, the collector's store, takedown) say which
kind of change they make with `acting()`; newsroom.stories and collect.marks, whose batch writes
skip save(), record each change themselves.

`batch()` is the only batching there is: inside it `unit()` is one unit of work (a page) whose
changes and held rows are dropped when it fails, as its savepoint is; `later()` holds rows that
nothing reads before the set ends, to be written in one statement; `held()` shows them to code
that must see them meanwhile; `remembered()` answers a lookup that does not change while the set
is open (the sensitive-word automaton, a channel's lists, whether anything is blocked).
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar, cast

from django.db import models, router, transaction

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    Actor: TypeAlias = User | AnonymousUser | None  # None: the system (newsroom.actions.Actor)

T = TypeVar("T")
Write = Callable[[list[Any]], object]
# "change": (change, changeset); "set" and "commit": (changeset); "catch-up": (article ids, alias).
Handler = Callable[..., object]

PHASES = ("change", "set", "commit", "catch-up")
# The models whose save() and delete() record their changes here: newsroom.rows refuses to write
# them by plain SQL (tests/newsroom/test_changes.py checks each one's save() records).
RECORDED = frozenset({"newsroom.article", "newsroom.channel", "newsroom.publisher", "reader.traditionalphrase"})
# The declared order of the handlers (within each phase). A handler whose name is not here cannot
# be registered: the order is read here, never from the order apps happen to load in.
ORDER = (
    "history",  # newsroom: the revision row (django-simple-history's table)
    "attribution",  # collect: an editor who sets 来源 or time by hand settles the collector's mark
    "screening",  # backoffice: the sensitive-word result kept for the queue and the preview
    "lastmod",  # newsroom: when what readers see last changed (sitemap lastmod, dateModified)
    "search.index",  # search: the index and the document frequencies
    "search.related",  # search: 相关阅读 lists (after the index: candidates are found through it)
    "outlets",  # search: the cached publisher names 来源: resolves
    "phrases",  # reader: the Traditional edition's phrase table
    "tags",  # publish: page-cache tags, and through them the published files (tags.on_change)
    "media",  # collect: a withdrawn article's images out of public view (after commit), back on restore
)


class Kind:
    """What a change was, as the services name it (Article.save() alone says create or edit)."""

    CREATE = "create"
    EDIT = "edit"
    COLLECT = "collect"  # a new page stored by the collector
    SOURCE_UPDATE = "source-update"  # the source's page changed
    REEXTRACT = "re-extract"
    PUBLISH = "publish"
    UNPUBLISH = "unpublish"
    REJECT = "reject"
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    RESTORE = "restore"
    MOVE = "move"
    REVERT = "revert"
    DELETE = "delete"
    # Stories (newsroom.stories) and the collector's attribution marks (collect.marks).
    STORY_START = "story-start"  # a new story (a change of the Story)
    STORY_JOIN = "story-join"  # a stored article moved into (or out of) a story, not saved itself
    STORY_ORIGINAL = "story-original"  # a story's original copy changed (a change of the Story)
    MARK = "attribution-mark"  # how the collector read an article's 来源 and time (collect.Attribution)
    SETTLE = "attribution-settle"  # an editor's hand settled a 来源待确认 / 时间待确认 mark


@dataclass
class Change:
    """One change of one object: `before` and `after` are its watched values (see `watched`)."""

    instance: models.Model
    kind: str
    before: Mapping[str, object] | None  # None: created by this change
    after: Mapping[str, object]
    actor: Actor = None
    reason: str = ""
    using: str = "default"
    pk: Any = None  # kept: a deleted instance's pk is None once the row is gone
    keep_history: bool = True  # False when the caller asked for no revision (skip_history_when_saving)
    # True: recorded for a bulk UPDATE whose index upkeep the service queues (see `catch_up`).
    indexed_later: bool = False

    @property
    def model(self) -> type[models.Model]:
        return type(self.instance)

    @property
    def created(self) -> bool:
        return self.before is None and self.kind != Kind.DELETE

    @property
    def deleted(self) -> bool:
        return self.kind == Kind.DELETE

    def changed(self, *names: str) -> bool:
        """Whether any of these watched values differ before and after (always, for a new object)."""
        if self.before is None:
            return True
        return any(self.before.get(name) != self.after.get(name) for name in names)


@dataclass
class ChangeSet:
    """The changes of one batch (or of one save), what handlers hold for its end, and its memo."""

    changes: list[Change] = field(default_factory=list)
    held: list[tuple[Write, object]] = field(default_factory=list)
    memo: dict[object, object] = field(default_factory=dict)
    # Handlers pass results on to later ones here (search.index → search.related).
    notes: dict[str, object] = field(default_factory=dict)

    def of(self, model: type[models.Model]) -> list[Change]:
        return [change for change in self.changes if isinstance(change.instance, model)]

    def latest(self, model: type[models.Model]) -> list[Change]:
        """The last change of each object of `model`, in the order each was first changed."""
        last: dict[tuple[str, object], Change] = {}
        for change in self.of(model):
            last[(change.using, change.pk)] = change
        return list(last.values())


# -- the registry ----------------------------------------------------------------------------------

_registry: dict[str, dict[str, Handler]] = {phase: {} for phase in PHASES}


def register(name: str, phase: str, handler: Handler) -> None:
    """Register `handler` under its declared name for a phase: "change" handlers are called with
    (change, changeset), "set" and "commit" handlers with (changeset), "catch-up" handlers with
    (article ids, database alias)."""
    if name not in ORDER:
        raise ValueError(f"handler {name!r} is not in changes.ORDER")
    if phase not in PHASES:
        raise ValueError(f"unknown phase {phase!r}")
    _registry[phase][name] = handler


def handlers(phase: str) -> list[tuple[str, Handler]]:
    """The handlers of a phase in their declared order."""
    found = _registry[phase]
    return [(name, found[name]) for name in ORDER if name in found]


# -- the open set ------------------------------------------------------------------------------------

# The open set, then one (changes, held) level per open unit inside it (innermost last).
_open: contextvars.ContextVar[tuple[ChangeSet, ...]] = contextvars.ContextVar("huiwen_changeset", default=())
# The open set's memo: it outlives the set by the run of its "set" handlers (see batch()).
_memo: contextvars.ContextVar[dict[object, object] | None] = contextvars.ContextVar("huiwen_changes_memo", default=None)
_acting: contextvars.ContextVar[tuple[str, Actor, str] | None] = contextvars.ContextVar("huiwen_acting",
                                                                                       default=None)


def current() -> ChangeSet | None:
    """The innermost open set (a unit's own, inside a batch), or None."""
    levels = _open.get()
    return levels[-1] if levels else None


@contextmanager
def batch() -> Iterator[ChangeSet]:
    """Gather the changes made inside the block and run the set handlers once, when it ends without
    an error (nested: the outer block runs them). Open it inside the transaction the changes belong
    to: the held rows and the handlers' writes join it, and "commit" handlers wait for its commit."""
    levels = _open.get()
    if levels:
        yield levels[0]
        return
    changeset = ChangeSet()
    token, memo_token = _open.set((changeset,)), _memo.set(changeset.memo)
    try:
        yield changeset
    except BaseException:
        _open.reset(token)
        _memo.reset(memo_token)
        raise
    _open.reset(token)
    try:
        # The set is closed (what handlers hold now is written at once), but its memo lives on
        # while they run: a lookup remembered by the set is not asked again per change.
        _finish(changeset)
    finally:
        _memo.reset(memo_token)


@contextmanager
def unit() -> Iterator[None]:
    """One unit of work inside a batch: its changes and held rows join the set only if it succeeds."""
    levels = _open.get()
    if not levels:
        yield
        return
    own = ChangeSet(memo=levels[0].memo, notes=levels[0].notes)
    token = _open.set((*levels, own))
    try:
        yield
    finally:
        _open.reset(token)
    levels[-1].changes.extend(own.changes)  # not reached when the unit raised
    levels[-1].held.extend(own.held)


def _finish(changeset: ChangeSet) -> None:
    groups: dict[Write, list[object]] = {}
    for write, item in changeset.held:
        groups.setdefault(write, []).append(item)
    for write, items in groups.items():  # in the order each kind of row was first held
        write(items)
    if not changeset.changes:
        return
    for _, handler in handlers("set"):
        handler(changeset)
    after_commit = handlers("commit")
    if after_commit:
        transaction.on_commit(lambda: [handler(changeset) for _, handler in after_commit])


# -- recording -----------------------------------------------------------------------------------------

@contextmanager
def acting(kind: str, actor: Actor = None, reason: str = "") -> Iterator[None]:
    """The saves inside the block are changes of this kind, by `actor`, for `reason` (a service's
    way of naming what it does; Article.save() alone records create or edit)."""
    token = _acting.set((kind, actor, reason))
    try:
        yield
    finally:
        _acting.reset(token)


def record(instance: models.Model, before: Mapping[str, object] | None, after: Mapping[str, object], *,
           kind: str | None = None, using: str = "default", run: Callable[[], object] | None = None,
           keep_history: bool = True, indexed_later: bool = False) -> Change:
    """Record a change of `instance` in the open set (or in a set of its own, finished at once).

    `run`, when given, is the change itself (a deletion): it runs after the "change" handlers.
    A service that changed rows with one UPDATE records each row's change itself, with
    `indexed_later` when it queues their index upkeep for `catch_up`.
    """
    named = _acting.get()
    if kind is None:
        kind = named[0] if named is not None else (Kind.CREATE if before is None else Kind.EDIT)
    actor = named[1] if named is not None else None
    reason = named[2] if named is not None else ""
    actor = actor if actor is not None else getattr(instance, "_history_user", None)
    reason = getattr(instance, "_change_reason", None) or reason
    change = Change(instance, kind, before, after, actor, reason, using, instance.pk, keep_history, indexed_later)
    with batch() as changeset:
        target = current() or changeset
        target.changes.append(change)
        for _, handler in handlers("change"):
            handler(change, target)
        if run is not None:
            run()
    return change


def delete_recorded(instance: models.Model, delete: Callable[..., tuple[int, dict[str, int]]],
                    watched: dict[str, object], *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
    """Delete `instance` (`delete`: the model's own delete) as a change of kind DELETE: the "change"
    handlers run just before the row goes, the "set" ones after."""
    using = kwargs.get("using") or router.db_for_write(type(instance), instance=instance)
    result: list[tuple[int, dict[str, int]]] = []
    with transaction.atomic(using=using, savepoint=False):
        record(instance, watched, watched, kind=Kind.DELETE, using=using,
               run=lambda: result.append(delete(*args, **kwargs)))
    return result[0]


def catch_up(article_ids: list[int], *, using: str = "default") -> None:
    """Bring what the "catch-up" handlers keep (the search index, 相关阅读) in step with these
    articles as they are now: for changes recorded with `indexed_later`, from the service's queue."""
    for _, handler in handlers("catch-up"):
        handler(article_ids, using)


def later(write: Write, item: object) -> bool:
    """Hold `item` for `write(items)` at the end of the open set; False when none is open."""
    target = current()
    if target is None:
        return False
    target.held.append((write, item))
    return True


def held(write: Write) -> list[Any]:
    """The items held for `write` so far (those of failed units are gone), oldest first."""
    return [item for level in _open.get() for kind, item in level.held if kind is write]


def memo() -> dict[object, object] | None:
    """A dict living as long as the open set and its handlers (None outside one)."""
    return _memo.get()


def remembered(key: object, compute: Callable[[], T]) -> T:
    """compute(), once per open set for `key` (every time outside one): for lookups that do not
    change while a set is stored."""
    found = memo()
    if found is None:
        return compute()
    if key not in found:
        found[key] = compute()
    return cast(T, found[key])  # what compute() gave for this key
