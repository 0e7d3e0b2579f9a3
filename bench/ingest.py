"""End-to-end ingest rate: a WARC of authored article pages into the store and the search index.

One process, SQLite (WAL) in a fresh temporary data folder. The pages are built from the demo's
authored paragraphs (each page a different mix of four paragraphs, so most pages are distinct
works) in the shape of a portal article page, written to a WARC file, and collected as a
`warc` source: archive, extract, sanitise, dedupe (URL, content hash, MinHash story), store,
search indexing and related-reading refresh all included. The anchor, in the same run, is the
extractor alone over the same pages: the ratio shows what storing costs on top of extracting.

    .venv/bin/python bench/ingest.py [--pages 2000] [--sensitive-words 0] [--stages]

--sensitive-words N fills the screening lists first with N fictional entries (a third each
block, review and replace, made of rare characters so no page is held back): every article is
then screened and its body rewritten for replace words, as on a portal with real lists.
--stages also prints where a page's time goes: wall-clock time inside the main stages, per
article (nested stages are counted in their callers too; the wrapping itself costs ~1 %).

Workers side by side (issue 19): `--workers N --database-url postgres://…/NAME --redis-url
redis://…/DB` runs N `huiwen worker` processes (Huey on Redis) as in production. The database
NAME is dropped and created afresh and the Redis database flushed, so give benchmark-only names.

    .venv/bin/python bench/ingest.py --workers 2 --pages 4000 --database-url … --redis-url …
    .venv/bin/python bench/ingest.py --workers 2 --hosts 20 --pages 2000 --host-interval 0.05 …

Without --hosts, one large WARC is queued once per worker; the workers share it a batch of URLs at
a time. With --hosts H, H fixture news sites on 127.0.0.2…, each a feed source with its pages;
every request is logged by the sites, and the closest two requests to one host are reported next
to the interval the source asks for (politeness across workers goes through Redis). Reported:
articles/s from the first task queued to the last page stored, articles/s per worker, whether any
page was lost or stored twice, and the CPU seconds per article spent in the workers and in
PostgreSQL (where the limit is on this machine).

The sources publish what they collect, as a reprint portal's sources usually do (a responsible
editor is named): every article is indexed for search and gets its 相关阅读 in the same batch.
`--review` collects into the review queue instead (articles stored pending, nothing indexed), the
lighter path, and the only one the workers' runs measured before 2026-12-07 afternoon (their
sources named no editor, so nothing was published).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from html import escape
from pathlib import Path


def page(index: int, title: str, paragraphs: list[str], source: str) -> str:
    body = "\n".join(f"<p>\u3000\u3000{escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{escape(title)}--地方--基准测试网</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="/local/">地方</a> <a href="/tech/">科技</a></div>
<h1>{escape(title)}</h1>
<div class="info">2026-11-{1 + index % 28:02d} {index % 24:02d}:{index % 60:02d} 来源:{escape(source)}</div>
<div class="article">{body}<p>(责编:基准)</p></div>
<div class="related"><h3>相关新闻</h3><a href="/x/{index}.html">另一条新闻的标题放在这里</a></div>
<div class="footer">基准测试网 版权所有</div></body></html>"""


def build_warc(folder: Path, pages: int, seed: int) -> Path:
    from huiwen.collect.archive import Archive
    from huiwen.collect.fetch import Response
    from huiwen.newsroom import demo_content

    rng = random.Random(seed)
    pool = [p for article in demo_content.ARTICLES for p in article["body"]]
    titles = [article["title"] for article in demo_content.ARTICLES]
    with Archive(folder, prefix="bench") as archive:
        for index in range(pages):
            html = page(index, f"{rng.choice(titles)} 之{index}", rng.sample(pool, 4), "基准日报")
            url = f"https://bench.example/local/{index}.html"
            archive.write(Response(url=url, final_url=url, status=200,
                                   headers=[("Content-Type", "text/html; charset=utf-8")], body=html.encode(),
                                   request_headers=[], fetched_at=time.time()))
        return archive.path


# (module, attribute, label): the stages --stages times.
STAGES = (
    ("huiwen.collect.pipeline", "Collector._prepare", "fetch or read, archive, extract"),
    ("huiwen.collect.pipeline", "Collector._extract", "  extraction"),
    ("huiwen.collect.pipeline", "Collector._store_batch", "store a batch (all of it)"),
    ("huiwen.collect.pipeline", "Collector._store_one", "  store the pages one by one"),
    ("huiwen.collect.store", "_insert", "    the article's insert and its signals"),
    ("huiwen.text.fingerprint", "signature", "    story signature"),
    ("huiwen.collect.store", "_matching_story", "    story candidates"),
    ("huiwen.search.indexing", "index_many", "  search indexing"),
    ("huiwen.search.indexing", "document", "    segmentation"),
    ("huiwen.search.related", "refresh_many", "  相关阅读"),
    ("huiwen.search.related", "_similar", "    candidates and scoring"),
    ("huiwen.search.related", "_offer", "    offers to older lists"),
)


def time_stages() -> dict[str, float]:
    """Wrap the STAGES with timers; the dict they add their seconds to."""
    import functools
    import importlib

    spent: dict[str, float] = {}
    for module_name, attribute, label in STAGES:
        owner = importlib.import_module(module_name)
        *path, name = attribute.split(".")
        for part in path:
            owner = getattr(owner, part)
        original = getattr(owner, name)

        @functools.wraps(original)
        def timed(*args, _original=original, _label=label, **kwargs):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                spent[_label] = spent.get(_label, 0.0) + time.perf_counter() - started

        setattr(owner, name, timed)
    return spent


def _editor():  # type: ignore[no-untyped-def]
    """The bench source publishes directly, which needs a responsible editor with a real name."""
    from django.contrib.auth import get_user_model

    from huiwen.backoffice.models import EditorProfile

    user = get_user_model().objects.create(username="bench-editor")
    EditorProfile.objects.create(user=user, real_name="林知远")
    return user


def main() -> None:
    parser = argparse.ArgumentParser(description="End-to-end ingest benchmark")
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sensitive-words", type=int, default=0)
    parser.add_argument("--stages", action="store_true")
    parser.add_argument("--workers", type=int, default=0, help="N `huiwen worker` processes (PostgreSQL + Redis)")
    parser.add_argument("--database-url", default="", help="with --workers: a PostgreSQL database to RECREATE")
    parser.add_argument("--redis-url", default="", help="with --workers: a Redis database to FLUSH")
    parser.add_argument("--hosts", type=int, default=0, help="with --workers: fixture sites instead of a WARC")
    parser.add_argument("--host-interval", type=float, default=0.05, help="seconds between requests to one host")
    parser.add_argument("--review", action="store_true",
                        help="with --workers: collect into the review queue (stored pending, not indexed)")
    args = parser.parse_args()
    if args.workers:
        from workers import side_by_side

        return side_by_side(args, build_warc, page, _editor)
    work = Path(tempfile.mkdtemp(prefix="huiwen-bench-ingest-"))
    os.environ.update({"HUIWEN_DATA_DIR": str(work / "data"), "HUIWEN_LOG_LEVEL": "ERROR",
                       "DJANGO_SETTINGS_MODULE": "huiwen.settings"})
    os.environ.pop("HUIWEN_DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from huiwen.collect.archive import iter_warc_pages
    from huiwen.collect.models import Source
    from huiwen.collect.pipeline import Collector
    from huiwen.extract import extract
    from huiwen.newsroom.models import Article, Channel, Publisher

    call_command("migrate", verbosity=0)
    warc = build_warc(work / "input", args.pages, args.seed)
    print(f"{args.pages} pages in {warc.name} ({warc.stat().st_size / 1e6:.1f} MB gzipped); SQLite WAL, one process; "
          f"{args.sensitive_words} sensitive words listed")

    pages = list(iter_warc_pages(warc))
    started, cpu_started = time.perf_counter(), time.process_time()
    for url, headers, body in pages:
        extract(body, url, headers)
    extract_rate = len(pages) / (time.perf_counter() - started)
    extract_cpu = (time.process_time() - cpu_started) / len(pages)

    if args.sensitive_words:
        from huiwen.backoffice.models import SensitiveWord

        used = set("".join(body.decode() for _, _, body in pages))
        rare = [chr(code) for code in range(0x4E00, 0x9FA5) if chr(code) not in used]
        rng = random.Random(args.seed)
        words = {"".join(rng.sample(rare, 3)) for _ in range(args.sensitive_words * 2)}
        kinds = ("block", "review", "replace")
        SensitiveWord.objects.bulk_create([SensitiveWord(word=word, kind=kinds[n % 3])
                                           for n, word in enumerate(sorted(words)[: args.sensitive_words])])
    channel = Channel.objects.create(slug="local", name="地方")
    publisher = Publisher.objects.create(name="基准日报")
    source = Source.objects.create(name="bench", kind="warc", url=str(warc), publisher=publisher,
                                   channel=channel, max_items=args.pages, review=False, editor=_editor())
    spent = time_stages() if args.stages else {}
    collector = Collector()
    statements = 0

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    started, cpu_started = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(count):  # about a microsecond per statement
        run = collector.run(source)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    collector.close()
    stored = Article.objects.count()
    assert run.ok and stored == args.pages, (run.ok, stored, run.failed, run.skipped)
    rate = stored / elapsed
    print(f"{'stage':<44}{'articles/s':>12}")
    print(f"{'anchor: extraction alone (bytes -> draft)':<44}{extract_rate:>12,.0f}")
    print(f"{'huiwen: WARC -> store + search index':<44}{rate:>12,.0f}")
    print(f"ratio end-to-end / extraction alone: {rate / extract_rate:.2f}")
    # CPU time of this process: steadier than the rates when other work shares the machine.
    print(f"CPU per article: extraction alone {extract_cpu * 1000:.2f} ms, end-to-end {cpu * 1000 / stored:.2f} ms "
          f"(ratio {cpu / stored / extract_cpu:.2f})")
    print(f"stories: {Article.objects.values('story').distinct().count()} for {stored} articles; "
          f"cores used: 1 (goal >= 200 articles/s per core)")
    print(f"SQL statements per article: {statements / stored:.1f}")
    for _, _, label in STAGES if args.stages else ():  # in the order of the pipeline, nested under callers
        print(f"  {label:<40}{spent.get(label, 0.0) * 1000 / stored:8.3f} ms/article")


if __name__ == "__main__":
    sys.exit(main())
