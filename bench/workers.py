"""Ingest with N worker processes side by side on PostgreSQL + Redis (bench/ingest.py --workers N).

Production's path: `huiwen worker` processes (Huey consumers on Redis) run `collect_source`
tasks; URLs are claimed in the database a batch at a time; per-host politeness is one clock in
Redis. See bench/ingest.py's docstring for the options.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from email.utils import formatdate
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

HUIWEN = [sys.executable, "-m", "huiwen"]


class Sites:
    """H news sites on 127.0.0.2, 127.0.0.3, …: /feed.xml lists the site's pages; every request is logged."""

    def __init__(self, hosts: int, pages: int, page, seed: int) -> None:  # type: ignore[no-untyped-def]
        from huiwen.newsroom import demo_content

        rng = random.Random(seed)
        pool = [p for article in demo_content.ARTICLES for p in article["body"]]
        titles = [article["title"] for article in demo_content.ARTICLES]
        self.log: list[tuple[str, str, float]] = []  # (host, path, time)
        self.lock = threading.Lock()
        self.servers: list[ThreadingHTTPServer] = []
        self.bases: list[str] = []
        self.pages: dict[str, dict[str, bytes]] = {}
        for number in range(hosts):
            address = f"127.0.0.{number + 2}"
            routes: dict[str, bytes] = {"/robots.txt": b"User-agent: *\nAllow: /\n"}
            base_index = number * (pages // hosts)
            links = []
            for index in range(base_index, base_index + pages // hosts):
                title = f"{rng.choice(titles)} 之{index}"
                routes[f"/news/{index}.html"] = page(index, title, rng.sample(pool, 4), f"站点{number}日报").encode()
                links.append((index, title))
            self.pages[address] = routes
            server = ThreadingHTTPServer((address, 0), self._handler(address))
            base = f"http://{address}:{server.server_address[1]}"
            items = "".join(f"<item><title>{escape(title)}</title><link>{base}/news/{index}.html</link>"
                            f"<pubDate>{formatdate()}</pubDate></item>" for index, title in links)
            routes["/feed.xml"] = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                                   f"<title>站点{number}</title><link>{base}/</link>{items}</channel></rss>").encode()
            threading.Thread(target=server.serve_forever, daemon=True).start()
            self.servers.append(server)
            self.bases.append(base)

    def _handler(self, address: str):  # type: ignore[no-untyped-def]
        sites = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                with sites.lock:
                    sites.log.append((address, self.path, time.monotonic()))
                body = sites.pages[address].get(self.path)
                self.send_response(200 if body is not None else 404)
                kind = "application/rss+xml" if self.path.endswith(".xml") else "text/html; charset=utf-8"
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

        return Handler

    def closest_gap(self) -> float:
        """The shortest time between two requests for article pages of one host."""
        per_host: dict[str, list[float]] = defaultdict(list)
        for host, path, at in self.log:
            if path.startswith("/news/"):
                per_host[host].append(at)
        gaps = [b - a for times in per_host.values() for a, b in zip(sorted(times), sorted(times)[1:], strict=False)]
        return min(gaps) if gaps else float("inf")

    def close(self) -> None:
        for server in self.servers:
            server.shutdown()


def _recreate(database_url: str) -> None:
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        for attempt in range(30):
            try:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                break
            except psycopg.errors.InsufficientPrivilege:
                # An autovacuum worker (the superuser's) is still on the last run's database,
                # and only a superuser may end it: it finishes on its own within seconds.
                if attempt == 29:
                    raise
                time.sleep(1)
        connection.execute(f'CREATE DATABASE "{name}"')


def _cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            # utime + stime, and cutime + cstime: the postmaster is credited with the CPU of its
            # backends that exited during the run (a worker's connection closed after a task).
            total += sum(int(value) for value in fields[11:15]) / ticks
        except (FileNotFoundError, ProcessLookupError, IndexError):
            pass
    return total


def _postgres_pids() -> list[int]:
    found = subprocess.run(["pgrep", "-x", "postgres"], capture_output=True, text=True).stdout.split()
    return [int(pid) for pid in found]


def side_by_side(args, build_warc, page, make_editor) -> int:  # type: ignore[no-untyped-def]
    if not args.database_url or not args.redis_url:
        sys.exit("--workers needs --database-url (PostgreSQL) and --redis-url")
    work = Path(tempfile.mkdtemp(prefix="huiwen-bench-workers-"))
    env = {**os.environ, "HUIWEN_DATA_DIR": str(work / "data"), "HUIWEN_LOG_LEVEL": "ERROR",
           "HUIWEN_DATABASE_URL": args.database_url, "HUIWEN_REDIS_URL": args.redis_url,
           "DJANGO_SETTINGS_MODULE": "huiwen.settings"}
    os.environ.update(env)
    _recreate(args.database_url)
    import redis

    redis.Redis.from_url(args.redis_url).flushdb()
    import django

    django.setup()
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from huiwen.backoffice.models import WorkerBeat
    from huiwen.collect.models import SeenURL, Source, SourceRun
    from huiwen.newsroom.models import Article, Channel, Publisher
    from huiwen.search.backends import get_backend

    call_command("migrate", verbosity=0)
    channel = Channel.objects.create(slug="local", name="地方")
    publisher = Publisher.objects.create(name="基准日报")
    later = timezone.now() + timedelta(days=1)  # the worker's schedule must not queue runs of its own
    # Publishing sources (a responsible editor named) index every article and compute its 相关阅读;
    # --review stores them pending for the review queue.
    publishing = {"review": True} if args.review else {"review": False, "editor": make_editor()}
    sites = None
    if args.hosts:
        sites = Sites(args.hosts, args.pages, page, args.seed)
        sources = [Source.objects.create(name=f"site{n}", kind="feed", url=f"{base}/feed.xml", publisher=publisher,
                                         channel=channel, max_items=args.pages, allow_private=True, **publishing,
                                         host_interval=args.host_interval, next_run_at=later)
                   for n, base in enumerate(sites.bases)]
        tasks = [source.pk for source in sources]
        what = f"{args.hosts} fixture sites (feeds), host interval {args.host_interval} s"
    else:
        warc = build_warc(work / "input", args.pages, args.seed)
        source = Source.objects.create(name="bench", kind="warc", url=str(warc), publisher=publisher, channel=channel,
                                       max_items=args.pages, next_run_at=later, **publishing)
        tasks = [source.pk] * args.workers
        what = f"one WARC of {args.pages} pages ({warc.stat().st_size / 1e6:.1f} MB)"
    pages = args.pages // args.hosts * args.hosts if args.hosts else args.pages
    what += ", into the review queue (not indexed)" if args.review else ", published (indexed, 相关阅读)"
    print(f"{args.workers} worker process(es), PostgreSQL + Redis, {what}; {os.cpu_count()} CPUs, "
          f"load {' '.join(Path('/proc/loadavg').read_text().split()[:3])}", flush=True)
    workers = [subprocess.Popen([*HUIWEN, "worker", "--workers", "1"], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL) for _ in range(args.workers)]
    try:
        deadline = time.monotonic() + 120
        while WorkerBeat.objects.count() < args.workers:  # each consumer beats once when it has started
            assert time.monotonic() < deadline and all(w.poll() is None for w in workers), "workers did not start"
            time.sleep(0.2)
        database_cpu = _cpu_seconds(_postgres_pids())
        worker_cpu = _cpu_seconds([w.pid for w in workers])
        started = time.perf_counter()
        from huiwen.collect.tasks import collect_source

        for pk in tasks:
            collect_source(pk)
        deadline = time.monotonic() + 3600
        while True:
            done = SeenURL.objects.filter(state=SeenURL.State.DONE, source__in=set(tasks)).count()
            running = SourceRun.objects.filter(finished_at__isnull=True).count()
            runs = SourceRun.objects.count()
            if done >= pages and running == 0 and runs >= len(tasks):
                break
            assert time.monotonic() < deadline and all(w.poll() is None for w in workers), "workers did not finish"
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
        database_cpu = _cpu_seconds(_postgres_pids()) - database_cpu
        worker_cpu = _cpu_seconds([w.pid for w in workers]) - worker_cpu
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=60)
        if sites:
            sites.close()
    stored = Article.objects.count()
    published = Article.objects.filter(status=Article.Status.PUBLISHED).count()
    print(f"published {published} of {stored} stored; indexed {get_backend().size()}")
    distinct = Article.objects.values("source_url").distinct().count()
    by_worker = defaultdict(int)
    for worker, new in SourceRun.objects.values_list("worker", "new"):
        by_worker[worker.split(":")[1]] += new
    rate = stored / elapsed
    print(f"stored {stored} of {pages} pages ({distinct} distinct URLs: "
          f"{'nothing lost or stored twice' if stored == distinct == pages else 'MISMATCH'}) in {elapsed:.1f} s")
    print(f"articles/s: {rate:.0f} in all, {rate / args.workers:.0f} per worker process; "
          f"split between processes: {sorted(by_worker.values(), reverse=True)}")
    print(f"CPU per article: workers {worker_cpu * 1000 / stored:.2f} ms, "
          f"PostgreSQL {database_cpu * 1000 / stored:.2f} ms (all of PostgreSQL's processes on this machine "
          "during the run, other users' included)")
    if sites:
        fetched = [path for _, path, _ in sites.log if path.startswith("/news/")]
        print(f"fixture sites: {len(fetched)} article requests for {pages} pages "
              f"({len(fetched) - len(set(fetched))} repeated); closest two requests to one host "
              f"{sites.closest_gap() * 1000:.0f} ms apart (interval asked: {args.host_interval * 1000:.0f} ms)")
    return 0
