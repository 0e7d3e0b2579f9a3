"""The interface every search backend implements.

A backend owns the full-text index of published articles (one row per article, keyed by the
article's id) and answers two kinds of question:

- `matches(query)`: a QuerySet of index rows (pk = article id) matching a parsed query, annotated
  with `rank` (lower is better). The caller joins it to Article.objects.visible() with a
  correlated EXISTS, so the index never decides what is public.
- `candidates(terms, around, limit)`: ids of articles containing any of `terms`, the nearest
  ids below and above `around` first, for 相关阅读; the scan stops after `limit`, so its cost
  is bounded whatever the terms.

Tokens reaching a backend are letters and digits only (huiwen.search.text), and backends still
quote every one of them.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connections
from django.db.models import QuerySet

from huiwen.search.query import ParsedQuery

# BM25 column weights: a match in the title counts this many times a match in the body.
TITLE_WEIGHT = 5.0


@dataclass(frozen=True)
class Fields:
    """What the index holds for one article: word and character streams of title and body."""

    article_id: int
    title: Sequence[str]  # text.segment: words and the dictionary words inside them
    body: Sequence[str]
    title_chars: Sequence[str]  # text.characters: single Han characters, Latin words whole
    body_chars: Sequence[str]

    @property
    def words(self) -> set[str]:
        return set(self.title) | set(self.body)


class SearchBackend(ABC):
    vendor: str = ""

    def __init__(self, alias: str = "default") -> None:
        self.alias = alias
        if connections[alias].vendor != self.vendor:
            raise ValueError(f"{type(self).__name__} needs a {self.vendor} database, not {connections[alias].vendor}")

    @property
    def connection(self):
        return connections[self.alias]

    # Writing the index.
    @abstractmethod
    def replace(self, fields: Fields) -> None:
        """Index (or re-index) one article."""

    @abstractmethod
    def bulk_insert(self, rows: Iterable[Fields]) -> None:
        """Add articles known not to be in the index yet (rebuilds)."""

    @abstractmethod
    def remove(self, article_ids: Sequence[int]) -> None: ...

    @abstractmethod
    def clear(self) -> None: ...

    def optimize(self) -> None:  # noqa: B027 - optional for backends
        """Tidy the index after a bulk load (merge segments, refresh planner statistics)."""

    @abstractmethod
    def indexed_tokens(self, article_id: int) -> set[str] | None:
        """The distinct word-stream tokens the index holds for an article, or None when not indexed."""

    @abstractmethod
    def count(self) -> int: ...

    # Reading it.
    @abstractmethod
    def matches(self, query: ParsedQuery, *, ranked: bool = True) -> QuerySet:
        """Index rows matching `query`, pk = article id, annotated `rank` (lower is better) if ranked."""

    @abstractmethod
    def candidates(self, terms: Sequence[str], around: int, limit: int) -> list[int]:
        """Ids of articles containing any of `terms`: up to limit/2 just below `around`, the rest above."""
