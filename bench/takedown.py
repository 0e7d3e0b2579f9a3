"""A takedown notice naming 50 of our URLs whose stories hold many copies (the attack of issue 13).

The site: `--background` ordinary articles plus `--stories` stories of `--copies` reprints each
(50 × 33 = 1,650 articles in the notice's reach, as in the report: 1,665), all indexed with their
相关阅读 computed. The notice names one copy of each story.

- anchor: the one-at-a-time path the service used before (newsroom.actions.withdraw: a save()
  per article, re-indexing and recomputing 相关阅读 each time, all in one transaction), timed on
  `--anchor-stories` stories and restored again; its per-article cost is printed, and the time it
  would take on the whole reach.
- huiwen: takedown.withdrawal.hide() on the whole reach (what an officer's "删除" or an immediate
  notice runs), then upkeep() until nothing is left.

While each runs, a second thread writes one row per 20 ms in its own transaction (as a collector
would): the longest it waited is how long the withdrawal held SQLite's write lock at a stretch.
A third thread reads the notice's articles through the visibility rule and records when none is
visible any more.

    .venv/bin/python bench/takedown.py [--stories 50 --copies 33 --background 2000] [--database-url postgres://...]
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _django


class Writer(threading.Thread):
    """Writes a tiny row every 20 ms, each in its own transaction; records the longest wait."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.longest = 0.0
        self.writes = 0
        self.locked = 0  # writes that gave up: "database is locked" (SQLite's busy timeout passed)

    def run(self) -> None:
        from django.db import OperationalError, connection, transaction

        from huiwen.newsroom.models import TagChange

        try:
            while not self.stop.is_set():
                started = time.monotonic()
                try:
                    with transaction.atomic():
                        TagChange.objects.create(tag="bench-writer")
                    self.writes += 1
                except OperationalError:
                    self.locked += 1
                self.longest = max(self.longest, time.monotonic() - started)
                time.sleep(0.02)
        finally:
            connection.close()


class Watcher(threading.Thread):
    """Polls the visibility of the reach; records when the last article stopped being visible."""

    def __init__(self, ids: list[int]) -> None:
        super().__init__(daemon=True)
        self.ids, self.stop, self.gone_at = ids, threading.Event(), None

    def run(self) -> None:
        from django.db import connection

        from huiwen.newsroom.models import Article

        try:
            while not self.stop.is_set() and self.gone_at is None:
                if not Article.objects.visible().filter(pk__in=self.ids).exists():
                    self.gone_at = time.monotonic()
                time.sleep(0.05)
        finally:
            connection.close()


def build(stories: int, copies: int, background: int) -> list[list[int]]:
    """The site; returns the article ids of each story."""
    from datetime import timedelta

    from django.utils import timezone

    from corpus.generate import scale_corpus
    from huiwen.newsroom.models import Article, Channel, Publisher, Story
    from huiwen.search import indexing

    news = Channel.objects.create(name="新闻", slug="news")
    publishers = [Publisher.objects.create(name=f"来源{number}") for number in range(20)]
    now = timezone.now()
    made = scale_corpus(background + stories)
    rows = []
    for number in range(background):
        item = next(made)
        rows.append(Article(title=item.title[:200], body=item.body, channel=news, status=Article.Status.PUBLISHED,
                            publisher=publishers[number % 20], published_at=now - timedelta(minutes=number),
                            source_url=f"https://bg{number % 20}.example/{number}.html"))
    groups = []
    for story_number in range(stories):
        item = next(made)
        story = Story.objects.create()
        groups.append([])
        for copy in range(copies):
            rows.append(Article(title=item.title[:200], body=item.body, channel=news, story=story,
                                status=Article.Status.PUBLISHED, publisher=publishers[copy % 20],
                                published_at=now - timedelta(minutes=story_number, seconds=copy),
                                source_url=f"https://copy{copy}.example/{story_number}.html"))
    created = Article.objects.bulk_create(rows, batch_size=500)
    for article in created[background:]:
        groups[(created.index(article) - background) // copies].append(article.pk)
    started = time.monotonic()
    indexing.rebuild()
    print(f"site: {len(created)} articles ({stories} stories × {copies} copies), indexed in "
          f"{time.monotonic() - started:.0f} s", flush=True)
    return groups


def measured(label: str, run, ids: list[int]) -> tuple[float, float, float | None]:
    """(seconds, longest write wait, seconds until the reach was invisible)."""
    writer, watcher = Writer(), Watcher(ids)
    writer.start()
    watcher.start()
    time.sleep(0.2)
    started = time.monotonic()
    run()
    elapsed = time.monotonic() - started
    time.sleep(0.2)
    writer.stop.set()
    watcher.stop.set()
    writer.join()
    watcher.join()
    invisible = None if watcher.gone_at is None else watcher.gone_at - started
    shown = "—" if invisible is None else f"{invisible:.2f} s"
    print(f"{label}: {elapsed:.2f} s for {len(ids)} articles ({elapsed / len(ids) * 1000:.1f} ms each); "
          f"longest wait of a concurrent write {writer.longest:.3f} s over {writer.writes} writes "
          f"({writer.locked} failed with 'database is locked'); invisible after {shown}", flush=True)
    return elapsed, writer.longest, invisible


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--stories", type=int, default=50)
    parser.add_argument("--copies", type=int, default=33)
    parser.add_argument("--background", type=int, default=2000)
    parser.add_argument("--anchor-stories", type=int, default=2)
    args = parser.parse_args()
    _django.start(args.data_dir, args.database_url)

    from django.db import transaction

    from huiwen.newsroom import actions
    from huiwen.newsroom.models import Article
    from huiwen.takedown import withdrawal
    from huiwen.takedown.models import Notice

    groups = build(args.stories, args.copies, args.background)
    reach = [pk for group in groups for pk in group]

    anchor_ids = [pk for group in groups[:args.anchor_stories] for pk in group]

    def old_path() -> None:
        with transaction.atomic():
            actions.withdraw(list(Article.objects.filter(pk__in=anchor_ids)), None, "bench: one at a time")

    anchor, anchor_wait, _ = measured("anchor (save() per article, one transaction)", old_path, anchor_ids)
    with transaction.atomic():
        actions.restore(list(Article.objects.filter(pk__in=anchor_ids)), None, "bench: back")
    per_article = anchor / len(anchor_ids)

    notice = Notice.objects.create(claimant_name="bench", email="bench@example.com", address="-", works="-",
                                   urls="\n".join(f"/a/{group[0]}.html" for group in groups), evidence_text="-")
    new, new_wait, invisible = measured(
        "huiwen hide() (batches)", lambda: withdrawal.hide(notice, reach, None, "bench"), reach)
    started = time.monotonic()
    left_before = withdrawal.pending()
    writer = Writer()
    writer.start()
    withdrawal.upkeep()
    writer.stop.set()
    writer.join()
    upkeep = time.monotonic() - started
    print(f"upkeep (search index, 相关阅读) of {left_before} articles: {upkeep:.1f} s; longest wait of a "
          f"concurrent write {writer.longest:.3f} s ({writer.locked} failed)", flush=True)
    assert not Article.objects.visible().filter(pk__in=reach).exists()

    projected = per_article * len(reach)
    print(f"\nanchor projected on the whole reach: {projected:.0f} s holding the write lock "
          f"(measured {per_article * 1000:.0f} ms per article, longest write wait {anchor_wait:.2f} s on "
          f"{len(anchor_ids)} articles)")
    print(f"huiwen: invisible everywhere after {invisible:.2f} s, done with hide() after {new:.2f} s, "
          f"longest write wait {new_wait:.3f} s; upkeep {upkeep:.1f} s after")
    print(f"ratio: anchor lock hold / huiwen longest wait = {projected / max(new_wait, 1e-3):.0f}×; "
          f"time to invisible {projected / max(invisible or new, 1e-3):.0f}× shorter")
    return 0


if __name__ == "__main__":
    sys.exit(main())
