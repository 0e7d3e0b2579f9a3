"""Which publishers a reader means: by 来源:…, or by naming an outlet among the words.

来源:人民日报 means 人民日报, 人民网-人民日报 and 人民日报海外版 alike (`holding`: the folded
name or newspaper holds the value, punctuation and spacing reduced to single spaces). A plain
word stands for an outlet only when it is the outlet's whole name, its newspaper, or one part of
a name like 人民网-人民日报 (`naming`): 人民日报 finds what 人民网-人民日报 published, while 澄州
does not find everything 澄州日报 published.

The publishers are read once and kept for TTL seconds (a process sees a rename within that time,
and at once in the process that saved it: the change path's "outlets" handler); a site has hundreds of
them, not millions.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from huiwen.newsroom import changes
from huiwen.newsroom.changes import ChangeSet
from huiwen.newsroom.models import Publisher
from huiwen.text.chinese import fold

TTL = 60.0
_PIECES = re.compile(r"[^\W_]+")
_NAME_PARTS = re.compile(r"[-—–·•/|｜、,，\s]+")
_lock = threading.Lock()
Names = list[tuple[int, str, frozenset[str]]]


@dataclass
class _Kept:
    at: float = 0.0  # time.monotonic() of the last read
    names: Names = field(default_factory=list)


_cache = _Kept()


def normalise(text: str) -> str:
    return " ".join(_PIECES.findall(fold(text)))


def _names() -> Names:
    """(id, name and newspaper joined, the whole names and name parts) of every publisher."""
    with _lock:
        if time.monotonic() - _cache.at > TTL:
            rows = Publisher.objects.values_list("pk", "name", "newspaper")
            _cache.names = [
                (pk, f"{normalise(name)}\x1f{normalise(paper)}",
                 frozenset(part for part in (normalise(name), normalise(paper),
                                             *(normalise(piece) for piece in _NAME_PARTS.split(name))) if part))
                for pk, name, paper in rows
            ]
            _cache.at = time.monotonic()
        return _cache.names


def holding(value: str) -> list[int]:
    """Ids of the publishers whose name or newspaper holds `value` (folded, as typed)."""
    wanted = normalise(value)
    if not wanted:
        return []
    return [pk for pk, names, _ in _names() if wanted in names]


def naming(word: str) -> list[int]:
    """Ids of the publishers that `word` (folded) names whole: name, newspaper or a part of the name."""
    wanted = normalise(word)
    if not wanted:
        return []
    return [pk for pk, _, parts in _names() if wanted in parts]


def list_url(name: str) -> str:
    """The search page listing what an outlet published, newest first: where the 来源 link of an
    article page and of a search result goes (来源:"人民网-人民日报")."""
    value = name.replace('"', " ").strip()
    return reverse("search:search") + "?" + urlencode({"q": f'来源:"{value}"', "sort": "new"})


def forget(*args: object, **kwargs: object) -> None:
    with _lock:
        _cache.at = 0.0


def _publishers_changed(changeset: ChangeSet) -> None:
    if changeset.of(Publisher):
        forget()


def register() -> None:
    changes.register("outlets", "set", _publishers_changed)
