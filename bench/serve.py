"""Serving baseline: one article page from the app under gunicorn (DEBUG off) vs nginx serving a saved copy.

Both run on loopback in the same run and are measured with wrk; the ratio app/nginx is the figure
that later work (page cache, static publishing) moves.

    .venv/bin/python bench/serve.py [--duration 10] [--connections 32] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def wait_for(url: str, timeout: float = 20) -> bytes:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def wrk(url: str, duration: int, connections: int) -> tuple[float, str]:
    result = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True, text=True, check=True,
    )
    match = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: .*", result.stdout)
    assert match, result.stdout
    return float(match.group(1)), errors.group(0) if errors else "no errors"


def nginx_config(root: Path, port: int, work: Path) -> str:
    return f"""
worker_processes auto;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    types {{ text/html html; }}
    client_body_temp_path {work}/body; proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi; uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;
    server {{ listen 127.0.0.1:{port}; root {root}; }}
}}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            sys.exit(f"{tool} is missing: apt-get install {tool if tool == 'wrk' else 'nginx-light'}")

    work = Path(tempfile.mkdtemp(prefix="huiwen-bench-serve-"))
    work.chmod(0o755)  # nginx workers run as an unprivileged user and must read the saved page
    env = {**os.environ, "HUIWEN_DATA_DIR": str(work / "data"), "HUIWEN_DEBUG": "0", "HUIWEN_LOG_LEVEL": "WARNING"}
    subprocess.run([BIN / "huiwen", "demo", "--no-serve"], env=env, check=True, capture_output=True)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        processes.append(subprocess.Popen(
            [BIN / "gunicorn", "huiwen.wsgi", "-b", "127.0.0.1:18601", "-w", str(args.workers), "--log-level", "warning"],
            env=env,
        ))
        app_url = "http://127.0.0.1:18601/a/1.html"
        page = wait_for(app_url)
        static_root = work / "static-site"
        (static_root / "a").mkdir(parents=True)
        (static_root / "a" / "1.html").write_bytes(page)
        for path in (static_root, static_root / "a", static_root / "a" / "1.html"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        (work / "nginx.conf").write_text(nginx_config(static_root, 18602, work))
        processes.append(subprocess.Popen(["nginx", "-c", str(work / "nginx.conf"), "-g", "daemon off;"]))
        nginx_url = "http://127.0.0.1:18602/a/1.html"
        assert wait_for(nginx_url) == page

        print(f"article page: {len(page):,} bytes; wrk -t2 -c{args.connections} -d{args.duration}s on 127.0.0.1")
        nginx_rps, nginx_errors = wrk(nginx_url, args.duration, args.connections)
        app_rps, app_errors = wrk(app_url, args.duration, args.connections)
        print(f"{'server':<44}{'requests/s':>12}  errors")
        print(f"{'nginx, saved copy of the page':<44}{nginx_rps:>12,.0f}  {nginx_errors}")
        print(f"{f'app, gunicorn {args.workers} workers, DEBUG off':<44}{app_rps:>12,.0f}  {app_errors}")
        print(f"ratio app / nginx: {app_rps / nginx_rps:.4f}  (nginx is {nginx_rps / app_rps:.0f}x faster)")
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
