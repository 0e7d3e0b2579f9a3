"""Soak: mixed reader traffic through gunicorn for a long time while workers collect and a publisher runs.

Everything runs as in production, each in its own process: gunicorn (huiwen.ops.gunicorn_conf, with
max_requests OFF so that growth is seen, not hidden by recycling), `huiwen worker` collecting from
a fixture news site on loopback that publishes a new article every few seconds (its feed lists the
latest 40), and `huiwen publish` every minute. Reader traffic from client threads, at a bounded
rate: home, channel pages, article pages (ids refreshed from the API every minute, so new
articles are read too), search, feeds, sitemaps, the JSON API; half of the pages in the
Traditional edition (/zh-hant/).

Reported per minute: requests, 5xx, p50 and p99 latency, and the resident memory (RSS) of every
process (gunicorn master and each worker, the collector worker, the last publisher run). At the
end: 5xx total, each process's RSS after warm-up and at the end, and the growth; a CSV for the
memory curve.

    .venv/bin/python bench/soak.py --minutes 60 --database-url postgres://… --redis-url redis://…/N
    .venv/bin/python bench/soak.py --minutes 10          # SQLite, in-process page cache

Traffic stays on 127.0.0.1 and stops by itself after --minutes.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import json
import os
import random
import shutil
import socket
import statistics
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
from urllib.parse import quote

HUIWEN = [sys.executable, "-m", "huiwen"]
SEARCH_WORDS = ("高铁", "茶园", "河道", "社区", "学校", "医院", "春节", "改革", "北京", "乡村", "網際網路", "文化")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# -- the news site the workers collect from --------------------------------------------------


class NewsSite:
    """A site that publishes a new article every `every` seconds; /feed.xml lists the latest 40."""

    def __init__(self, every: float, seed: int = 19) -> None:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
        from huiwen.newsroom import demo_content

        self.rng = random.Random(seed)
        self.pool = [p for article in demo_content.ARTICLES for p in article["body"]]
        self.titles = [article["title"] for article in demo_content.ARTICLES]
        self.every, self.started = every, time.time()
        self.pages: dict[int, tuple[str, str, float]] = {}
        self.lock = threading.Lock()
        self.hits = 0
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                site.hits += 1
                status, body, kind = site.answer(self.path)
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _published(self) -> int:
        return int((time.time() - self.started) / self.every) + 40

    def _page(self, number: int) -> tuple[str, str, float]:
        with self.lock:
            if number not in self.pages:
                title = f"{self.rng.choice(self.titles)}(第{number}期)"
                paragraphs = self.rng.sample(self.pool, 4)
                self.pages[number] = (title, "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs),
                                      self.started + (number - 40) * self.every)
            return self.pages[number]

    def answer(self, path: str) -> tuple[int, str, str]:
        if path == "/robots.txt":
            return 200, "User-agent: *\nAllow: /\n", "text/plain"
        if path == "/feed.xml":
            newest = self._published()
            items = []
            for number in range(newest, max(0, newest - 40), -1):
                title, _, at = self._page(number)
                items.append(f"<item><title>{escape(title)}</title><link>{self.base}/news/{number}.html</link>"
                             f"<pubDate>{formatdate(at)}</pubDate></item>")
            return 200, (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>浸泉日报</title>'
                         f"<link>{self.base}/</link>{''.join(items)}</channel></rss>"), "application/rss+xml"
        if path.startswith("/news/") and path.endswith(".html"):
            number = int(path[6:-5])
            if number > self._published():
                return 404, "not yet", "text/plain"
            title, body, at = self._page(number)
            stamp = time.strftime("%Y-%m-%d %H:%M", time.localtime(at))
            return 200, (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
                         f'<body><h1>{escape(title)}</h1><div class="info">{stamp} 来源:浸泉日报</div>'
                         f'<div class="article">{body}<p>(责编:测试)</p></div></body></html>'), \
                "text/html; charset=utf-8"
        return 404, "no", "text/plain"


# -- processes and their memory ----------------------------------------------------------------


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


def children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


class Processes:
    def __init__(self, env: dict[str, str]) -> None:
        self.env, self.started = env, []

    def start(self, command: list[str], log: Path) -> subprocess.Popen[bytes]:
        out = open(log, "ab")  # noqa: SIM115 - kept open for the process's life
        process = subprocess.Popen(command, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        self.started.append(process)
        return process

    def stop(self) -> None:
        for process in reversed(self.started):
            if process.poll() is None:
                process.terminate()
        for process in self.started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


# -- reader traffic ------------------------------------------------------------------------------


class Traffic:
    def __init__(self, port: int, rate: float, seed: int) -> None:
        self.port, self.rate = port, rate
        self.rng = random.Random(seed)
        self.articles: list[int] = []
        self.channels: list[str] = ["/news/"]
        self.records: list[tuple[float, str, int, float]] = []  # (time, kind, status, ms)
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def refresh(self) -> None:
        status, body = self.get("/api/v1/articles?limit=100")
        if status == 200:
            items = json.loads(body)["items"]
            self.articles = [int(item["id"]) for item in items] + self.articles[:400]
        status, body = self.get("/api/v1/channels")
        if status == 200:
            found = json.loads(body)
            tree = found if isinstance(found, list) else found.get("items", [])
            paths = []
            stack = list(tree)
            while stack:
                channel = stack.pop()
                if isinstance(channel, dict):
                    if channel.get("url") or channel.get("path"):
                        path = channel.get("url") or "/" + channel["path"].strip("/") + "/"
                        paths.append(path if path.startswith("/") else "/" + path)
                    stack += channel.get("children", [])
            self.channels = paths or self.channels

    def get(self, path: str) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", path, headers={"Host": "127.0.0.1"})
            response = connection.getresponse()
            return response.status, response.read()
        except OSError:
            return 599, b""  # connection refused or reset: counted as a server error
        finally:
            connection.close()

    def pick(self) -> tuple[str, str]:
        roll = self.rng.random()
        edition = "/zh-hant" if self.rng.random() < 0.5 else ""
        if roll < 0.45 and self.articles:
            return "article", f"{edition}/a/{self.rng.choice(self.articles)}.html"
        if roll < 0.60:
            return "channel", edition + self.rng.choice(self.channels)
        if roll < 0.70:
            return "home", edition + "/"
        if roll < 0.85:
            return "search", f"{edition}/search?q={quote(self.rng.choice(SEARCH_WORDS))}"
        if roll < 0.92:
            return "feed", self.rng.choice(["/feed/rss.xml", "/feed/atom.xml"])
        if roll < 0.96:
            return "sitemap", self.rng.choice(["/sitemap.xml", "/sitemap-articles.xml"])
        return "api", "/api/v1/articles?limit=20"

    def client(self, interval: float) -> None:
        next_at = time.monotonic()
        while not self.stop.is_set():
            kind, path = self.pick()
            started = time.perf_counter()
            status, _ = self.get(path)
            elapsed = (time.perf_counter() - started) * 1000
            with self.lock:
                self.records.append((time.time(), kind, status, elapsed))
            next_at += interval
            delay = next_at - time.monotonic()
            if delay > 0:
                self.stop.wait(delay)
            else:
                next_at = time.monotonic()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=60)
    parser.add_argument("--database-url", default="", help="an EMPTY PostgreSQL database (default: SQLite)")
    parser.add_argument("--redis-url", default="")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--rate", type=float, default=40, help="requests per second, all clients together")
    parser.add_argument("--new-article-every", type=float, default=4.0, help="seconds between new articles")
    parser.add_argument("--warmup-minutes", type=float, default=5)
    parser.add_argument("--data-dir", default="")
    parser.add_argument("--csv", default="", help="write the per-minute figures here")
    parser.add_argument("--max-requests", type=int, default=0, help="gunicorn max_requests (0: never recycle)")
    args = parser.parse_args()

    work = Path(args.data_dir or tempfile.mkdtemp(prefix="huiwen-soak-"))
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    env = {**os.environ, "HUIWEN_DATA_DIR": str(work / "data"), "HUIWEN_DEBUG": "0", "HUIWEN_LOG_LEVEL": "WARNING",
           "HUIWEN_ALLOWED_HOSTS": "127.0.0.1", "HUIWEN_PAGE_CACHE": "1"}
    for name, given in (("HUIWEN_DATABASE_URL", args.database_url), ("HUIWEN_REDIS_URL", args.redis_url)):
        if given:
            env[name] = given
        else:
            env.pop(name, None)
    site = NewsSite(args.new_article_every)
    processes = Processes(env)

    def huiwen(*command: str) -> str:
        return subprocess.run([*HUIWEN, *command], env=env, check=True, capture_output=True, text=True).stdout

    print(f"soak: {args.minutes:g} min, {'PostgreSQL' if args.database_url else 'SQLite'}"
          f"{' + Redis' if args.redis_url else ''}, gunicorn {args.web_workers} workers "
          f"(max_requests {args.max_requests}), {args.clients} clients at {args.rate:g} req/s; "
          f"{os.cpu_count()} CPUs, load {load_average()}", flush=True)
    huiwen("demo", "--no-serve")
    huiwen("source", "add", "feed", f"{site.base}/feed.xml", "--publisher", "浸泉日报", "--channel", "news",
           "--allow-private", "--interval", "1", "--max-items", "40", "--host-interval", "0.2")
    huiwen("publish", "--no-progress")
    port = free_port()
    web = processes.start([sys.executable, "-m", "gunicorn", "huiwen.wsgi", "-c", "python:huiwen.ops.gunicorn_conf",
                           "-b", f"127.0.0.1:{port}", "-w", str(args.web_workers),
                           "--max-requests", str(args.max_requests)], work / "gunicorn.log")
    worker = processes.start([*HUIWEN, "worker", "--workers", "2"], work / "worker.log")
    traffic = Traffic(port, args.rate, 19)
    deadline = time.monotonic() + 60
    while traffic.get("/healthz")[0] != 200:
        assert time.monotonic() < deadline, "gunicorn did not start"
        time.sleep(0.5)
    traffic.refresh()

    publisher_rss: list[float] = []
    stop = threading.Event()

    def publisher() -> None:
        while not stop.wait(60):
            run = subprocess.Popen([*HUIWEN, "publish", "--no-progress"], env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
            peak = 0.0
            while run.poll() is None:
                peak = max(peak, rss_mb(run.pid) or 0.0)
                time.sleep(0.2)
            publisher_rss.append(peak)

    threading.Thread(target=publisher, daemon=True).start()
    threads = [threading.Thread(target=traffic.client, args=(args.clients / args.rate,), daemon=True)
               for _ in range(args.clients)]
    for thread in threads:
        thread.start()

    memory: list[dict[str, float]] = []
    begin = time.time()
    minutes = int(args.minutes)
    rows = []
    print(f"{'min':>4} {'req':>6} {'5xx':>4} {'p50 ms':>7} {'p99 ms':>7}  RSS MB: gunicorn master / workers; "
          f"collector; publisher peak; load", flush=True)
    try:
        for minute in range(1, minutes + 1):
            while time.time() < begin + minute * 60:
                time.sleep(1)
            traffic.refresh()
            sample = {"master": rss_mb(web.pid) or 0.0, "collector": rss_mb(worker.pid) or 0.0}
            for number, pid in enumerate(sorted(children(web.pid)), start=1):
                sample[f"web{number}"] = rss_mb(pid) or 0.0
            for pid in children(worker.pid):  # huey's consumer runs in the command's process; none expected
                sample[f"collector-child-{pid}"] = rss_mb(pid) or 0.0
            sample["publisher"] = publisher_rss[-1] if publisher_rss else 0.0
            memory.append(sample)
            with traffic.lock:
                window = [r for r in traffic.records if begin + (minute - 1) * 60 <= r[0] < begin + minute * 60]
            latencies = [r[3] for r in window]
            errors = sum(1 for r in window if r[2] >= 500)
            row = {"minute": minute, "requests": len(window), "5xx": errors,
                   "p50_ms": round(percentile(latencies, 0.5), 1), "p99_ms": round(percentile(latencies, 0.99), 1),
                   **{f"rss_{k}": round(v, 1) for k, v in sample.items()}, "load": load_average().split()[0]}
            rows.append(row)
            workers_rss = " ".join(f"{v:.0f}" for k, v in sorted(sample.items()) if k.startswith("web"))
            print(f"{minute:>4} {len(window):>6} {errors:>4} {row['p50_ms']:>7} {row['p99_ms']:>7}  "
                  f"{sample['master']:.0f} / {workers_rss}; {sample['collector']:.0f}; {sample['publisher']:.0f}; "
                  f"{row['load']}", flush=True)
            if web.poll() is not None or worker.poll() is not None:
                print("a process died: stopping", flush=True)
                break
    finally:
        traffic.stop.set()
        stop.set()
        for thread in threads:
            thread.join(timeout=40)
        collected = huiwen("shell", "-c", "from huiwen.newsroom.models import Article; "
                                          "print(Article.objects.filter(source_url__contains='/news/').count())")
        processes.stop()
        site.server.shutdown()

    records = traffic.records
    errors = [r for r in records if r[2] >= 500]
    by_kind: dict[str, list[float]] = defaultdict(list)
    for _, kind, _, ms in records:
        by_kind[kind].append(ms)
    print(f"\nrequests {len(records)}, 5xx {len(errors)}"
          + (f" (first: {errors[0][1]} {errors[0][2]})" if errors else "")
          + f"; articles collected during the run: {collected.split()[-1]}; fixture site hits {site.hits}")
    for kind, values in sorted(by_kind.items()):
        print(f"  {kind:<8} {len(values):>7} requests, p50 {percentile(values, 0.5):6.1f} ms, "
              f"p99 {percentile(values, 0.99):7.1f} ms, mean {statistics.mean(values):6.1f} ms")
    warm = min(len(memory) - 1, max(0, int(args.warmup_minutes) - 1))
    if memory:
        print(f"RSS after warm-up (minute {warm + 1}) → end (minute {len(memory)}), MB:")
        for name in sorted(memory[-1]):
            first = memory[warm].get(name, 0.0)
            last = memory[-1][name]
            peak = max(sample.get(name, 0.0) for sample in memory[warm:])
            print(f"  {name:<12} {first:7.1f} → {last:7.1f} (peak {peak:7.1f}, change {last - first:+6.1f})")
    if args.csv and rows:
        with open(args.csv, "w", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=sorted({k for row in rows for k in row}, key=str))
            writer.writeheader()
            writer.writerows(rows)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
