"""The dedicated-engine anchor of bench/search.py: tantivy (the Rust Lucene, PyPI `tantivy`),
fed exactly the tokens huiwen's index holds, asked the same queries.

Schema, analyzer and query translation are huiwen's own tantivy ranking engine's
(huiwen.search.backends.tantivy_engine): one document per article with the four token streams and
the filter tokens, a WORD term in any text field (title fields boosted as FTS5's bm25 weights),
a GRAMS term as the phrase of its bigrams, filter groups in `meta`. This is tantivy alone: no
change log, no visibility rule, its own folder, an exact count.

Ranking is tantivy's BM25 over every match (no window), newest first is `order_by_field="id"`.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

import tantivy

from huiwen.search.backends.base import Fields, Match
from huiwen.search.backends.tantivy_engine import Translator, documents, register, schema


class Anchor:
    def __init__(self, folder: Path) -> None:
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        self.index = tantivy.Index(schema(), path=str(folder))
        register(self.index)
        self.translator = Translator(self.index.schema)
        self.searcher: tantivy.Searcher | None = None

    def add(self, rows: Iterable[Fields]) -> int:
        writer = self.index.writer(heap_size=512_000_000, num_threads=2)
        count = 0
        for document in documents(rows):
            writer.add_document(document)
            count += 1
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()
        return count

    def query(self, match: Match) -> tantivy.Query:
        return self.translator.query(match)

    def search(self, match: Match, limit: int = 20, newest: bool = False) -> tuple[list[int], int]:
        """The best `limit` ids (by BM25, or newest first) and the number of matches."""
        assert self.searcher is not None
        query = self.query(match)
        if newest:
            result = self.searcher.search(query, limit, count=True, order_by_field="id")
        else:
            result = self.searcher.search(query, limit, count=True)
        if newest:
            ids = [key for key, _ in result.hits]
        else:
            ids = self.searcher.fast_field_values("id", [address for _, address in result.hits])
        return ids, result.count
