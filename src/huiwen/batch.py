"""Rows written together at the end of a batch of units of work (a collector's batch of pages).

A row that nothing reads before the batch ends (an article's first revision, say) need not be
written the moment its unit finishes: `later(write, item)` holds it, and the batch hands every
held item to its `write` in one call when it ends, inside the same transaction, so one
statement does the work of fifty. Without an open batch `later` returns False and the caller
writes at once.

A unit (one page) is all or nothing: what it held joins the batch only when the unit ends
without an error, the way its savepoint is released; a unit that fails takes its held rows
with it, as the rollback takes its written ones. A batch that fails writes nothing.

`held(write)` lists what is held so far, for code that must see rows not written yet;
`remembered(key, compute)` (over `memo()`, a dict for the length of the batch) answers a lookup
that does not change within the batch once.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")
Write = Callable[[list[Any]], object]
Held = list[tuple[Write, object]]

# The open batch's list, then one list per open unit inside it (innermost last).
_stack: contextvars.ContextVar[tuple[Held, ...]] = contextvars.ContextVar("huiwen_batch_held", default=())
_memo: contextvars.ContextVar[dict[object, object] | None] = contextvars.ContextVar("huiwen_batch_memo", default=None)


@contextmanager
def batch() -> Iterator[None]:
    """Write what `later` held inside the block when it ends without an error (nested: the outer
    block writes). Open it inside the transaction the rows belong to."""
    if _stack.get():
        yield
        return
    held: Held = []
    tokens = _stack.set((held,)), _memo.set({})
    try:
        yield
    finally:
        _stack.reset(tokens[0])
        _memo.reset(tokens[1])
    groups: dict[Write, list[object]] = {}
    for write, item in held:
        groups.setdefault(write, []).append(item)
    for write, items in groups.items():  # in the order each kind of row was first held
        write(items)


@contextmanager
def unit() -> Iterator[None]:
    """One unit of work inside a batch: its held rows join the batch only if it succeeds."""
    stack = _stack.get()
    if not stack:
        yield
        return
    own: Held = []
    token = _stack.set((*stack, own))
    try:
        yield
    finally:
        _stack.reset(token)
    stack[-1].extend(own)  # not reached when the unit raised


def later(write: Write, item: object) -> bool:
    """Hold `item` for `write(items)` at the end of the open batch; False when none is open."""
    stack = _stack.get()
    if not stack:
        return False
    stack[-1].append((write, item))
    return True


def held(write: Write) -> list[Any]:
    """The items held for `write` so far (those of failed units are gone), oldest first: for
    code that must see rows the batch has not written yet."""
    return [item for level in _stack.get() for kind, item in level if kind is write]


def memo() -> dict[object, object] | None:
    """A dict living as long as the open batch (None outside one)."""
    return _memo.get()


def remembered(key: object, compute: Callable[[], T]) -> T:
    """compute(), once per open batch for `key` (every time outside one): for lookups that do
    not change while a batch is stored."""
    found = _memo.get()
    if found is None:
        return compute()
    if key not in found:
        found[key] = compute()
    return found[key]  # type: ignore[return-value]
