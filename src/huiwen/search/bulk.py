"""Rebuilding the search index with several processes (PostgreSQL), for archives of a million articles.

The same two passes as indexing.rebuild, split by article id range over N processes:

1. every process segments its articles, writes their index rows (the backend's bulk_insert) and
   spills their profile counts to a file of its range (indexing.ProfileSpill), and returns its
   document frequencies; the parent adds them up and writes TermStat;
2. every process writes the term profiles of its range from its spill, with those final frequencies.

Segmentation and literal building are Python (one core each), so the work spreads over
processes; PostgreSQL takes the concurrent inserts. The GIN index is dropped for the load and
built once at the end, which is several times faster than maintaining it row by row, then the
tables are vacuumed (the visibility map lets counts skip the table) and analysed. The statements
for all of that are the PostgreSQL backend's (search.backends.postgres); this module only plans.

SQLite has one writer, so there `rebuild()` falls back to indexing.rebuild.
"""

from __future__ import annotations

import itertools
import multiprocessing
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from django.db import connection, connections, transaction
from django.db.models import F

from huiwen.newsroom.models import Article
from huiwen.search import indexing
from huiwen.search.backends import get_backend
from huiwen.search.backends.base import PROFILE_TERMS
from huiwen.search.backends.postgres import PostgresBackend
from huiwen.search.models import Profile, RelatedArticle, TermStat
from huiwen.search.terms import MAX_TERM_LENGTH

TASKS_PER_PROCESS = 4  # smaller ranges than processes, so a slow range does not hold the others up

# Set in the parent before the second pass forks: the processes inherit the frequencies.
_frequencies: dict[str, int] = {}
_total = 0


def _ranges(backend: PostgresBackend, parts: int) -> list[tuple[int, int]]:
    """(low, high] id ranges of about equal numbers of published articles."""
    edges = [0, *backend.id_quantiles(parts, Article.Status.PUBLISHED)]
    return [(low, high) for low, high in itertools.pairwise(edges) if high > low]


def _rows(low: int, high: int, chunk: int) -> Iterator[list[indexing.Row]]:
    """The published articles with ids in (low, high], as indexing.rebuild reads them, in batches."""
    rows = (
        Article.objects.filter(status=Article.Status.PUBLISHED, pk__gt=low, pk__lte=high)
        .order_by("pk")
        .values(*indexing.READS, publisher_name=F("publisher__name"))
    )
    last = low
    while True:
        batch = list(rows.filter(pk__gt=last)[:chunk])
        if not batch:
            return
        yield batch
        last = batch[-1]["pk"]


def _forget_inherited_connections() -> None:
    """Pool initializer: drop (never close) the database handles a forked process inherits.

    The parent closes its connections before forking, but a handle opened by another thread of the
    parent (a test server, an in-process task) would otherwise be shared by every child: two
    processes writing into one socket corrupt each other's protocol state. Closing it here would
    send a Terminate message on the parent's socket, so the handle is only forgotten."""
    for wrapper in connections.all(initialized_only=True):
        wrapper.connection = None
        wrapper.in_atomic_block = False
        wrapper.savepoint_ids = []
        wrapper.needs_rollback = False
        wrapper.closed_in_transaction = False


def _spill_path(folder: str, low: int, high: int) -> Path:
    return Path(folder, f"{low}-{high}.spill")


def _index_range(task: tuple[int, int, int, str]) -> tuple[int, Counter[str]]:
    low, high, chunk, folder = task
    backend = get_backend()
    df: Counter[str] = Counter()
    count = 0
    with _spill_path(folder, low, high).open("wb") as file:
        spill = indexing.ProfileSpill(file)
        for batch in _rows(low, high, chunk):
            docs = [indexing.document(row) for row in batch]
            for doc in docs:
                df.update(term for term in doc.fields.words if len(term) <= MAX_TERM_LENGTH)
            with transaction.atomic():
                backend.bulk_insert(doc.fields for doc in docs)
            spill.write(batch, docs)
            count += len(docs)
    connections.close_all()
    return count, df


def _profile_range(task: tuple[int, int, int, str]) -> int:
    low, high, _, folder = task
    count = 0
    with _spill_path(folder, low, high).open("rb") as file:
        for profiles in indexing.spilled_profiles(indexing.ProfileSpill(file), _frequencies, _total):
            with transaction.atomic():
                indexing.save_profiles(profiles)
            count += len(profiles)
    connections.close_all()
    return count


def rebuild(*, workers: int = 2, chunk: int = 1000, progress: indexing.Progress | None = None) -> int:
    """Rebuild index, document frequencies and profiles with `workers` processes. Returns the count."""
    global _frequencies, _total
    if connection.vendor != "postgresql" or workers < 2:
        return indexing.rebuild(chunk=chunk, progress=progress)
    report = progress or (lambda stage, done: None)
    backend = get_backend()
    if not isinstance(backend, PostgresBackend):  # another engine configured on PostgreSQL
        return indexing.rebuild(chunk=chunk, progress=progress)
    with transaction.atomic():
        backend.clear()
        TermStat.objects.all().delete()
        Profile.objects.all().delete()
        backend.forget_profile_terms(None)
        RelatedArticle.objects.all().delete()
    backend.drop_match_index()
    report("cleared", 0)
    with tempfile.TemporaryDirectory(prefix="huiwen-rebuild-") as folder:
        tasks = [(low, high, chunk, folder) for low, high in _ranges(backend, workers * TASKS_PER_PROCESS)]
        context = multiprocessing.get_context("fork")
        df: Counter[str] = Counter()
        total = 0
        connections.close_all()  # the processes open their own connections
        with context.Pool(workers, initializer=_forget_inherited_connections) as pool:
            for count, part in pool.imap_unordered(_index_range, tasks):
                total += count
                df.update(part)
                report("index", total)
        backend.build_match_index()
        report("gin", total)
        with transaction.atomic():
            stats = [TermStat(term=term, df=count) for term, count in df.items()]
            stats.append(TermStat(term=indexing.ARTICLE_COUNT, df=total))
            TermStat.objects.bulk_create(stats, batch_size=5000)
        _frequencies, _total = dict(df), max(total, 1)
        connections.close_all()
        done = 0
        with context.Pool(workers, initializer=_forget_inherited_connections) as pool:
            for count in pool.imap_unordered(_profile_range, tasks):
                done += count
                report("profiles", done)
        _frequencies, _total = {}, 0
    backend.vacuum(Profile._meta.db_table, TermStat._meta.db_table, PROFILE_TERMS)
    report("vacuumed", done)
    return total
