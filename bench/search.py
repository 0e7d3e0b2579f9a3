"""Search and 相关阅读 at scale: 200,000 articles, generated or made from real pages, with LIKE
and tantivy as anchors in the same run.

Two corpora (--corpus): `generated` (bench/corpus/generate.py, authored fictional text on 20
topics) and `real` (bench/corpus/real.py: the real Chinese pages of ../shared/corpus, read at run
time, repeated and varied to scale: sentences reordered and borrowed between pages on one subject,
numbers and title words changed; real outlets, authors and print citations, Simplified and
Traditional), each with its own query set drawn from its text.

Measures, on one database (a fresh SQLite file by default, or PostgreSQL with --database-url):

- corpus load (bulk insert, no indexing) and the index build: `huiwen search_index --rebuild`'s
  code (index + document frequencies, then term profiles), in articles per second;
- search latency over --queries generated queries (one or two topic words, a word and a place,
  quoted phrases, exclusions, Traditional script, some with a channel or date filter or
  newest-first order), through huiwen.search.service.run: the page's whole path except the
  template (index match, visibility through Article.objects.visible(), count, 20 hits loaded,
  titles and snippets highlighted);
- the same for LIKE on the first --like-queries of those queries (every word as
  `title LIKE %w% OR body LIKE %w%`, AND-ed, exclusions NOT-ed, same filters, newest first,
  count and 20 rows), compared query for query with ours on that subset;
- tantivy (bench/tantivy_anchor.py), fed the tokens huiwen's index holds, on every query (top 20
  and the match count), compared query by query with ours (SQLite only);
- 相关阅读 computation (related.refresh: candidates, scoring, storing, offering) for
  --related random articles;
- memory: the process's peak RSS, and the database's size with the index's share.

The corpus (bench/corpus/generate.py) is built from authored, fictional text: 20 topics,
30-56 sentences per article (about 1,000 characters), two years of publication times.

    .venv/bin/python bench/search.py [--corpus generated|real] [--articles 200000] [--queries 1000]
        [--like-queries 100] [--related 1000] [--data-dir var/bench-search] [--reuse] [--no-tantivy]
        [--database-url postgres://...] [--index-workers N] [--explain] [--replicate-to N]

--replicate-to N (PostgreSQL) copies the indexed corpus in SQL until the database holds N articles:
articles, index rows, ranking vectors, profiles and document frequencies, each copy under new ids
with the same dates, so a million articles can be measured without segmenting a million texts on a
small machine. Posting lists, date densities and candidate neighbourhoods scale as they would; the
texts repeat (say so when quoting such a run). --index-workers N builds the index in N processes
(PostgreSQL; huiwen.search.bulk); --explain
prints PostgreSQL's EXPLAIN ANALYZE of the backend's queries for a common word, a date-filtered
query, a phrase and a 相关阅读 candidate search (the plans quoted in docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _django


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(values: list[float]) -> str:
    return (f"p50 {percentile(values, 0.5):.2f} ms, p95 {percentile(values, 0.95):.2f} ms, "
            f"p99 {percentile(values, 0.99):.2f} ms, mean {statistics.mean(values):.2f} ms")


class Clock:
    """Wall time and this process's CPU time of each timed step, in ms. On a machine shared with
    other work the CPU time is what the step cost; the wall time adds the waits for a core."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []
        self._started = (0.0, 0.0)

    def start(self) -> None:
        self._started = (time.perf_counter(), time.process_time())

    def stop(self) -> None:
        self.wall.append((time.perf_counter() - self._started[0]) * 1000)
        self.cpu.append((time.process_time() - self._started[1]) * 1000)

    def cpu_summary(self) -> str:
        return f"CPU p50 {percentile(self.cpu, 0.5):.2f} ms, p95 {percentile(self.cpu, 0.95):.2f} ms"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_queries(count: int, seed: int) -> list[dict]:
    import opencc

    from corpus.topics import CHANNELS, EXTRA_QUERIES, PLACES, TOPICS

    to_traditional = opencc.OpenCC("s2twp")
    rng = random.Random(seed)
    queries: list[dict] = [{"q": text} for text in EXTRA_QUERIES]
    while len(queries) < count:
        topic = rng.choice(TOPICS)
        first, second = rng.sample(topic["terms"], 2)
        roll = rng.random()
        if roll < 0.45:
            text = first
        elif roll < 0.70:
            text = f"{first} {second}"
        elif roll < 0.80:
            text = f"{rng.choice(PLACES)} {first}"
        elif roll < 0.87:
            text = f'"{first}"'
        elif roll < 0.93:
            text = f"{first} -{second}"
        else:
            text = to_traditional.convert(f"{first} {second}")
        query: dict = {"q": text}
        extra = rng.random()
        if extra < 0.10:
            query["channel"] = rng.choice(list(CHANNELS))
        elif extra < 0.15:
            query["days"] = rng.choice([7, 30, 90])
        elif extra < 0.25:
            query["order"] = "new"
        queries.append(query)
    return queries[:count]


def load_corpus(kind: str, count: int, seed: int, skip: int = 0) -> float:
    """Bulk-insert the corpus's articles; `skip` leaves out the first ones (already loaded: the
    streams are seeded, so article n is the same in every run)."""
    from django.db import transaction
    from django.utils import timezone

    from huiwen.newsroom.models import Article
    from huiwen.newsroom.text import html_to_text, make_excerpt

    started = time.perf_counter()
    batch: list[Article] = []
    for number, article in enumerate(corpus_articles(kind, count, seed)):
        if number < skip:
            continue
        article.excerpt = make_excerpt(html_to_text(article.body), 200, ellipsis="")
        article.published_at = timezone.make_aware(article.published_at)
        article.status = Article.Status.PUBLISHED
        batch.append(article)
        if len(batch) == 5000:
            with transaction.atomic():
                Article.objects.bulk_create(batch)
            batch = []
            if (number + 1) % 50000 == 0:
                print(f"  loaded {number + 1}", flush=True)
    if batch:
        with transaction.atomic():
            Article.objects.bulk_create(batch)
    return time.perf_counter() - started


def channels_of(kind: str) -> dict:
    """Channel key → Channel: the generated corpus's flat topics, or the seed's tree for real pages."""
    from huiwen.newsroom.models import Channel

    if kind == "real":
        from huiwen.newsroom import demo

        demo._load_channels(demo.LoadReport())
        return {channel.path: channel for channel in Channel.objects.all()}
    from corpus.topics import CHANNELS

    return {key: Channel.objects.get_or_create(slug=key, defaults={"name": name})[0] for key, name in CHANNELS.items()}


def corpus_articles(kind: str, count: int, seed: int):
    """Unsaved articles of the corpus (published_at naive)."""
    from huiwen.newsroom.models import Article, Publisher

    channels = channels_of(kind)
    if kind == "generated":
        from corpus.generate import scale_corpus

        names = ("澄州日报", "澜山晚报", "青禾网", "北山周刊")
        publishers = [Publisher.objects.get_or_create(name=name)[0] for name in names]
        for number, item in enumerate(scale_corpus(count, seed)):
            yield Article(title=item.title[:200], body=item.body, channel=channels[item.channel],
                          publisher=publishers[number % len(publishers)], published_at=item.published_at)
        return
    from corpus import real

    publishers: dict[str, Publisher] = {}
    for item in real.scale(count, seed):
        name = item.source or "未署名来源"
        if name not in publishers:
            publishers[name] = Publisher.objects.get_or_create(name=name[:80])[0]
        yield Article(
            title=item.title, body=item.body, channel=channels[item.channel], publisher=publishers[name],
            original_author=item.author, print_newspaper=item.print_newspaper,
            print_date=item.published_at.date() if item.print_newspaper else None,
            published_at=item.published_at,
        )


def stored_fields(using: str = "default"):
    """Every indexed article's token streams, read back from the SQLite backend's token store."""
    from django.db import connections

    from huiwen.search.backends.base import Fields
    from huiwen.search.backends.sqlite import META, TOKENS, _unpack

    last = 0
    with connections[using].cursor() as cursor:
        while True:
            cursor.execute(f"SELECT rowid, data FROM {TOKENS} WHERE rowid > %s ORDER BY rowid LIMIT 2000", [last])
            rows = cursor.fetchall()
            if not rows:
                return
            for rowid, data in rows:
                title, body, title_chars, body_chars, meta = (column.split() for column in _unpack(data))
                yield Fields(rowid, title, body, title_chars, body_chars, [token.removeprefix(META) for token in meta])
            last = rows[-1][0]


def like_run(query: dict, filters, limit: int = 20) -> int:
    from django.db.models import Q

    from huiwen.search import service

    articles = service.visible_articles(filters)
    for chunk in query["q"].replace('"', " ").split():
        negative = chunk.startswith("-")
        word = chunk.lstrip("-")
        if not word:
            continue
        if word.startswith(("来源:", "作者:")):
            name, _, value = word.partition(":")
            condition = (Q(publisher__name__contains=value) | Q(print_newspaper__contains=value)) if name == "来源" \
                else Q(original_author__contains=value)
            articles = articles.exclude(condition) if negative else articles.filter(condition)
            continue
        condition = Q(title__contains=word) | Q(body__contains=word)
        articles = articles.exclude(condition) if negative else articles.filter(condition)
    list(articles.order_by("-published_at", "-pk").values_list("pk", flat=True)[:limit])
    return articles.count()


def kind_of(query: dict) -> str:
    text = query["q"]
    if ":" in text:
        kind = "field (来源:/作者:)"
    elif '"' in text:
        kind = "quoted phrase"
    elif " -" in text:
        kind = "word -exclusion"
    elif " " in text:
        kind = "two words"
    else:
        kind = "one word"
    if "channel" in query:
        kind += ", channel filter"
    elif "days" in query:
        kind += ", date filter"
    elif query.get("order") == "new":
        kind += ", newest first"
    return kind


def tantivy_compare(queries: list[dict], ours_clock: Clock, filters_for, folder: Path) -> None:
    """tantivy on the same tokens and queries; ours (the page's whole search) and our index part
    (service.find: the page's ids and counts, visibility checked, nothing loaded) beside it, query
    by query."""
    from huiwen.search import service
    from huiwen.search.backends import get_backend
    from huiwen.search.query import parse
    from tantivy_anchor import Anchor

    started = time.perf_counter()
    anchor = Anchor(folder)
    count = anchor.add(stored_fields())
    print(f"\ntantivy: {count} documents indexed in {time.perf_counter() - started:.0f} s "
          f"(load {load_average()})")
    backend = get_backend()
    ours = ours_clock.wall
    theirs_clock, engine_clock, pages_clock = Clock(), Clock(), Clock()
    theirs, engine, their_pages = theirs_clock.wall, engine_clock.wall, pages_clock.wall
    for query in queries[:30]:  # warm tantivy's and SQLite's pages
        match = service.match_for(parse(query["q"]), filters_for(query))
        anchor.search(match, 20, newest=query.get("order") == "new")
    for query in queries:
        parsed = parse(query["q"])
        theirs_clock.start()
        match = service.match_for(parsed, filters_for(query))
        anchor.search(match, 20, newest=query.get("order") == "new")
        theirs_clock.stop()
        # Our index part: exactly what the page asks the index (service.find): in rank order the
        # best 20 visible matches of the ranking window and its count; newest first, the count
        # and the newest 20 visible. It checks visibility, which tantivy alone does not.
        engine_clock.start()
        filters = filters_for(query)
        service.find(service.match_for(parsed, filters), service.visibility(filters),
                     order=query.get("order", "rank"))
        engine_clock.stop()
        # tantivy as the engine of the same page: its ids read through the visibility rule (the
        # same prepared SQL as ours), loaded and highlighted as ours are (its count is the index's,
        # not checked per article).
        pages_clock.start()
        filters = filters_for(query)
        match = service.match_for(parsed, filters)
        ids, _ = anchor.search(match, 20, newest=query.get("order") == "new")
        shown = backend._visible_ids(ids, service.visibility(filters))
        ids = [pk for pk in ids if pk in shown]
        found = service._load(ids)
        [service._hit(found[pk], parsed.highlights) for pk in ids]
        pages_clock.stop()
    print(f"tantivy, {len(queries)} queries (load {load_average()}): {summary(theirs)}; {theirs_clock.cpu_summary()}")
    print(f"ours, the whole search (as above): {summary(ours)}; {ours_clock.cpu_summary()}")
    print(f"ours, index part only (service.find: the page's ids and counts, visibility checked): "
          f"{summary(engine)}; {engine_clock.cpu_summary()}")
    print(f"tantivy as the engine of the same page (ids through visibility, 20 loaded, highlighted): "
          f"{summary(their_pages)}; {pages_clock.cpu_summary()}")
    cpu95 = {name: percentile(clock.cpu, 0.95) for name, clock in
             (("ours", ours_clock), ("theirs", theirs_clock), ("engine", engine_clock), ("pages", pages_clock))}
    print(f"ratio of CPU p95: index part / tantivy {cpu95['engine'] / cpu95['theirs']:.2f}, "
          f"whole search / tantivy's page {cpu95['ours'] / cpu95['pages']:.2f}, "
          f"whole search / tantivy alone {cpu95['ours'] / cpu95['theirs']:.2f}")
    print(f"ratio of p95: index part / tantivy {percentile(engine, 0.95) / percentile(theirs, 0.95):.2f}, "
          f"whole search / tantivy's page {percentile(ours, 0.95) / percentile(their_pages, 0.95):.2f}, "
          f"whole search / tantivy alone {percentile(ours, 0.95) / percentile(theirs, 0.95):.2f}")
    kinds: dict[str, list[int]] = {}
    for number, query in enumerate(queries):
        kinds.setdefault(kind_of(query), []).append(number)
    for label, (mine_all, part_all, them_all, page_all) in (
        ("wall", (ours_clock.wall, engine, theirs, their_pages)),
        ("CPU", (ours_clock.cpu, engine_clock.cpu, theirs_clock.cpu, pages_clock.cpu)),
    ):
        print(f"\n{label} time, ms:\n| Queries | n | ours p95 | tantivy's page p95 | index part p95 | tantivy p95 "
              "| index part > 2× tantivy | ours > 2× tantivy's page | ours > 2× tantivy |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for kind, numbers in sorted(kinds.items(), key=lambda item: -len(item[1])):
            mine = [mine_all[n] for n in numbers]
            part = [part_all[n] for n in numbers]
            them = [them_all[n] for n in numbers]
            page = [page_all[n] for n in numbers]
            losing = sum(1 for n in numbers if part_all[n] > 2 * them_all[n])
            losing_page = sum(1 for n in numbers if mine_all[n] > 2 * page_all[n])
            losing_alone = sum(1 for n in numbers if mine_all[n] > 2 * them_all[n])
            print(f"| {kind} | {len(numbers)} | {percentile(mine, 0.95):.1f} | {percentile(page, 0.95):.1f} "
                  f"| {percentile(part, 0.95):.1f} | {percentile(them, 0.95):.1f} | {losing} | {losing_page} "
                  f"| {losing_alone} |")


def by_kind(queries: list[dict], clock: Clock) -> None:
    """p50 / p95 of the search's wall and CPU time per kind of query."""
    kinds: dict[str, list[int]] = {}
    for number, query in enumerate(queries):
        kinds.setdefault(kind_of(query), []).append(number)
    print("| Queries | n | wall p50 | wall p95 | CPU p50 | CPU p95 |\n| --- | ---: | ---: | ---: | ---: | ---: |")
    for kind, numbers in sorted(kinds.items(), key=lambda item: -len(item[1])):
        wall = [clock.wall[n] for n in numbers]
        cpu = [clock.cpu[n] for n in numbers]
        print(f"| {kind} | {len(numbers)} | {percentile(wall, 0.5):.1f} | {percentile(wall, 0.95):.1f} "
              f"| {percentile(cpu, 0.5):.1f} | {percentile(cpu, 0.95):.1f} |")


def statement_profile(label: str, runs: list) -> None:
    """`runs` (callables) run again with each SQL statement timed: where the database's time goes,
    by the statement's shape (its text with the parameter lists folded), summed over all runs."""
    from django.db import connection

    spent: dict[str, list[float]] = {}

    def timed(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            shape = re.sub(r"\s+", " ", re.sub(r"%s(, %s)*", "?", sql))[:110]
            spent.setdefault(shape, []).append((time.perf_counter() - started) * 1000)

    whole = 0.0
    with connection.execute_wrapper(timed):
        for run in runs:
            started = time.perf_counter()
            run()
            whole += (time.perf_counter() - started) * 1000
    print(f"\nstatements of {len(runs)} {label} run again ({whole:.0f} ms in all):")
    for shape, times in sorted(spent.items(), key=lambda item: -sum(item[1]))[:12]:
        print(f"  {sum(times):8.0f} ms {len(times):5d}x p95 {percentile(times, 0.95):6.1f} ms  {shape}")


def database_size() -> tuple[float, float]:
    """(whole database, search index and tables) in MB."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sum(pgsize) FROM dbstat")
            total = cursor.fetchone()[0]
            cursor.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE '%search%'")
            index = cursor.fetchone()[0]
        else:
            cursor.execute("SELECT pg_database_size(current_database())")
            total = cursor.fetchone()[0]
            cursor.execute(
                "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c "
                "WHERE c.relkind = 'r' AND c.relname LIKE 'search%%'"
            )
            index = cursor.fetchone()[0]
    return float(total) / 1e6, float(index or 0) / 1e6


def replicate(target: int) -> None:
    """Copy the indexed corpus under new ids until `target` articles (PostgreSQL, in SQL).

    The GIN match index is dropped first and built once at the end, as the parallel rebuild does:
    with it in place every copied row went into it one at a time (real text copied at 2 minutes
    per 20,000 articles, docs/benchmarks.md). An interrupted copy builds it again on the way out,
    except when killed outright: then `huiwen search_index --rebuild` or another run makes it."""
    from django.db import connection

    from huiwen.newsroom.models import Article
    from huiwen.search.backends import get_backend
    from huiwen.search.backends.base import PROFILE_TERMS
    from huiwen.search.models import Profile

    started = time.perf_counter()
    columns = [field.column for field in Article._meta.concrete_fields if field.column != "id"]
    listed = ", ".join(connection.ops.quote_name(column) for column in columns)
    backend = get_backend()
    backend.drop_match_index()
    try:
        _copy(target, listed, started)
    finally:
        built = time.perf_counter()
        backend.build_match_index()
        print(f"GIN match index built in {time.perf_counter() - built:.0f} s", flush=True)
    with connection.cursor() as cursor:
        for table in ("newsroom_article", "search_document", "search_rank", Profile._meta.db_table, PROFILE_TERMS):
            cursor.execute(f"VACUUM ANALYZE {table}")
    print(f"replicated to {Article.objects.count()} articles in {time.perf_counter() - started:.0f} s")


def _copy(target: int, listed: str, started: float) -> None:
    """The copies, in a transaction each, and the document frequencies scaled to the new count."""
    from django.db import connection, transaction

    from huiwen.search.backends import postgres as pg
    from huiwen.search.backends.base import PROFILE_TERMS
    from huiwen.search.indexing import ARTICLE_COUNT
    from huiwen.search.models import Profile, TermStat

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), min(id), max(id) FROM newsroom_article")
        count, low, high = cursor.fetchone()
        span = high - low + 1
        copies = -(-target // count) - 1
        for copy in range(1, copies + 1):
            offset = copy * span
            limit = min(count, target - count * copy)
            with transaction.atomic():
                cursor.execute(f"INSERT INTO newsroom_article (id, {listed}) SELECT id + %s, {listed} "
                               f"FROM newsroom_article WHERE id BETWEEN %s AND %s ORDER BY id LIMIT %s",
                               [offset, low, high, limit])
                chosen = "SELECT id FROM newsroom_article WHERE id BETWEEN %s AND %s ORDER BY id LIMIT %s"
                cursor.execute(f"INSERT INTO search_document (article_id, bucket, day, vector) SELECT article_id + %s, "
                               f"(article_id + %s) / {pg.BUCKET}, day, vector FROM search_document "
                               f"WHERE article_id IN ({chosen})", [offset, offset, low, high, limit])
                for table, fields in (("search_rank", "vector"), (Profile._meta.db_table, "terms, signature"),
                                      (PROFILE_TERMS, "term")):
                    cursor.execute(f"INSERT INTO {table} (article_id, {fields}) SELECT article_id + %s, {fields} "
                                   f"FROM {table} WHERE article_id IN ({chosen})", [offset, low, high, limit])
            if copy % 10 == 0:
                print(f"  copy {copy} of {copies} at {time.perf_counter() - started:.0f} s (load {load_average()})",
                      flush=True)
        cursor.execute("SELECT count(*) FROM newsroom_article")
        total = cursor.fetchone()[0]
        # The frequencies were counted over the indexed corpus (a resumed run starts from copies).
        cursor.execute(f"SELECT df FROM {TermStat._meta.db_table} WHERE term = %s", [ARTICLE_COUNT])
        factor = total / cursor.fetchone()[0]
        with transaction.atomic():
            cursor.execute(f"UPDATE {TermStat._meta.db_table} SET df = round(df * %s) WHERE term <> %s",
                           [factor, ARTICLE_COUNT])
            cursor.execute(f"UPDATE {TermStat._meta.db_table} SET df = %s WHERE term = %s", [total, ARTICLE_COUNT])
        cursor.execute("SELECT setval(pg_get_serial_sequence('newsroom_article', 'id'), max(id)) FROM newsroom_article")
    print(f"copied {count} articles to {total} ({copies} copies, same dates, new ids) in "
          f"{time.perf_counter() - started:.0f} s")


def explain_plans() -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of the backend's own SQL for typical work, as it runs it."""
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from huiwen.search import meta, related
    from huiwen.search.backends import get_backend
    from huiwen.search.backends import postgres as pg
    from huiwen.search.backends.base import Match
    from huiwen.search.models import Profile
    from huiwen.search.query import parse

    backend = get_backend()
    captured: list[tuple[str, list]] = []

    def capture(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        captured.append((sql, params))
        return execute(sql, params, many, context)

    today = timezone.localdate()
    cases = [
        ("a common word, relevance (newest 2,000 matches, then ranked)",
         lambda: backend.ranked_ids(Match(parse("茶园")), 40, 2000)),
        ("a word and the last 30 days",
         lambda: backend.ranked_ids(Match(parse("马拉松"), [meta.date_tokens(today - timedelta(days=30), None)]),
                                    40, 2000)),
        ("a quoted phrase", lambda: backend.ranked_ids(Match(parse('"明前茶"')), 40, 2000)),
    ]
    sample = Profile.objects.order_by("?").values_list("pk", "terms").first()
    if sample:
        strongest = related._strongest(related.parse_profile(sample[1]))  # as 相关阅读 asks
        cases.append(("相关阅读 candidates (12 strongest terms, 200 nearest ids each side: search_profile_term)",
                      lambda: backend.candidates(strongest, around=sample[0], limit=related.CANDIDATES)))
    for title, run in cases:
        captured.clear()
        with connection.execute_wrapper(capture):
            run()
        print(f"\n-- {title}: {len(captured)} statement(s)")
        with connection.cursor() as cursor:
            for sql, params in captured:
                if "max(article_id)" in sql:
                    continue
                if not sql.lstrip().upper().startswith(("SELECT", "WITH")):  # a SET LOCAL of the backend's
                    cursor.execute(sql, params)
                    print(sql)
                    continue
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params)
                print("\n".join(row[0] for row in cursor.fetchall()))
    print(f"(slices of {pg.SLICE} ids)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--like-queries", type=int, default=100)
    parser.add_argument("--related", type=int, default=1000)
    parser.add_argument("--data-dir", default="var/bench-search")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--reuse", action="store_true", help="keep an existing corpus of the right size")
    parser.add_argument("--reuse-index", action="store_true", help="with --reuse, keep its index too")
    parser.add_argument("--resume", action="store_true",
                        help="with --reuse, finish loading a corpus an interrupted run left smaller than --articles")
    parser.add_argument("--seed", type=int, default=200_000)
    parser.add_argument("--corpus", choices=("generated", "real"), default="generated")
    parser.add_argument("--no-tantivy", action="store_true", help="skip the tantivy anchor")
    parser.add_argument("--index-workers", type=int, default=1, help="processes building the index (PostgreSQL)")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of the main queries")
    parser.add_argument("--statements", action="store_true", help="time the searches' SQL statements by shape")
    parser.add_argument("--replicate-to", type=int, default=0, help="copy the indexed corpus up to N articles")
    args = parser.parse_args()
    folder = _django.start(args.data_dir, args.database_url)

    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from huiwen.newsroom.models import Article, Channel
    from huiwen.search import bulk, related, service
    from huiwen.search.backends import backend_path, get_backend
    from huiwen.search.models import RelatedArticle
    from huiwen.search.query import parse

    where = folder if connection.vendor == "sqlite" else "server"
    print(f"corpus {args.corpus}; database: {connection.vendor} ({where}); "
          f"backend {backend_path()}; {os.cpu_count()} CPUs; load average at start {load_average()}")
    have = Article.objects.count()
    if args.reuse and args.resume and 0 < have < args.articles:
        loaded = load_corpus(args.corpus, args.articles, args.seed, skip=have)
        print(f"corpus: {args.articles - have} articles added to the {have} of an earlier run in {loaded:.0f} s")
        have = Article.objects.count()
    reuse = args.reuse and have == args.articles
    if not reuse:
        RelatedArticle.objects.all().delete()
        Article.objects.all().delete()
        loaded = load_corpus(args.corpus, args.articles, args.seed)
        print(f"corpus: {args.articles} articles loaded in {loaded:.0f} s (bulk insert, no indexing)")
    else:
        print(f"corpus reused: {have} articles")
    if not (reuse and args.reuse_index and get_backend().size() == args.articles):
        marks: dict[str, float] = {}
        started = time.perf_counter()

        def progress(stage: str, done: int) -> None:
            marks[stage] = time.perf_counter() - started
            if done % 50000 == 0:
                print(f"  {stage} {done} at {marks[stage]:.0f} s (load {load_average()})", flush=True)

        count = bulk.rebuild(workers=args.index_workers, chunk=2000, progress=progress)
        finished = time.perf_counter() - started
        total = finished - marks["cleared"]
        indexed = marks["index"] - marks["cleared"]
        gin = marks.get("gin", marks["index"])
        print(f"index build ({args.index_workers} process{'es' if args.index_workers > 1 else ''}): {count} articles "
              f"in {total:.0f} s = {count / total:.0f} articles/s overall "
              f"(after {marks['cleared']:.0f} s emptying the old index); "
              f"pass 1 (index + frequencies) {count / indexed:.0f}/s"
              + (f", GIN index built in {gin - marks['index']:.0f} s" if "gin" in marks else "")
              + f", pass 2 (profiles) {count / (marks['profiles'] - gin):.0f}/s"
              + (f", vacuum {finished - marks['profiles']:.0f} s" if "vacuumed" in marks else "")
              + f"; peak RSS {rss_mb():.0f} MB (this process)")
    else:
        print("index reused")
    if args.replicate_to and connection.vendor == "postgresql" and Article.objects.count() < args.replicate_to:
        replicate(args.replicate_to)
    started = time.perf_counter()
    applied = get_backend().catch_up()  # a ranking engine kept beside the database (tantivy_engine)
    if applied:
        print(f"ranking engine: {applied} changes applied in {time.perf_counter() - started:.0f} s")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    whole, index = database_size()
    print(f"database size {whole:.0f} MB, of which search index and tables {index:.0f} MB")

    def queries_of(count: int, seed: int) -> list[dict]:
        if args.corpus == "real":
            from corpus import real

            return real.queries(count, seed)
        return make_queries(count, seed)

    if args.explain and connection.vendor == "postgresql":
        explain_plans()
    if not args.queries and not args.related:  # build only
        return
    queries = queries_of(args.queries, args.seed)
    channels = {channel.path: channel for channel in Channel.objects.all()}
    today = timezone.localdate()

    def filters_for(query: dict) -> service.Filters:
        return service.Filters(
            channel=channels.get(query.get("channel", "")),
            since=today - timedelta(days=query["days"]) if "days" in query else None,
        )

    # Warm the caches (OpenCC, jieba dictionary, database pages) with queries not measured.
    for query in queries_of(30, args.seed + 1):
        service.run(parse(query["q"]), filters_for(query))
    ours_clock = Clock()
    ours = ours_clock.wall
    totals: list[int] = []
    started_queries = time.perf_counter()
    for query in queries:
        ours_clock.start()
        results = service.run(parse(query["q"]), filters_for(query), order=query.get("order", "rank"), limit=20)
        ours_clock.stop()
        totals.append(results.total)
    print(f"\nsearch, {len(queries)} queries ({time.perf_counter() - started_queries:.0f} s, load {load_average()}): "
          f"{summary(ours)}; {ours_clock.cpu_summary()}; median result count {statistics.median(totals):.0f}, "
          f"{sum(1 for total in totals if total == 0)} with no result")
    by_kind(queries, ours_clock)
    if args.statements:
        statement_profile("searches", [
            lambda query=query: service.run(parse(query["q"]), filters_for(query), order=query.get("order", "rank"))
            for query in queries])

    subset = queries[: args.like_queries] if args.like_queries else []
    like_clock = Clock()
    like = like_clock.wall
    for query in subset:
        like_clock.start()
        like_run(query, filters_for(query))
        like_clock.stop()
    if subset:
        for label, theirs_all, mine in (("wall", like, ours[: len(subset)]),
                                        ("CPU", like_clock.cpu, ours_clock.cpu[: len(subset)])):
            ratios = [theirs / max(own, 1e-6) for theirs, own in zip(theirs_all, mine, strict=True)]
            if label == "wall":
                print(f"LIKE, first {len(subset)} of the same queries (load {load_average()}): {summary(like)}; "
                      f"{like_clock.cpu_summary()}")
                print(f"ours on that subset: {summary(mine)}")
            print(f"speed-up on the subset ({label} time): "
                  f"p50 {percentile(theirs_all, 0.5) / percentile(mine, 0.5):.0f}x, "
                  f"p95 {percentile(theirs_all, 0.95) / percentile(mine, 0.95):.0f}x, "
                  f"per-query median {statistics.median(ratios):.0f}x, slowest-case ratio {min(ratios):.0f}x")

    if connection.vendor == "sqlite" and not args.no_tantivy:
        tantivy_compare(queries, ours_clock, filters_for, Path(folder) / "tantivy")

    ids = list(Article.objects.values_list("pk", flat=True))
    sample = random.Random(args.seed).sample(ids, min(args.related, len(ids)))
    timings: list[float] = []
    compute_clock = Clock()
    for article_id in sample:
        compute_clock.start()
        related.compute(article_id)
        compute_clock.stop()
        started = time.perf_counter()
        related.refresh(article_id)
        timings.append((time.perf_counter() - started) * 1000)
    if sample:
        print(f"\n相关阅读 for {len(sample)} random articles (load {load_average()}):")
        print(f"  compute: {summary(compute_clock.wall)}; {compute_clock.cpu_summary()}")
        print(f"  refresh (compute, store, offer to neighbours): {summary(timings)}")
        if args.statements:
            statement_profile("相关阅读 computations", [lambda pk=pk: related.compute(pk) for pk in sample])
    print(f"\npeak RSS of this process {rss_mb():.0f} MB; load average at end {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
