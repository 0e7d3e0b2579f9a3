"""相关阅读 quality on hand-judged text, huiwen against two baselines, all in one run.

Two sets, each judged by hand (bench/judgements/README.md gives the rule):

- demo: the demo's authored articles (huiwen.newsroom.demo_content), loaded as `huiwen demo` loads
  them, in the seed's channel tree;
- corpus: the 426 real Chinese pages of ../shared/corpus, read at run time through huiwen's
  extractor, each filed in the channel the judgements give, added one by one in date order.

Methods, each over every article of a set:

- huiwen: the article page's 相关阅读 block (search.reading): its related part (stored lists as
  maintained while the articles were added one by one: index, compute, offer to older lists),
  then the filler (newest of the channel); again after recomputing every list; and again after
  `search_index --rebuild` (profiles weighted with the final document frequencies: the first
  articles of a new site were weighed against very few others);
- DedeCMS-style ({dede:likearticle}): the article's three keywords (its three most frequent
  words, title words counted three times, as DedeCMS fills an empty keywords field),
  `keywords || title LIKE '%k%'` OR-ed, same channel, newest first, ten at most;
- newest in the same channel: what the seed page shows.

Reported per method: the on-topic share of the items that claim relatedness (huiwen's related
part; every item of a baseline), related items per list, lists with at least one, the share of
lists that are full (10 items; every article here has at least 10 visible others), and how many
of the on-topic articles that exist a list shows (out of at most 10).

    .venv/bin/python bench/related.py [--database-url postgres://...] [--sets demo,corpus]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _django

LIMIT = 10


@dataclass
class Outcome:
    claimed: int = 0  # items that claim relatedness (huiwen's related part, every baseline item)
    on_topic: int = 0  # of those, on-topic by the judgements
    lists: int = 0
    lists_with_related: int = 0
    full: int = 0
    found: int = 0  # on-topic items shown
    findable: int = 0  # on-topic articles that exist, at most LIMIT per list
    related_per_list: list[int] = field(default_factory=list)

    def row(self, name: str) -> str:
        precision = self.on_topic / self.claimed if self.claimed else float("nan")
        return (f"| {name} | {precision:.3f} ({self.on_topic}/{self.claimed}) "
                f"| {statistics.mean(self.related_per_list):.1f} | {self.lists_with_related / self.lists:.2f} "
                f"| {self.full / self.lists:.2f} | {self.found / self.findable if self.findable else 0:.2f} |")


def dede_keywords(title: str, body_html: str) -> list[str]:
    from huiwen.newsroom.text import html_to_text
    from huiwen.search.terms import analyse
    from huiwen.text.chinese import fold

    counts: Counter[str] = Counter()
    for term in analyse(fold(title)).terms:
        counts[term] += 3
    for term in analyse(fold(html_to_text(body_html))).terms:
        counts[term] += 1
    return [term for term, _ in counts.most_common(3)]


def load_demo() -> dict[int, str]:
    """Load the demo content; article id → its judgement key (URL)."""
    from huiwen.newsroom.demo import load_demo_content
    from huiwen.newsroom.models import Article

    load_demo_content()
    return dict(Article.objects.values_list("pk", "source_url"))


def load_corpus(judged: dict) -> dict[int, str]:
    """The real pages as published articles in their judged channels, in date order."""
    from django.utils import timezone

    from corpus import real
    from huiwen.newsroom import demo
    from huiwen.newsroom.models import Article, Channel, Publisher

    demo._load_channels(demo.LoadReport())  # the seed's channel tree
    channels = {channel.path: channel for channel in Channel.objects.all()}
    keys: dict[int, str] = {}
    pages = sorted((page for page in real.pages() if page.key in judged), key=lambda page: page.published_at)
    for page in pages:
        publisher = Publisher.objects.get_or_create(name=page.source or "未署名来源")[0] if page.source else None
        article = Article(
            title=page.title, lede=page.lede, body=page.body_html, channel=channels[judged[page.key].channel],
            publisher=publisher, original_author="、".join(page.authors)[:120], column=page.column,
            published_at=timezone.make_aware(page.published_at), status=Article.Status.PUBLISHED,
            source_url=f"https://corpus.example/{page.key}.html",
        )
        article.save()
        keys[article.pk] = page.key
    return keys


def evaluate(articles, keys, judged, method, related_only) -> Outcome:
    from corpus.real import on_topic

    outcome = Outcome()
    by_key = {pk: judged[key] for pk, key in keys.items()}
    for article in articles:
        mine = by_key[article.pk]
        items = method(article)  # [(id, claims relatedness)]
        assert article.pk not in [pk for pk, _ in items]
        claimed = [pk for pk, claims in items if claims or not related_only]
        hits = sum(on_topic(mine, by_key[pk]) for pk in claimed)
        outcome.lists += 1
        outcome.claimed += len(claimed)
        outcome.on_topic += hits
        outcome.related_per_list.append(len(claimed))
        outcome.lists_with_related += bool(claimed)
        outcome.full += len(items) >= LIMIT
        story = article.story_id
        others = [pk for pk, judgement in by_key.items() if pk != article.pk and on_topic(mine, judgement)
                  and (story is None or story_of[pk] != story)]
        outcome.findable += min(LIMIT, len(others))
        outcome.found += sum(on_topic(mine, by_key[pk]) for pk, _ in items)
    return outcome


story_of: dict[int, int | None] = {}


def run_set(name: str, args) -> list[str]:
    from django.db import connection

    from corpus import real
    from huiwen.newsroom.models import Article, Channel, Publisher, Story
    from huiwen.search import indexing, related
    from huiwen.search.models import RelatedArticle
    from huiwen.search.reading import reading_list

    for model in (RelatedArticle, Article, Story, Channel, Publisher):
        if model is Channel:
            for channel in Channel.objects.order_by("-depth"):
                channel.delete()
        else:
            model.objects.all().delete()
    judged = real.judgements("demo-subjects.tsv" if name == "demo" else "corpus-subjects.tsv")
    started = time.perf_counter()
    keys = load_demo() if name == "demo" else load_corpus(judged)
    ingest = time.perf_counter() - started
    story_of.clear()
    story_of.update(Article.objects.values_list("pk", "story_id"))
    articles = list(Article.objects.visible().select_related("channel__parent__parent"))

    keywords = {article.pk: dede_keywords(article.title, article.body) for article in articles}
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_dede_keywords")
        cursor.execute("CREATE TABLE bench_dede_keywords (article_id bigint PRIMARY KEY, keywords text)")
        cursor.executemany("INSERT INTO bench_dede_keywords VALUES (%s, %s)",
                           [(pk, ",".join(words)) for pk, words in keywords.items()])

    def dede(article) -> list[tuple[int, bool]]:
        words = keywords[article.pk]
        if not words:
            return []
        like = " OR ".join(["(k.keywords || ' ' || a.title) LIKE %s"] * len(words))
        sql, params = Article.objects.visible().values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT a.id FROM newsroom_article a JOIN bench_dede_keywords k ON k.article_id = a.id "
                f"WHERE a.channel_id = %s AND a.id <> %s AND ({like}) AND a.id IN ({sql}) "
                f"ORDER BY a.published_at DESC, a.id DESC LIMIT {LIMIT}",
                [article.channel_id, article.pk, *[f"%{word}%" for word in words], *params],
            )
            return [(row[0], True) for row in cursor.fetchall()]

    def newest(article) -> list[tuple[int, bool]]:
        found = (Article.objects.visible().filter(channel=article.channel_id).exclude(pk=article.pk)
                 .order_by("-published_at", "-pk").values_list("pk", flat=True)[:LIMIT])
        return [(pk, True) for pk in found]

    def ours(article) -> list[tuple[int, bool]]:
        return [(item.pk, item.related) for item in reading_list(article, LIMIT)]

    results = {"huiwen 相关阅读 (related part; list = related + filler), as maintained while adding":
               evaluate(articles, keys, judged, ours, True)}
    started = time.perf_counter()
    for article in articles:
        related.refresh(article.pk, offer=False)
    recompute = time.perf_counter() - started
    results["huiwen 相关阅读, every list recomputed after the last article"] = evaluate(
        articles, keys, judged, ours, True)
    indexing.rebuild()  # profiles weighted with the final document frequencies, as `search_index --rebuild`
    for article in articles:
        related.refresh(article.pk, offer=False)
    results["huiwen 相关阅读, after `search_index --rebuild` and every list recomputed"] = evaluate(
        articles, keys, judged, ours, True)
    results["DedeCMS-style: 3 keywords, LIKE, same channel, newest"] = evaluate(articles, keys, judged, dede, False)
    results["newest in the same channel (the seed)"] = evaluate(articles, keys, judged, newest, False)

    span = max(a.published_at for a in articles) - min(a.published_at for a in articles)
    lines = [
        f"set {name}: {len(articles)} articles on {connection.vendor}, {len({j.channel for j in judged.values()})} "
        f"channels, {len({s for j in judged.values() for s in j.subjects})} subjects, "
        f"over {span / timedelta(days=1):.0f} days; ingest with indexing and 相关阅读 {ingest:.1f} s, "
        f"recompute every list {recompute / len(articles) * 1000:.1f} ms per article",
        "",
        "| Method | On-topic share of related items | Related items per list | Lists with related items "
        "| Full lists (10) | On-topic found (of ≤10 that exist) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [outcome.row(method) for method, outcome in results.items()]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (default: a fresh SQLite file)")
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--sets", default="demo,corpus")
    args = parser.parse_args()
    _django.start(args.data_dir, args.database_url)
    for name in args.sets.split(","):
        print("\n".join(run_set(name, args)), end="\n\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
