"""Search and 相关阅读 at scale: a generated corpus of 200,000 articles, LIKE as the anchor, same run.

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
- 相关阅读 computation (related.refresh: candidates, scoring, storing, offering) for
  --related random articles;
- memory: the process's peak RSS, and the database's size with the index's share.

The corpus (bench/corpus/generate.py) is built from authored, fictional text: 20 topics,
30-56 sentences per article (about 1,000 characters), two years of publication times.

    .venv/bin/python bench/search.py [--articles 200000] [--queries 1000] [--like-queries 100]
        [--related 1000] [--data-dir var/bench-search] [--reuse] [--database-url postgres://...]
"""

from __future__ import annotations

import argparse
import os
import random
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


def load_corpus(count: int, seed: int) -> float:
    from django.db import transaction
    from django.utils import timezone

    from corpus.generate import scale_corpus
    from corpus.topics import CHANNELS
    from huiwen.newsroom.models import Article, Channel, Publisher
    from huiwen.newsroom.text import html_to_text, make_excerpt

    started = time.perf_counter()
    channels = {
        key: Channel.objects.get_or_create(slug=key, defaults={"name": name})[0] for key, name in CHANNELS.items()
    }
    names = ("澄州日报", "澜山晚报", "青禾网", "北山周刊")
    publishers = [Publisher.objects.get_or_create(name=name)[0] for name in names]
    batch: list[Article] = []
    for number, item in enumerate(scale_corpus(count, seed)):
        batch.append(Article(
            title=item.title[:200], body=item.body, excerpt=make_excerpt(html_to_text(item.body), 200, ellipsis=""),
            channel=channels[item.channel], publisher=publishers[number % len(publishers)],
            published_at=timezone.make_aware(item.published_at), status=Article.Status.PUBLISHED,
        ))
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


def like_run(query: dict, filters, limit: int = 20) -> int:
    from django.db.models import Q

    from huiwen.search import service

    articles = service.visible_articles(filters)
    for chunk in query["q"].replace('"', " ").split():
        negative = chunk.startswith("-")
        word = chunk.lstrip("-")
        if not word:
            continue
        condition = Q(title__contains=word) | Q(body__contains=word)
        articles = articles.exclude(condition) if negative else articles.filter(condition)
    list(articles.order_by("-published_at", "-pk").values_list("pk", flat=True)[:limit])
    return articles.count()


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
    parser.add_argument("--seed", type=int, default=200_000)
    args = parser.parse_args()
    folder = _django.start(args.data_dir, args.database_url)

    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from huiwen.newsroom.models import Article, Channel
    from huiwen.search import indexing, related, service
    from huiwen.search.backends import backend_path, get_backend
    from huiwen.search.models import RelatedArticle
    from huiwen.search.query import parse

    print(f"database: {connection.vendor} ({folder if connection.vendor == 'sqlite' else 'server'}); "
          f"backend {backend_path()}; {os.cpu_count()} CPUs; load average at start {load_average()}")
    have = Article.objects.count()
    reuse = args.reuse and have == args.articles
    if not reuse:
        RelatedArticle.objects.all().delete()
        Article.objects.all().delete()
        loaded = load_corpus(args.articles, args.seed)
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

        count = indexing.rebuild(chunk=2000, progress=progress)
        total = time.perf_counter() - started - marks["cleared"]
        indexed = marks["index"] - marks["cleared"]
        print(f"index build: {count} articles in {total:.0f} s = {count / total:.0f} articles/s overall "
              f"(after {marks['cleared']:.0f} s emptying the old index); "
              f"pass 1 (index + frequencies) {count / indexed:.0f}/s, "
              f"pass 2 (profiles) {count / (marks['profiles'] - marks['index']):.0f}/s; peak RSS {rss_mb():.0f} MB")
    else:
        print("index reused")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    whole, index = database_size()
    print(f"database size {whole:.0f} MB, of which search index and tables {index:.0f} MB")

    queries = make_queries(args.queries, args.seed)
    channels = {channel.slug: channel for channel in Channel.objects.all()}
    today = timezone.localdate()

    def filters_for(query: dict) -> service.Filters:
        return service.Filters(
            channel=channels.get(query.get("channel", "")),
            since=today - timedelta(days=query["days"]) if "days" in query else None,
        )

    # Warm the caches (OpenCC, jieba dictionary, database pages) with queries not measured.
    for query in make_queries(30, args.seed + 1):
        service.run(parse(query["q"]), filters_for(query))
    ours: list[float] = []
    totals: list[int] = []
    started_queries = time.perf_counter()
    for query in queries:
        started = time.perf_counter()
        results = service.run(parse(query["q"]), filters_for(query), order=query.get("order", "rank"), limit=20)
        ours.append((time.perf_counter() - started) * 1000)
        totals.append(results.total)
    print(f"\nsearch, {len(queries)} queries ({time.perf_counter() - started_queries:.0f} s, load {load_average()}): "
          f"{summary(ours)}; median result count {statistics.median(totals):.0f}, "
          f"{sum(1 for total in totals if total == 0)} with no result")

    subset = queries[: args.like_queries]
    like: list[float] = []
    for query in subset:
        started = time.perf_counter()
        like_run(query, filters_for(query))
        like.append((time.perf_counter() - started) * 1000)
    mine = ours[: len(subset)]
    ratios = [theirs / max(own, 1e-6) for theirs, own in zip(like, mine, strict=True)]
    print(f"LIKE, first {len(subset)} of the same queries (load {load_average()}): {summary(like)}")
    print(f"ours on that subset: {summary(mine)}")
    print(f"speed-up on the subset: p50 {percentile(like, 0.5) / percentile(mine, 0.5):.0f}x, "
          f"p95 {percentile(like, 0.95) / percentile(mine, 0.95):.0f}x, "
          f"per-query median {statistics.median(ratios):.0f}x, slowest-case ratio {min(ratios):.0f}x")

    ids = list(Article.objects.values_list("pk", flat=True))
    sample = random.Random(args.seed).sample(ids, min(args.related, len(ids)))
    timings: list[float] = []
    compute_only: list[float] = []
    for article_id in sample:
        started = time.perf_counter()
        related.compute(article_id)
        compute_only.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        related.refresh(article_id)
        timings.append((time.perf_counter() - started) * 1000)
    print(f"\n相关阅读 for {len(sample)} random articles (load {load_average()}):")
    print(f"  compute: {summary(compute_only)}")
    print(f"  refresh (compute, store, offer to neighbours): {summary(timings)}")
    print(f"\npeak RSS of this process {rss_mb():.0f} MB; load average at end {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
