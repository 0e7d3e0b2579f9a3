"""The dedicated-engine anchor of bench/search.py: tantivy (the Rust Lucene, PyPI `tantivy`),
fed exactly the tokens huiwen's index holds, asked the same queries.

Each article becomes a tantivy document with the five token streams of search.backends.base.Fields
(title and body words, title and body bigrams, filter tokens) joined by spaces: our tokens are
letters and digits only, so tantivy's default tokenizer reads them back unchanged (it lowercases,
as fold() already did). Filter tokens lose the private-use mark SQLite needs: they have a field of
their own here. A query is translated term for term from the same Match huiwen's backend gets:

- a WORD term: the token in any of the four text fields (title fields boosted 5×, as FTS5's bm25 weights);
- a GRAMS term: the phrase of its bigrams in title_chars or body_chars (a prefix phrase when its
  last token is a lone character);
- filter groups: one of their tokens or phrases in the meta field, all groups required;
- exclusions: must-not; a term's alternatives (publishers naming it): an OR beside it.

Ranking is tantivy's BM25 over every match (no window), newest first is `order_by_field="id"`.
Benchmark-only: not a dependency of huiwen (pip install tantivy, see docs/benchmarks.md).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

import tantivy

from huiwen.search.backends.base import TITLE_WEIGHT, Fields, Match, Phrase
from huiwen.search.query import WORD, Term

TEXT_FIELDS = ("title", "body", "title_chars", "body_chars")


class Anchor:
    def __init__(self, folder: Path) -> None:
        builder = tantivy.SchemaBuilder()
        builder.add_unsigned_field("id", stored=True, fast=True, indexed=True)
        for name in (*TEXT_FIELDS, "meta"):
            builder.add_text_field(name, stored=False, tokenizer_name="default", index_option="position")
        self.schema = builder.build()
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        self.index = tantivy.Index(self.schema, path=str(folder))
        self.searcher: tantivy.Searcher | None = None

    def add(self, rows: Iterable[Fields]) -> int:
        writer = self.index.writer(heap_size=512_000_000, num_threads=2)
        count = 0
        for fields in rows:
            document = tantivy.Document()
            document.add_unsigned("id", fields.article_id)
            for name, tokens in (("title", fields.title), ("body", fields.body), ("title_chars", fields.title_chars),
                                 ("body_chars", fields.body_chars), ("meta", fields.meta)):
                document.add_text(name, " ".join(tokens))
            writer.add_document(document)
            count += 1
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()
        return count

    # -- queries ------------------------------------------------------------------------------

    def _term(self, term: Term, alternatives=()) -> tantivy.Query:
        if term.kind == WORD:
            token = term.tokens[0].lower()
            parts = []
            for name in TEXT_FIELDS:
                query = tantivy.Query.term_query(self.schema, name, token)
                if name.startswith("title"):
                    query = tantivy.Query.boost_query(query, TITLE_WEIGHT)
                parts.append((tantivy.Occur.Should, query))
            found = tantivy.Query.boolean_query(parts)
        else:
            found = tantivy.Query.boolean_query([
                (tantivy.Occur.Should, self._phrase(name, term.tokens, term.prefix))
                for name in ("title_chars", "body_chars")
            ])
        if alternatives:
            found = tantivy.Query.boolean_query(
                [(tantivy.Occur.Should, found), (tantivy.Occur.Should, self._group(alternatives))])
        return found

    def _phrase(self, field: str, tokens, prefix: bool) -> tantivy.Query:
        tokens = [token.lower() for token in tokens]
        if prefix:
            return tantivy.Query.phrase_prefix_query(self.schema, field, tokens)
        if len(tokens) == 1:
            return tantivy.Query.term_query(self.schema, field, tokens[0])
        return tantivy.Query.phrase_query(self.schema, field, tokens)

    def _group(self, group) -> tantivy.Query:
        parts = []
        for item in group:
            if isinstance(item, Phrase):
                parts.append((tantivy.Occur.Should, self._phrase("meta", item.tokens, item.prefix)))
            else:
                parts.append((tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "meta", item.lower())))
        return tantivy.Query.boolean_query(parts)

    def query(self, match: Match) -> tantivy.Query:
        parts = [(tantivy.Occur.Must, self._term(term, match.alternatives.get(term, ())))
                 for term in match.query.include]
        parts += [(tantivy.Occur.Must, self._group(group)) for group in match.groups]
        for group in match.query.exclude:
            excluded = tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, self._term(term, match.alternatives.get(term, ()))) for term in group])
            parts.append((tantivy.Occur.MustNot, excluded))
        parts += [(tantivy.Occur.MustNot, self._group(group)) for group in match.excluded]
        if all(occur == tantivy.Occur.MustNot for occur, _ in parts):
            parts.append((tantivy.Occur.Must, tantivy.Query.all_query()))
        return tantivy.Query.boolean_query(parts)

    def search(self, match: Match, limit: int = 20, newest: bool = False) -> tuple[list[int], int]:
        """The best `limit` ids (by BM25, or newest first) and the number of matches."""
        assert self.searcher is not None
        query = self.query(match)
        if newest:
            result = self.searcher.search(query, limit, count=True, order_by_field="id")
        else:
            result = self.searcher.search(query, limit, count=True)
        ids = [self.searcher.doc(address)["id"][0] for _, address in result.hits]
        return ids, result.count
