"""Operations through gunicorn, as a load balancer, Prometheus and a log pipeline meet them."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import lxml.html
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.deploy.conftest import free_port, wait

REDIS_SERVER = shutil.which("redis-server")


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def samples(body: bytes) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(body.decode()):
        for sample in family.samples:
            found[sample.name, tuple(sorted(sample.labels.items()))] = sample.value
    return found


def value(found, name: str, **labels: str) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def served(make_stack, workers: int = 1, *, demo: bool = False, **env: str) -> tuple[str, object]:
    stack = make_stack(**env)
    # The demo's articles, without its sample source site's sources and notices: the metrics
    # tests count the sources and notices they add themselves.
    stack.huiwen("demo", "--no-serve", "--no-sample-site") if demo else stack.huiwen("migrate", "--verbosity", "0")
    port = free_port()
    stack.gunicorn(port, workers=workers)
    return f"http://127.0.0.1:{port}", stack


def test_healthz_and_readyz_when_everything_is_up(make_stack):
    base, _ = served(make_stack)
    status, headers, body = get(base + "/healthz")
    assert status == 200 and json.loads(body) == {"status": "ok"} and headers["Cache-Control"] == "no-store"
    status, _, body = get(base + "/readyz")
    report = json.loads(body)
    assert status == 200 and report["status"] == "ready"
    assert set(report["checks"]) == {"database", "queue", "disk"}
    assert all(check["ok"] for check in report["checks"].values())
    assert report["checks"]["disk"]["value"] > 0
    # A probe by address, with a host name the site does not serve and over plain HTTP, still answers.
    assert get(base + "/healthz", {"Host": "10.0.0.7:8000"})[0] == 200
    assert get(base + "/readyz", {"Host": "10.0.0.7:8000"})[0] == 200
    assert get(base + "/", {"Host": "10.0.0.7:8000"})[0] == 400  # while pages keep the host check
    status, headers, _ = fetch_method(base + "/readyz", "POST")
    assert status == 405 and headers["Allow"] == "GET, HEAD"


def fetch_method(url: str, method: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, method=method, data=b"")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_readyz_fails_on_a_full_disk_but_the_process_stays_healthy(make_stack):
    base, _ = served(make_stack, HUIWEN_READY_MIN_FREE_MB=str(10**9))
    status, _, body = get(base + "/readyz")
    report = json.loads(body)
    assert status == 503 and report["status"] == "not ready"
    assert report["checks"]["disk"]["ok"] is False and report["checks"]["database"]["ok"] is True
    assert "at least 1000000000 MB" in report["checks"]["disk"]["detail"]
    assert get(base + "/healthz")[0] == 200


@pytest.mark.redis
@pytest.mark.skipif(not REDIS_SERVER, reason="redis-server is not installed (make test installs it)")
def test_readyz_fails_without_redis_and_recovers_when_it_returns(make_stack, tmp_path):
    redis_port = free_port()
    base, stack = served(make_stack, HUIWEN_REDIS_URL=f"redis://127.0.0.1:{redis_port}/0")
    status, _, body = get(base + "/readyz")
    report = json.loads(body)
    assert status == 503 and report["checks"]["redis"]["ok"] is False
    assert "ConnectionError" in report["checks"]["redis"]["detail"]
    assert report["checks"]["queue"]["ok"] is False  # the queue lives in Redis too
    assert get(base + "/healthz")[0] == 200
    stack.start([REDIS_SERVER, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)])
    for _ in range(50):
        status, _, body = get(base + "/readyz")
        if status == 200:
            break
        time.sleep(0.2)
    assert status == 200 and json.loads(body)["checks"]["redis"]["ok"] is True


def test_readyz_fails_when_the_database_is_unreachable(make_stack):
    # A PostgreSQL URL where nothing listens: the app still starts, the probe says why it is not ready.
    base, _ = served_without_database(make_stack)
    status, _, body = get(base + "/readyz")
    report = json.loads(body)
    assert status == 503 and report["checks"]["database"]["ok"] is False
    assert "OperationalError" in report["checks"]["database"]["detail"]
    assert get(base + "/healthz")[0] == 200


def served_without_database(make_stack) -> tuple[str, object]:
    stack = make_stack(HUIWEN_DATABASE_URL=f"postgres://nobody:nothing@127.0.0.1:{free_port()}/none")
    port = free_port()
    stack.gunicorn(port, workers=1)
    return f"http://127.0.0.1:{port}", stack


def test_queue_lag_fails_readiness_only_when_a_limit_is_set(make_stack):
    base, stack = served(make_stack, HUIWEN_READY_MAX_QUEUE_LAG="300")
    stale = ("from datetime import timedelta; from django.utils import timezone; "
             "from huiwen.backoffice.models import WorkerBeat; "
             "WorkerBeat.objects.create(worker='gone:1', beat_at=timezone.now() - timedelta(minutes=20))")
    stack.huiwen("shell", "-c", stale)
    status, _, body = get(base + "/readyz")
    queue = json.loads(body)["checks"]["queue"]
    assert status == 503 and queue["ok"] is False and 1190 < queue["value"] < 1300
    # The workers' heartbeat task runs (as the consumer runs it, once a minute): ready again.
    stack.huiwen("shell", "-c", "from huiwen.backoffice.tasks import heartbeat; heartbeat.call_local()")
    status, _, body = get(base + "/readyz")
    assert status == 200 and json.loads(body)["checks"]["queue"]["value"] < 60


def test_metrics_are_not_public(make_stack):
    base, _ = served(make_stack, HUIWEN_PROXY_ADDRESSES="127.0.0.1", HUIWEN_METRICS_TOKEN="s3cret-token-for-tests")
    assert get(base + "/metrics")[0] == 200  # loopback, no proxy in between
    # Through our nginx: the reader's address decides.
    assert get(base + "/metrics", {"X-Real-IP": "203.0.113.9"})[0] == 403
    assert get(base + "/metrics", {"X-Real-IP": "127.0.0.1"})[0] == 200
    assert get(base + "/metrics", {"X-Real-IP": "203.0.113.9", "Authorization": "Bearer wrong"})[0] == 403
    assert get(base + "/metrics", {"X-Real-IP": "203.0.113.9",
                                   "Authorization": "Bearer s3cret-token-for-tests"})[0] == 200
    # /readyz answers everyone (load balancers), with details only for those who may read metrics.
    status, _, body = get(base + "/readyz", {"X-Real-IP": "203.0.113.9"})
    assert status == 200 and json.loads(body)["checks"]["disk"] == {"ok": True}


def test_metrics_refuse_requests_forwarded_by_an_unknown_proxy(make_stack):
    base, _ = served(make_stack)  # HUIWEN_PROXY_ADDRESSES not set
    assert get(base + "/metrics")[0] == 200
    assert get(base + "/metrics", {"X-Forwarded-For": "203.0.113.9"})[0] == 403
    assert get(base + "/metrics", {"X-Real-IP": "127.0.0.1"})[0] == 403


def test_metrics_count_across_workers_and_read_state(make_stack):
    base, stack = served(make_stack, workers=2, demo=True, HUIWEN_PAGE_CACHE="1")
    home = lxml.html.fromstring(get(base + "/")[2])
    article = next(href for href in home.xpath("//a/@href") if href.startswith("/a/"))
    for _ in range(12):
        assert get(base + article)[0] == 200
    assert get(base + "/no-such-page/")[0] == 404
    setup = (
        "from datetime import timedelta; from django.utils import timezone; "
        "from huiwen.collect.models import Source, SourceRun; from huiwen.takedown.models import Notice; "
        "from huiwen.newsroom.models import Channel, Publisher; "
        "source = Source.objects.create(name='澄州日报订阅', kind='feed', url='http://127.0.0.1:9/feed.xml', "
        "publisher=Publisher.objects.first(), channel=Channel.objects.first()); "
        "SourceRun.objects.create(source=source, fetched=7, new=5, failed=2, ok=True); "
        "SourceRun.objects.create(source=source, fetched=3, new=1, ok=False); "
        "Notice.objects.create(claimant_name='权利人', email='r@example.com', address='某地', works='某作品', "
        "urls='http://example.com/a', evidence_text='证明', status=Notice.Status.COUNTER_NOTICED, "
        "restore_due_at=timezone.now() - timedelta(hours=2)); "
        "print(source.name)"
    )
    source = stack.huiwen("shell", "-c", setup).stdout.strip().splitlines()[-1]
    status, headers, body = get(base + "/metrics")
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    found = samples(body)
    # Twelve requests, whichever of the two workers answered them: summed at scrape.
    article_count = value(found, "huiwen_request_duration_seconds_count", view="reader:article", status="2xx")
    cached_count = value(found, "huiwen_request_duration_seconds_count", view="(page cache)", status="2xx")
    assert article_count + cached_count == 12
    assert value(found, "huiwen_page_cache_requests_total", result="hit") == cached_count >= 10
    assert value(found, "huiwen_page_cache_requests_total", result="miss") == article_count + 1  # and the home page
    assert value(found, "huiwen_request_duration_seconds_count", view="reader:channel", status="4xx") == 1
    assert value(found, "huiwen_collector_pages_total", source=source, outcome="fetched") == 10
    assert value(found, "huiwen_collector_pages_total", source=source, outcome="new") == 6
    assert value(found, "huiwen_collector_runs_total", source=source, result="failed") == 1
    assert value(found, "huiwen_takedown_notices", status="counter_noticed") == 1
    assert value(found, "huiwen_takedown_restorations_overdue") == 1
    assert -7300 < value(found, "huiwen_takedown_next_restoration_seconds") < -7100
    assert value(found, "huiwen_task_queue_depth") == 0
    assert value(found, "huiwen_data_dir_free_bytes") > 0
    assert value(found, "huiwen_search_engine_backlog") == 0  # SQLite: each indexing process applied its changes
    assert not any(name == "huiwen_metrics_errors" for name, _ in found)


def test_json_logs_from_the_app_and_from_gunicorn(make_stack, tmp_path):
    stack = make_stack(HUIWEN_LOG_FORMAT="json", HUIWEN_LOG_LEVEL="INFO")
    result = stack.huiwen("shell", "-c", "import logging; logging.getLogger('huiwen.check').warning("
                                        "'采集完成 %s', 'x', extra={'source': '澄州日报', 'new': 3})")
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["level"] == "WARNING" and line["logger"] == "huiwen.check" and line["message"] == "采集完成 x"
    assert line["source"] == "澄州日报" and line["new"] == 3 and "time" in line
    stack.huiwen("migrate", "--verbosity", "0")
    log = tmp_path / "gunicorn.log"
    port = free_port()
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "gunicorn", "huiwen.wsgi", "-c",
                                    "python:huiwen.ops.gunicorn_conf", "-b", f"127.0.0.1:{port}", "-w", "1"],
                                   env=stack.env, stdout=out, stderr=subprocess.STDOUT)
        stack.processes.append(process)
        wait(f"http://127.0.0.1:{port}/healthz")
        get(f"http://127.0.0.1:{port}/healthz")
        assert get(f"http://127.0.0.1:{port}/robots.txt")[0] == 200  # timed: the worker writes its counts
        process.terminate()
        process.wait(timeout=20)
    records = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    assert any(record["logger"] == "gunicorn.error" and "Listening at" in record["message"] for record in records)
    access = [record for record in records if record["logger"] == "gunicorn.access"]
    assert any('"GET /healthz HTTP/1.1" 200' in record["message"] for record in access)
    # The metrics of the worker that exited were folded into the archive, not left behind.
    from huiwen.ops.metrics import CountedCollector  # the collector a scrape uses, over that folder

    folder = Path(stack.env["HUIWEN_DATA_DIR"]) / "metrics"
    assert list(folder.glob("*.db")) == [] and (folder / "archive.json").is_file()
    counted = {family.name: family for family in CountedCollector(folder).collect()}
    requests = counted["huiwen_request_duration_seconds"].samples
    assert sum(sample.value for sample in requests  # robots.txt's (health checks are not timed)
               if sample.name.endswith("_count") and sample.labels["status"] == "2xx") >= 1


def test_reader_pages_read_from_a_replica(make_stack, tmp_path):
    stack = make_stack()
    stack.huiwen("demo", "--no-serve")
    data = Path(stack.env["HUIWEN_DATA_DIR"])
    pk = stack.huiwen("shell", "-c", "from huiwen.newsroom.models import Article; "
                                     "print(Article.objects.visible().order_by('pk').first().pk)").stdout.split()[-1]
    replica = tmp_path / "replica.sqlite3"
    source, copy = sqlite3.connect(data / "huiwen.sqlite3"), sqlite3.connect(replica)
    source.backup(copy)
    source.close()
    copy.close()
    # The primary changes after the copy: the replica "lags".
    stack.huiwen("shell", "-c", "from huiwen.newsroom.models import Article; "
                                f"a = Article.objects.get(pk={pk}); a.title = '只在主库的新标题'; a.save()")
    stack.env["HUIWEN_DATABASE_REPLICAS"] = f"sqlite:///{replica}"
    stack.env["HUIWEN_PAGE_CACHE"] = "0"
    port = free_port()
    stack.gunicorn(port)
    base = f"http://127.0.0.1:{port}"
    page = lxml.html.fromstring(get(f"{base}/a/{pk}.html")[2])
    assert "只在主库的新标题" not in page.xpath("string(//h1)")  # read from the replica
    status, _, body = get(base + "/readyz")
    assert status == 200 and set(json.loads(body)["checks"]) >= {"database", "database:replica1"}
    # Without replicas the same page shows the primary's title.
    stack.env.pop("HUIWEN_DATABASE_REPLICAS")
    port = free_port()
    stack.gunicorn(port)
    page = lxml.html.fromstring(get(f"http://127.0.0.1:{port}/a/{pk}.html")[2])
    assert "只在主库的新标题" in page.xpath("string(//h1)")
