"""相关阅读 quality: precision@10 of huiwen's scored relatedness against two baselines, same run.

The evaluation set is generated from authored, fictional text (bench/corpus: 20 topics × 18
articles = 360, 10% in Traditional script, 15% filed outside their topic's channel, sentences
borrowed from neighbouring topics). An item is relevant when it has the same topic.

- huiwen: Article pages' 相关阅读 as stored while the articles were added one by one in
  publication order (signals: index, compute, offer to older lists), and again recomputed for
  every article after the last one was added.
- DedeCMS-style: the article's three keywords (its three most frequent words, as DedeCMS fills
  an empty keywords field), `CONCAT(keywords, ' ', title) LIKE '%k%'` OR-ed, same channel,
  newest first (DedeCMS's {dede:likearticle}).
- newest in the same channel (the seed's behaviour).

Precision@10 counts a missing item as not relevant (a list of 4 good items scores 0.4).

    .venv/bin/python bench/related.py [--database-url postgres://...] [--per-topic 18]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _django


def keywords(title: str, body: str, count: int = 3) -> list[str]:
    from huiwen.newsroom.text import html_to_text
    from huiwen.search.indexing import term_counts
    from huiwen.search.text import words

    counts: Counter[str] = term_counts(words(title), words(html_to_text(body)))
    return [word for word, _ in counts.most_common(count)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (default: a fresh SQLite file)")
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--per-topic", type=int, default=18)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    _django.start(args.data_dir, args.database_url)

    from django.db import connection
    from django.utils import timezone

    from corpus.generate import evaluation_set
    from corpus.topics import CHANNELS
    from huiwen.newsroom.models import Article, Channel, Publisher
    from huiwen.search import related
    from huiwen.search.models import RelatedArticle

    for model in (RelatedArticle, Article, Channel):
        model.objects.all().delete()
    channels = {key: Channel.objects.create(slug=key, name=name) for key, name in CHANNELS.items()}
    publisher, _ = Publisher.objects.get_or_create(name="评测来源")
    generated = sorted(evaluation_set(args.seed, args.per_topic), key=lambda item: item.published_at)
    topic_of: dict[int, str] = {}
    traditional: set[int] = set()
    started = time.perf_counter()
    for number, item in enumerate(generated):
        saved = Article(
            title=item.title[:200], body=item.body, channel=channels[item.channel], publisher=publisher,
            published_at=timezone.make_aware(item.published_at), status=Article.Status.PUBLISHED,
            source_url=f"https://eval.example/{number}.html",
        )
        saved.save()
        topic_of[saved.pk] = item.topic
        if item.traditional:
            traditional.add(saved.pk)
    ingest = time.perf_counter() - started

    articles = list(Article.objects.visible().select_related("channel"))
    dede_keys = {article.pk: keywords(article.title, article.body) for article in articles}
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_dede_keywords")
        cursor.execute("CREATE TABLE bench_dede_keywords (article_id bigint PRIMARY KEY, keywords text)")
        cursor.executemany(
            "INSERT INTO bench_dede_keywords VALUES (%s, %s)", [(pk, ",".join(keys)) for pk, keys in dede_keys.items()]
        )

    def dede(article: Article) -> list[int]:
        keys = dede_keys[article.pk]
        if not keys:
            return []
        like = " OR ".join(["(k.keywords || ' ' || a.title) LIKE %s"] * len(keys))
        visible_ids = Article.objects.visible().values("pk")
        sql, params = visible_ids.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT a.id FROM newsroom_article a JOIN bench_dede_keywords k ON k.article_id = a.id "
                f"WHERE a.channel_id = %s AND a.id <> %s AND ({like}) AND a.id IN ({sql}) "
                f"ORDER BY a.published_at DESC, a.id DESC LIMIT 10",
                [article.channel_id, article.pk, *[f"%{key}%" for key in keys], *params],
            )
            return [row[0] for row in cursor.fetchall()]

    def newest(article: Article) -> list[int]:
        return list(
            Article.objects.visible().filter(channel=article.channel_id).exclude(pk=article.pk)
            .order_by("-published_at", "-pk").values_list("pk", flat=True)[:10]
        )

    def ours(article: Article) -> list[int]:
        return [item.pk for item in related.related_articles(article, 10)]

    def evaluate(method) -> dict[str, float]:
        precision, shown, precision_simplified, relevant, total_shown = [], [], [], 0, 0
        for article in articles:
            found = method(article)
            assert article.pk not in found
            hits = sum(topic_of[pk] == topic_of[article.pk] for pk in found)
            precision.append(hits / 10)
            shown.append(len(found))
            relevant += hits
            total_shown += len(found)
            if article.pk not in traditional:
                precision_simplified.append(hits / 10)
        return {
            "p10": statistics.mean(precision),
            "p10_simplified": statistics.mean(precision_simplified),
            "shown": statistics.mean(shown),
            "of_shown": relevant / total_shown if total_shown else 0.0,
        }

    results = {"huiwen 相关阅读, as maintained while adding": evaluate(ours)}
    started = time.perf_counter()
    for article in articles:
        related.refresh(article.pk, offer=False)
    recompute = time.perf_counter() - started
    results["huiwen 相关阅读, recomputed after the last article"] = evaluate(ours)
    results["DedeCMS-style: 3 keywords, LIKE, same channel, newest"] = evaluate(dede)
    results["newest in the same channel"] = evaluate(newest)

    topics = len(set(topic_of.values()))
    print(f"database: {connection.vendor}; {len(articles)} articles, {topics} topics, "
          f"{len(traditional)} in Traditional script")
    print(f"ingest with indexing and 相关阅读: {ingest:.1f} s; recompute all lists: {recompute:.1f} s "
          f"({recompute / len(articles) * 1000:.1f} ms per article)")
    print()
    print("| Method | P@10 | P@10, Simplified articles | Items shown (of 10) | Relevant share of items shown |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, numbers in results.items():
        print(f"| {name} | {numbers['p10']:.3f} | {numbers['p10_simplified']:.3f} | {numbers['shown']:.1f} "
              f"| {numbers['of_shown']:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
