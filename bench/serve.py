"""Serving one article page in both editions, measured with wrk on loopback in the same run.

1. anchor: nginx sending a saved copy of the Simplified page (the physical limit);
2. the production stack with the page cache warm: nginx in front of the app, the page taken
   from the static publisher's folder (`huiwen publish`), the app not involved: Simplified
   (/a/N.html) and Traditional (/zh-hant/a/N.html);
3. the app alone (gunicorn with huiwen.gunicorn_conf, DEBUG off) with its in-process page cache
   warm, both editions;
4. the app alone with the page cache off: every request rendered (the Traditional page also
   converted: the phrase list, then OpenCC), both editions: the one page again and again, then
   every visible demo article in turn (a Lua script for wrk), as an uncached site's crawlers ask;
   the Traditional rows again with no converted line kept (HUIWEN_TRADITIONAL_MEMO_CHARS=0): every
   page converted whole, the worst case (a page asked for the first time still finds its header,
   footer and the lists it shares with other pages converted).

    .venv/bin/python bench/serve.py [--duration 10] [--connections 32] [--workers 2]

The data is the demo content in a fresh temporary folder (SQLite, WAL).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def wait_for(url: str, timeout: float = 30) -> bytes:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wrk(url: str, duration: int, connections: int, script: Path | None = None) -> tuple[float, float, str]:
    options = ["-s", str(script)] if script else []
    result = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", *options, url],
                            capture_output=True, text=True, check=True)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", result.stdout)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: .*", result.stdout)
    assert rate, result.stdout
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    latency = float(p99.group(1)) * scale[p99.group(2)] if p99 else float("nan")
    return float(rate.group(1)), latency, errors.group(0) if errors else "none"


def nginx_main(work: Path, server: str) -> str:
    user = "user root;\n" if os.geteuid() == 0 else ""
    return (f"{user}worker_processes auto;\npid {work}/nginx.pid;\nerror_log {work}/nginx-error.log;\n"
            f"events {{ worker_connections 1024; }}\nhttp {{\n include /etc/nginx/mime.types;\n access_log off;\n"
            f" sendfile on; tcp_nopush on;\n client_body_temp_path {work}/body; proxy_temp_path {work}/proxy;\n"
            f" fastcgi_temp_path {work}/fcgi; uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;\n"
            f"{server}\n}}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description="Serving benchmark")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--gunicorn", default="", help="more gunicorn options, e.g. '-k gthread --threads 4'")
    args = parser.parse_args()
    if not shutil.which("wrk") or not Path(NGINX).exists():
        sys.exit("wrk and nginx are needed: apt-get install wrk nginx-light")

    work = Path(tempfile.mkdtemp(prefix="huiwen-bench-serve-"))
    base_env = {**os.environ, "HUIWEN_DATA_DIR": str(work / "data"), "HUIWEN_DEBUG": "0",
                "HUIWEN_LOG_LEVEL": "WARNING", "HUIWEN_ALLOWED_HOSTS": "127.0.0.1"}
    base_env.pop("HUIWEN_DATABASE_URL", None)

    def huiwen(*command: str) -> str:
        done = subprocess.run([BIN / "huiwen", *command], env=base_env, check=True, capture_output=True, text=True)
        return done.stdout

    huiwen("demo", "--no-serve")
    huiwen("publish", "--no-progress")
    processes: list[subprocess.Popen[bytes]] = []

    def start(command: list[str], env: dict[str, str] | None = None) -> None:
        processes.append(subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))

    try:
        gunicorn = [str(BIN / "gunicorn"), "-c", "python:huiwen.gunicorn_conf", "huiwen.wsgi", "-w", str(args.workers),
                    "--log-level", "warning", *args.gunicorn.split()]
        cached, uncached, web, anchor_port = free_port(), free_port(), free_port(), free_port()
        unmemoised = free_port()
        start([*gunicorn, "-b", f"127.0.0.1:{cached}"], base_env)
        start([*gunicorn, "-b", f"127.0.0.1:{uncached}"], {**base_env, "HUIWEN_PAGE_CACHE": "0"})
        # The same, with no converted line kept: every Traditional page converted whole (the worst
        # case, in the same run).
        start([*gunicorn, "-b", f"127.0.0.1:{unmemoised}"],
              {**base_env, "HUIWEN_PAGE_CACHE": "0", "HUIWEN_TRADITIONAL_MEMO_CHARS": "0"})
        path = "/a/1.html"
        hant = f"/zh-hant{path}"
        page = wait_for(f"http://127.0.0.1:{cached}{path}")
        hant_page = wait_for(f"http://127.0.0.1:{cached}{hant}")
        wait_for(f"http://127.0.0.1:{uncached}{path}")
        wait_for(f"http://127.0.0.1:{unmemoised}{hant}")
        saved = work / "saved"
        (saved / "a").mkdir(parents=True)
        (saved / "a" / "1.html").write_bytes(page)
        for folder in (work, saved, saved / "a", work / "data", work / "data" / "site"):
            folder.chmod(0o755)  # nginx workers read these files
        server = huiwen("nginx_config", "--listen", f"127.0.0.1:{web}", "--app", f"127.0.0.1:{cached}")
        static_server = f"server {{ listen 127.0.0.1:{anchor_port}; root {saved}; }}"
        (work / "nginx.conf").write_text(nginx_main(work, server + "\n" + static_server))
        start([NGINX, "-c", str(work / "nginx.conf"), "-g", "daemon off;"])
        wait_for(f"http://127.0.0.1:{anchor_port}{path}")
        wait_for(f"http://127.0.0.1:{web}{path}")

        # Every visible article page in turn, in both editions: each request renders another page
        # (its own 相关阅读, channel and breadcrumbs), as an uncached site's crawlers ask.
        ids = [word for word in huiwen("shell", "-c", "from huiwen.newsroom.models import Article\n"
                                       "print(*Article.objects.visible().values_list('pk', flat=True))").split()
               if word.isdigit()]  # the shell may say which models it imported first
        rotation: dict[str, Path] = {}
        for edition, prefix in (("Simplified", ""), ("Traditional", "/zh-hant")):
            rotation[edition] = work / f"every-{edition}.lua"
            paths = ", ".join(f'"{prefix}/a/{pk}.html"' for pk in ids)
            rotation[edition].write_text(f"local paths = {{{paths}}}\nlocal i = 0\n"
                                         "request = function() i = i + 1; "
                                         "return wrk.format(nil, paths[(i % #paths) + 1]) end\n")
        workers = f"gunicorn {args.workers} workers"
        rows: list[tuple[str, str] | tuple[str, str, Path]] = [
            ("anchor: nginx, a saved copy of the page", f"http://127.0.0.1:{anchor_port}{path}"),
            ("nginx + app, published file, Simplified", f"http://127.0.0.1:{web}{path}"),
            ("nginx + app, published file, Traditional", f"http://127.0.0.1:{web}{hant}"),
            (f"app alone, {workers}, page cache warm, Simplified", f"http://127.0.0.1:{cached}{path}"),
            (f"app alone, {workers}, page cache warm, Traditional", f"http://127.0.0.1:{cached}{hant}"),
            (f"app alone, {workers}, uncached, Simplified", f"http://127.0.0.1:{uncached}{path}"),
            (f"app alone, {workers}, uncached, Traditional", f"http://127.0.0.1:{uncached}{hant}"),
            (f"app alone, uncached, every article ({len(ids)}), Simplified", f"http://127.0.0.1:{uncached}/",
             rotation["Simplified"]),
            (f"app alone, uncached, every article ({len(ids)}), Traditional", f"http://127.0.0.1:{uncached}/",
             rotation["Traditional"]),
            (f"app alone, {workers}, uncached, Traditional, no line memo", f"http://127.0.0.1:{unmemoised}{hant}"),
            (f"app alone, uncached, every article ({len(ids)}), Traditional, no line memo", f"http://127.0.0.1:{unmemoised}/",
             rotation["Traditional"]),
        ]
        print(f"article page {path}: {len(page):,} bytes, {hant}: {len(hant_page):,} bytes; "
              f"wrk -t2 -c{args.connections} -d{args.duration}s, {os.cpu_count()} cores, same run; "
              f"load average before: {os.getloadavg()[0]:.1f}")
        print(f"{'server':<68}{'requests/s':>12}{'p99 ms':>9}{'ratio':>8}  errors")
        anchor = None
        for label, url, *script in rows:
            rate, p99, errors = wrk(url, args.duration, args.connections, *script)
            anchor = anchor or rate
            print(f"{label:<68}{rate:>12,.0f}{p99:>9.1f}{rate / anchor:>8.3f}  {errors}")
        print(f"load average after: {os.getloadavg()[0]:.1f}")
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)  # a loaded machine takes its time
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
