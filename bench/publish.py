"""Static publishing at scale: a full build of a large site, then one change republished.

The corpus is generated from authored text (bench/corpus, the same generator as bench/search.py;
see its docstring). Every article gets a 相关阅读 list of ten neighbours in its channel, written
straight into the related-reading table, so each article page is rendered with a full block
(computing relatedness itself is measured by bench/search.py). The build writes every page in
both editions (Simplified and /zh-hant/), channel pages with pagination, feeds and sitemaps.

In the same run: the full build's pages per second, then one article edited and the site
republished incrementally (seconds and files touched), then one new article in the largest
channel (every page of its lists shifts: the first pages are rewritten, the deep ones refreshed a
budget per run, see newsroom.tags.list_page_tag), then one article withdrawn (files gone at
once) and republished. The anchor is the page count itself: the same build with one worker,
so the ratio shows what the second core adds.

    .venv/bin/python bench/publish.py [--articles 100000] [--workers 2]

With --watch N (and --out, a built site): `huiwen publish --watch` runs as the service runs it,
in its own process, and this process makes N rounds of changes (an edit, a new article in the
largest channel, a withdrawal), each timed from its save to the reader's file on disk showing it,
while the watcher also refreshes the site's stale deep list pages; then the watcher's resident
memory, sampled all along.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _django import start  # after sys.path: the benchmark helpers live beside this file


def related_rows(neighbours: int) -> int:
    from django.db import transaction

    from huiwen.newsroom.models import Article
    from huiwen.search.models import RelatedArticle

    rows = 0
    by_channel: dict[int, list[int]] = {}
    for pk, channel in Article.objects.order_by("pk").values_list("pk", "channel_id"):
        by_channel.setdefault(channel, []).append(pk)
    batch: list[RelatedArticle] = []
    for ids in by_channel.values():
        for index, pk in enumerate(ids):
            near = ids[max(0, index - neighbours // 2): index] + ids[index + 1: index + 1 + neighbours // 2]
            batch += [RelatedArticle(article_id=pk, related_id=other, score=1.0 / (1 + abs(other - pk)))
                      for other in near]
            if len(batch) >= 20000:
                with transaction.atomic():
                    RelatedArticle.objects.bulk_create(batch)
                rows += len(batch)
                batch = []
    with transaction.atomic():
        RelatedArticle.objects.bulk_create(batch)
    return rows + len(batch)


def main() -> None:
    parser = argparse.ArgumentParser(description="Static publishing benchmark")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--anchor-share", type=float, default=0.05,
                        help="share of the site built again with one worker, for the ratio")
    parser.add_argument("--data-dir", help="reuse a folder (keeps the generated corpus between runs)")
    parser.add_argument("--out", help="reuse a published site: skip the full build, measure the changes only")
    parser.add_argument("--sample", type=int, default=0,
                        help="instead: one process's pages/s over N neighbouring articles and N/4 deep list pages "
                             "(both editions) of the built site, into a scratch folder")
    parser.add_argument("--watch", type=int, default=0, metavar="ROUNDS",
                        help="with --out: time changes reaching the disk through `huiwen publish --watch`")
    args = parser.parse_args()
    folder = start(args.data_dir, None)
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # pages name the hashed stylesheets
    from huiwen.newsroom.models import Article
    from huiwen.publish.static import site_urls
    from search import load_corpus  # bench/search.py's loader of the generated corpus

    if Article.objects.count() < args.articles:
        seconds = load_corpus("generated", args.articles - Article.objects.count(), seed=11)
        print(f"generated {args.articles:,} articles in {seconds:.0f} s; related rows: {related_rows(10):,}")
    if args.sample:
        return sample(folder, args.sample)
    if args.watch and args.out:
        return watched_changes(Path(args.out), folder, args.watch)
    urls = site_urls()
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="huiwen-site-", dir=folder))
    print(f"site: {len(urls):,} files ({Article.objects.visible().count():,} articles, both editions); {out}")
    if not args.out:
        full_build(out, urls, args)
    change_one(out)


def full_build(out: Path, urls: list[str], args: argparse.Namespace) -> None:
    from huiwen.publish.static import Report, _publish_urls, publish

    report = publish(out, full=True, workers=args.workers)
    print(f"full build, {args.workers} workers: {report.written:,} files in {report.seconds:.1f} s = "
          f"{report.pages_per_second:,.0f} pages/s")

    sample = Path(tempfile.mkdtemp(prefix="huiwen-anchor-", dir=out.parent))
    anchor_urls = urls[:: max(1, int(1 / args.anchor_share))]
    started = time.perf_counter()
    anchor = Report()
    _publish_urls(sample, anchor_urls, anchor, lambda n: None, workers=1)
    single = len(anchor_urls) / (time.perf_counter() - started)
    print(f"anchor, 1 worker, {len(anchor_urls):,} of the same pages: {single:,.0f} pages/s "
          f"(ratio {report.pages_per_second / single:.2f})")


def sample(folder: Path, articles: int) -> None:
    """What a full build spends per page, measured on a slice of a large site without building it all:
    the same rendering (`_publish_urls`, one process) into a scratch folder. The slice's records are
    the site's own (PublishedFile holds one per path): put back as they were afterwards."""
    import shutil

    from django.db.models import Count

    from huiwen.newsroom.models import Article, Channel
    from huiwen.publish.models import PublishedFile
    from huiwen.publish.static import Report, _file_for, _publish_urls

    visible = Article.objects.visible().order_by("pk").values_list("pk", flat=True)
    middle = visible.count() // 2
    pages = [url for pk in visible[middle:middle + articles] for url in (f"/a/{pk}.html", f"/zh-hant/a/{pk}.html")]
    largest = (Article.objects.visible().values("channel_id").annotate(n=Count("pk")).order_by("-n")
               .values_list("channel_id", flat=True).first())
    base = Channel.objects.get(pk=largest).get_absolute_url()
    deep = range(1000, 1000 + articles // 8)
    lists = [url for n in deep for url in (f"{base}index_{n}.html", f"/zh-hant{base}index_{n}.html")]
    for name, urls in (("article pages", pages), (f"deep list pages of {base}", lists)):
        scratch = Path(tempfile.mkdtemp(prefix="huiwen-sample-", dir=folder))
        records = PublishedFile.objects.filter(path__in=[_file_for(url) for url in urls])
        kept = list(records.values_list("path", "digest", "written_at"))
        report, started = Report(), time.perf_counter()
        _publish_urls(scratch, urls, report, lambda n: None, workers=1)
        seconds = time.perf_counter() - started
        for path, digest, written_at in kept:
            PublishedFile.objects.filter(path=path).update(digest=digest, written_at=written_at)
        shutil.rmtree(scratch)
        print(f"{name}, both editions, 1 process: {report.written:,} in {seconds:.1f} s = "
              f"{report.written / seconds:,.0f} pages/s")


def change_one(out: Path) -> None:
    from huiwen.newsroom import actions
    from huiwen.newsroom.models import Article
    from huiwen.publish.static import Renderer, publish

    article = Article.objects.visible().order_by("-published_at").first()
    started, renderer, sample = time.perf_counter(), Renderer(), article.get_absolute_url()
    renderer.prefetch([sample])
    for url in (sample, f"/zh-hant{sample}", "/sitemap-news-zh-hant.xml"):
        renderer.render(url)
    print(f"a fresh publisher process renders its first pages in {time.perf_counter() - started:.2f} s (its code "
          f"loaded, templates compiled: once for each `huiwen publish`, before it reads what changed)")
    publish(out)  # settle anything pending before measuring one change
    article.title = article.title + "(更新)"
    article.save()
    edit = publish(out)
    print(f"one article edited, republished: its pages in {edit.changed_seconds:.2f} s; the run {edit.seconds:.2f} s, "
          f"{edit.written} files rewritten ({edit.written + edit.unchanged} rendered, {edit.swept} of them stale "
          f"deep list pages)")

    from django.db.models import Count
    from django.utils import timezone

    largest = (Article.objects.visible().values("channel_id").annotate(n=Count("pk")).order_by("-n")
               .values_list("channel_id", flat=True).first())
    model = Article.objects.visible().filter(channel_id=largest).order_by("-published_at").first()
    model.pk, model.id = None, None
    model.title, model.published_at = model.title + "(新到)", timezone.now()
    model.source_url = f"https://bench.example/new/{time.time_ns()}.html"
    model.save()
    new = publish(out)
    print(f"one new article in the largest channel, republished: its pages in {new.changed_seconds:.2f} s; the run "
          f"{new.seconds:.2f} s, {new.written} files rewritten ({new.swept} stale deep list pages among them), "
          f"{new.stale:,} deep list pages left for later runs")

    victim = Article.objects.visible().order_by("-published_at")[3]
    started = time.perf_counter()
    actions.withdraw([victim], None, "benchmark")
    gone = not (out / f"a/{victim.pk}.html").exists() and not (out / f"zh-hant/a/{victim.pk}.html").exists()
    print(f"one article withdrawn: its files gone in {time.perf_counter() - started:.3f} s ({gone})")
    after = publish(out)
    print(f"  republished: its pages in {after.changed_seconds:.2f} s; the run {after.seconds:.2f} s, "
          f"{after.written} files rewritten ({after.swept} stale deep list pages among them), {after.deleted} deleted, "
          f"{after.stale:,} deep list pages left for later runs")


def watched_changes(out: Path, folder: Path, rounds: int) -> None:
    import os
    import statistics
    import subprocess
    import threading

    from django.db.models import Count
    from django.utils import timezone

    from huiwen.newsroom import actions
    from huiwen.newsroom.models import Article
    from huiwen.publish.static import stale_pages

    env = {**os.environ, "HUIWEN_DATA_DIR": str(folder)}
    command = [sys.executable, "-m", "huiwen", "publish", "--watch", "--no-progress", "--out", str(out)]
    watcher = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    memory: list[float] = []
    done = threading.Event()

    def sample_memory() -> None:
        while not done.wait(1.0):
            status = Path(f"/proc/{watcher.pid}/status").read_text()
            memory.append(int(next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1]) / 1024)

    def until(check, timeout: float = 120.0) -> float:
        started = time.perf_counter()
        while not check():
            if time.perf_counter() - started > timeout:
                return float("nan")
            time.sleep(0.02)
        return time.perf_counter() - started

    def shows(relative: str, text: str) -> bool:
        try:
            return text in (out / relative).read_text(encoding="utf-8")
        except OSError:
            return False

    threading.Thread(target=sample_memory, daemon=True).start()
    time.sleep(5)  # the watcher's start, and its first run
    print(f"watcher started; {stale_pages():,} stale deep list pages for it to refresh between changes")
    largest = (Article.objects.visible().values("channel_id").annotate(n=Count("pk")).order_by("-n")
               .values_list("channel_id", flat=True).first())
    timings: dict[str, list[float]] = {"edit": [], "new": [], "withdrawal: file gone": [], "withdrawal: list": []}
    for number in range(rounds):
        article = Article.objects.visible().order_by("-published_at")[5 + number]
        article.title = f"{article.title}(更新{number})"
        article.save()
        page, title = f"a/{article.pk}.html", article.title
        timings["edit"].append(until(lambda page=page, title=title: shows(page, title)))
        model = Article.objects.visible().filter(channel_id=largest).order_by("-published_at").first()
        model.pk, model.id = None, None
        model.title, model.published_at = f"{model.title}(新到{number})", timezone.now()
        model.source_url = f"https://bench.example/watched/{time.time_ns()}.html"
        model.save()
        timings["new"].append(until(lambda path=out / f"a/{model.pk}.html": path.exists()))
        victim = Article.objects.visible().order_by("-published_at")[1]
        listing = victim.channel.get_absolute_url().lstrip("/") + "index.html"
        started = time.perf_counter()
        actions.withdraw([victim], None, "benchmark")
        gone = time.perf_counter() - started  # withdrawing deletes the files itself (publish.static)
        link = f'/a/{victim.pk}.html"'
        timings["withdrawal: file gone"].append(
            gone + until(lambda path=out / f"a/{victim.pk}.html": not path.exists()))
        timings["withdrawal: list"].append(
            until(lambda listing=listing, link=link: (out / listing).exists() and not shows(listing, link)))
        time.sleep(1)
    done.set()
    watcher.terminate()
    code = watcher.wait(timeout=120)
    for name, values in timings.items():
        print(f"{name}: on disk after {statistics.median(values):.2f} s median, {max(values):.2f} s at most "
              f"({', '.join(f'{value:.2f}' for value in values)})")
    print(f"{stale_pages():,} stale deep list pages left; the watcher stopped on SIGTERM with code {code}")
    if memory:
        print(f"watcher resident memory: {memory[0]:.0f} MB after 1 s, {max(memory):.0f} MB at most, "
              f"{memory[-1]:.0f} MB at the end ({len(memory)} samples)")


if __name__ == "__main__":
    main()
