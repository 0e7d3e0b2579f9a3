"""Keeping the index, the document frequencies and the term profiles in step with the articles.

Only published articles are indexed (embargoed ones too: their time comes without a save);
whether a reader may see one is still decided at query time by Article.objects.visible().
"""

from __future__ import annotations

import hashlib
import marshal
import struct
import tempfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.db import connections, transaction
from django.db.models import F

from huiwen.newsroom.models import Article, Publisher
from huiwen.newsroom.rows import insert_rows
from huiwen.newsroom.text import html_to_text
from huiwen.search import meta
from huiwen.search.backends import get_backend
from huiwen.search.backends.base import Fields
from huiwen.search.models import Profile, TermStat
from huiwen.search.terms import (
    MAX_TERM_LENGTH,
    Analysed,
    analyse,
    name_terms,
    profile_terms,
    term_counts,
    unspace,
)
from huiwen.text.chinese import fold, grams, segment

ARTICLE_COUNT = ""  # TermStat row holding the number of indexed articles
Row = dict[str, Any]  # an article as the index reads it: the values of READS (+ publisher_name)
Progress = Callable[[str, int], None]  # told each stage's name and how many articles it has done
# What indexing reads of an article (a change to any of them re-indexes it).
READS = (
    "pk", "title", "original_title", "lede", "body", "channel_id", "publisher_id", "published_at", "story_id",
    "original_author", "source_editor", "column", "print_newspaper",
)


@dataclass(frozen=True)
class Document:
    fields: Fields  # what the index holds
    counts: Counter[str]  # the profile's term counts (terms.term_counts)
    names: set[str]  # which of those terms are names


@dataclass(frozen=True)
class Texts:
    """An article's folded text in the parts relatedness weighs differently."""

    title: str
    lede: str  # the article's lede, or its first paragraph when it has none
    body: str  # the rest

    @property
    def searched_body(self) -> str:
        return f"{self.lede}\n{self.body}" if self.lede else self.body


def texts(title: str, original_title: str, lede: str, body: str) -> Texts:
    heading = title if not original_title or original_title == title else f"{title} {original_title}"
    text = unspace(html_to_text(body))
    if not lede:
        lede, _, text = text.partition("\n")
    return Texts(fold(unspace(heading)), fold(unspace(lede)), fold(text))


def attribution(row: Row) -> list[str]:
    """The attribution lines of an article (left out of its profile: they are not its subject)."""
    return [row.get("original_author") or "", row.get("source_editor") or "", row.get("publisher_name") or ""]


def _analysed(row: Row) -> tuple[Texts, Analysed, Analysed, Analysed]:
    parts = texts(row["title"], row["original_title"], row["lede"], row["body"])
    return parts, analyse(parts.title), analyse(parts.lede), analyse(parts.body)


def document(row: Row) -> Document:
    """The index entry and profile counts of an article given as a dict of READS (+ publisher_name)."""
    parts, title, lede, body = _analysed(row)
    # The attribution lines the page shows are found by plain words too (沈嘉禾, 人民日报), and
    # by field (作者:…, 来源:…) through their meta tokens; they are no part of the profile.
    byline = fold(" ".join(value for value in (row["original_author"], row["print_newspaper"]) if value))
    fields = Fields(
        row["pk"],
        segment(parts.title, folded=True) + title.unknown,
        segment(f"{parts.searched_body}\n{byline}", folded=True) + lede.unknown + body.unknown,
        title.grams,
        lede.grams + body.grams + grams(byline, folded=True),
        meta.document_tokens(row["channel_id"], row["publisher_id"], row["published_at"])
        + meta.field_tokens(row["original_author"], row["column"], row["print_newspaper"]),
    )
    counts = term_counts(title, lede, body, leave_out=name_terms(attribution(row)))
    return Document(fields, counts, title.names | lede.names | body.names)


def signature(row: Row) -> str:
    parts = [row[name] for name in READS[1:]]
    if row["published_at"] is not None:
        parts[READS.index("published_at") - 1] = row["published_at"].timestamp()
    return hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=16).hexdigest()


def as_row(article: Article, publisher_name: str = "") -> Row:
    row = {name: getattr(article, name) for name in READS}
    row["publisher_name"] = publisher_name
    return row


def stored_profile(counts: Counter[str], names: set[str], df: dict[str, int], total: int) -> dict[str, Any]:
    """What Profile.terms holds: the weights, and which of the weighted terms are names."""
    weights = profile_terms(counts, df, total)
    return {"w": weights, "n": sorted(names & weights.keys())}


class ProfileSpill:
    """What the first pass of a rebuild learnt for the second: each article's profile counts, names
    and signature, written to a file a batch at a time and read back in the same order.

    The profiles need the final document frequencies, so they are written in a second pass; without
    the spill that pass would read every article again and cut its text a second time, which was
    nearly half of a rebuild's time. A batch is one marshal record compressed with zlib, about a
    kilobyte per article.
    """

    _LENGTH = struct.Struct("<I")

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file

    def write(self, rows: list[Row], docs: list[Document]) -> None:
        record = [(row["pk"], signature(row), dict(doc.counts), sorted(doc.names))
                  for row, doc in zip(rows, docs, strict=True)]
        packed = zlib.compress(marshal.dumps(record), 1)
        self.file.write(self._LENGTH.pack(len(packed)))
        self.file.write(packed)

    def read(self) -> Iterator[list[tuple[int, str, Counter[str], set[str]]]]:
        """The batches as written, from the start of the file."""
        self.file.flush()
        self.file.seek(0)
        while header := self.file.read(self._LENGTH.size):
            (length,) = self._LENGTH.unpack(header)
            record = marshal.loads(zlib.decompress(self.file.read(length)))
            yield [(pk, sig, Counter(counts), set(names)) for pk, sig, counts, names in record]


def spilled_profiles(spill: ProfileSpill, df: dict[str, int], total: int) -> Iterator[list[Profile]]:
    """The second pass of a rebuild: the spilled articles' profiles with the final frequencies, a batch at a time."""
    for batch in spill.read():
        yield [Profile(article_id=pk, terms=stored_profile(counts, names, df, total), signature=sig)
               for pk, sig, counts, names in batch]


def document_frequencies(terms: Iterable[str], using: str = "default") -> tuple[dict[str, int], int]:
    wanted = [term for term in set(terms) if len(term) <= MAX_TERM_LENGTH] + [ARTICLE_COUNT]
    rows = get_backend(using).frequencies(wanted)
    return rows, max(rows.pop(ARTICLE_COUNT, 0), 1)


def _adjust_df(added: Counter[str], removed: Counter[str], articles: int, using: str) -> None:
    """Add to or take from the document frequencies: `added[term]` more documents hold the term,
    `removed[term]` fewer, and the number of indexed articles changes by `articles`."""
    added = Counter({term: n for term, n in added.items() if len(term) <= MAX_TERM_LENGTH and n > 0})
    removed = Counter({term: n for term, n in removed.items() if len(term) <= MAX_TERM_LENGTH and n > 0})
    get_backend(using).adjust_frequencies(added, removed, articles, ARTICLE_COUNT)


def index_article(article: Article, *, using: str = "default") -> bool:
    """(Re-)index a published article. False when nothing it depends on changed since last time."""
    return bool(index_many([article], using=using))


def index_many(articles: Iterable[Article], *, using: str = "default") -> list[int]:
    """(Re-)index published articles together; the ids of those whose index entry changed.

    One pass for the lot (a collector's batch): the index rows, the document frequencies and the
    term profiles are each written in one statement or batch, and the profiles of the batch are
    weighted with frequencies that already count every article in it, as a rebuild would.
    """
    by_id = {article.pk: article for article in articles}
    if not by_id:
        return []
    publisher_ids = {article.publisher_id for article in by_id.values() if article.publisher_id is not None}
    publishers = dict(Publisher.objects.using(using).filter(pk__in=publisher_ids).values_list("pk", "name"))
    rows = {pk: as_row(article, publishers.get(article.publisher_id or 0, "")) for pk, article in by_id.items()}
    known = dict(Profile.objects.using(using).filter(pk__in=list(by_id)).values_list("pk", "signature"))
    signatures = {pk: signature(row) for pk, row in rows.items()}
    todo = [row for pk, row in rows.items() if known.get(pk) != signatures[pk]]
    if not todo:
        return []
    backend = get_backend(using)
    docs = [document(row) for row in todo]
    added: Counter[str] = Counter()
    removed: Counter[str] = Counter()
    new_articles = 0
    with transaction.atomic(using=using):
        old_tokens = backend.indexed_tokens_many([doc.fields.article_id for doc in docs])
        backend.remove(list(old_tokens))
        backend.bulk_insert(doc.fields for doc in docs)
        backend.settle()
        for doc in docs:
            old, new = old_tokens.get(doc.fields.article_id), doc.fields.words
            if old is None:
                new_articles += 1
                added.update(new)
            else:
                added.update(new - old)
                removed.update(old - new)
        _adjust_df(added, removed, new_articles, using)
        df, total = document_frequencies({term for doc in docs for term in doc.counts}, using)
        ids = [doc.fields.article_id for doc in docs]
        Profile.objects.using(using).filter(pk__in=ids).delete()
        backend.forget_profile_terms(ids)
        profiles = {doc.fields.article_id: stored_profile(doc.counts, doc.names, df, total) for doc in docs}
        # Plain executemany: a batch writes a profile per article.
        as_json = Profile._meta.get_field("terms").get_db_prep_save
        db = connections[using]
        insert_rows(Profile, ("article_id", "terms", "signature", "related_at"), [
            (pk, as_json(terms, db), signatures[pk], None) for pk, terms in profiles.items()
        ], using)
        backend.store_profile_terms((pk, terms["w"]) for pk, terms in profiles.items())
    return ids


def save_profiles(profiles: list[Profile], using: str = "default") -> None:
    """Write new profiles (a rebuild's) and enter their terms for 相关阅读's candidates."""
    Profile.objects.using(using).bulk_create(profiles)
    get_backend(using).store_profile_terms((profile.article_id, profile.terms["w"]) for profile in profiles)


def unindex_article(article_id: int, *, using: str = "default") -> bool:
    """Take an article out of the index. False when it was not in it."""
    backend = get_backend(using)
    with transaction.atomic(using=using):
        old_tokens = backend.indexed_tokens(article_id)
        Profile.objects.using(using).filter(pk=article_id).delete()
        backend.forget_profile_terms([article_id])
        if old_tokens is None:
            return False
        backend.remove([article_id])
        _adjust_df(Counter(), Counter(old_tokens), -1, using)
    return True


def _published(using: str, chunk: int) -> Iterator[list[Row]]:
    """The published articles as dicts of READS (+ publisher_name), in batches."""
    rows = (
        Article.objects.using(using)
        .filter(status=Article.Status.PUBLISHED)
        .order_by("pk")
        .values(*READS, publisher_name=F("publisher__name"))
    )
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last)[:chunk])
        if not batch:
            return
        yield batch
        last = batch[-1]["pk"]


def rebuild(*, using: str = "default", chunk: int = 1000, progress: Progress | None = None) -> int:
    """Rebuild the index, the document frequencies and the profiles from scratch. Returns the count.

    Two passes: the first reads the published articles, writes the index, counts document
    frequencies and spills each article's profile counts; the second (which needs the final
    frequencies) writes the term profiles from the spill.
    Stored 相关阅读 lists are dropped and recomputed as articles are viewed or saved (or all
    at once with `search_index --related`).
    """
    from huiwen.search.models import RelatedArticle

    backend = get_backend(using)
    with transaction.atomic(using=using):
        backend.clear()
        TermStat.objects.using(using).all().delete()
        Profile.objects.using(using).all().delete()
        backend.forget_profile_terms(None)
        RelatedArticle.objects.using(using).all().delete()
    if progress:
        progress("cleared", 0)
    df: Counter[str] = Counter()
    total = 0
    with tempfile.TemporaryFile(prefix="huiwen-rebuild-") as file:
        spill = ProfileSpill(file)
        for batch in _published(using, chunk):
            docs = [document(row) for row in batch]
            for doc in docs:
                df.update(term for term in doc.fields.words if len(term) <= MAX_TERM_LENGTH)
            with transaction.atomic(using=using):
                backend.bulk_insert(doc.fields for doc in docs)
            spill.write(batch, docs)
            total += len(docs)
            if progress:
                progress("index", total)
        with transaction.atomic(using=using):
            stats = [TermStat(term=term, df=count) for term, count in df.items()]
            stats.append(TermStat(term=ARTICLE_COUNT, df=total))
            TermStat.objects.using(using).bulk_create(stats, batch_size=5000)
        done = 0
        for profiles in spilled_profiles(spill, df, max(total, 1)):
            with transaction.atomic(using=using):
                save_profiles(profiles, using)
            done += len(profiles)
            if progress:
                progress("profiles", done)
    backend.optimize()
    return total
