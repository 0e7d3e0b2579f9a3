"""Ports: what an app asks of a sibling without importing it (issue 18, layers).

The collector, takedown and the desk sit side by side above the newsroom and import nothing of each
other. Where one needs an answer only another can give, the question is a port here, and the app
that can answer fills it in its AppConfig.ready():

- `blocked_reason(urls, signature)`: why a work may not be collected (a takedown notice), or None.
  Filled by takedown (takedown.blocklist).
- `screen_collected(article)`: screen a collected article's text before it is stored (replace
  words, hold back for review). Filled by the desk (backoffice.screening).
- `real_name(user)`: the real name on a user's editor profile, "" when none is on file. Filled by
  the desk (backoffice.attribution).

A port nobody filled refuses to answer (LookupError) rather than guess: a collector that skipped
the blocklist because takedown was not loaded would republish withdrawn works.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Generic, ParamSpec, TypeVar

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from huiwen.newsroom.models import Article
    from huiwen.text.fingerprint import Signature

_Asked = ParamSpec("_Asked")
_Answer = TypeVar("_Answer")


class Port(Generic[_Asked, _Answer]):
    """A question (its arguments) and its answer, typed; the answering function is given later."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._answer: Callable[_Asked, _Answer] | None = None

    def provide(self, answer: Callable[_Asked, _Answer]) -> None:
        self._answer = answer

    def __call__(self, *args: _Asked.args, **kwargs: _Asked.kwargs) -> _Answer:
        if self._answer is None:
            raise LookupError(f"no app answers the port {self.name!r} (newsroom.ports)")
        return self._answer(*args, **kwargs)


blocked_reason: Port[[Iterable[str], Signature], str | None] = Port("blocked_reason")
screen_collected: Port[[Article], None] = Port("screen_collected")
real_name: Port[[User | None], str] = Port("real_name")
