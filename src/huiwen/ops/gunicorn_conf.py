"""gunicorn's configuration for huiwen: `gunicorn huiwen.wsgi -c python:huiwen.ops.gunicorn_conf`.

It starts from huiwen.gunicorn_conf (the request limits `huiwen demo` uses too) and adds what a
service needs. Command-line options given after it (bind, workers) override these defaults. Read
by gunicorn's master before Django is loaded: nothing here imports Django.

- Metrics: a new master starts counting afresh; a worker that exits has its counts folded into
  the archive file (huiwen.ops.metrics), so replacing workers loses no count and leaves no file.
- max_requests with jitter: a safety net, not a fix. A worker is replaced after about 20,000
  requests, at a different moment for each worker so they are never all restarting together. The
  soak benchmark (bench/soak.py) measures memory without it growing; the net is for leaks in
  code we do not own.
- Logs: errors to stderr (the journal under systemd), access lines to stdout, both as JSON lines
  when HUIWEN_LOG_FORMAT=json.
"""

from __future__ import annotations

from typing import Any

from huiwen.config import value
from huiwen.gunicorn_conf import *  # noqa: F403 - the shipped request limits
from huiwen.ops import logs

max_requests = 20_000
max_requests_jitter = 2_000
timeout = 30
graceful_timeout = 30
keepalive = 5  # behind nginx's keepalive upstream
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

if value("HUIWEN_LOG_FORMAT") == "json":
    logconfig_dict: dict[str, Any] = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": logs.formatter("json")},
        "handlers": {
            "error": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"},
            "access": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"},
        },
        "root": {"level": "INFO", "handlers": ["error"]},  # replaces gunicorn's default root handler
        "loggers": {
            "gunicorn.error": {"handlers": ["error"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        },
    }


def on_starting(server: Any) -> None:
    from huiwen.ops import metrics

    metrics.clear()


def child_exit(server: Any, worker: Any) -> None:
    from huiwen.ops import metrics

    metrics.fold_dead_process(worker.pid)
