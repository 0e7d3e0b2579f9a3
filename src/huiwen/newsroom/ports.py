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

from collections.abc import Callable
from typing import Any


class Port:
    def __init__(self, name: str) -> None:
        self.name = name
        self._answer: Callable[..., Any] | None = None

    def provide(self, answer: Callable[..., Any]) -> None:
        self._answer = answer

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._answer is None:
            raise LookupError(f"no app answers the port {self.name!r} (newsroom.ports)")
        return self._answer(*args, **kwargs)


blocked_reason = Port("blocked_reason")
screen_collected = Port("screen_collected")
real_name = Port("real_name")
