"""`huiwen deploy-files`: the systemd units and the nginx site for this installation.

Written from what the command runs with: the Python of this installation (its virtual
environment), the data folder, and every HUIWEN_* setting in the environment, which goes into an
environment file the units read (mode 0600: it holds the database password and the secret key).
The nginx site is the one `huiwen nginx_config` prints (huiwen/publish/nginx.conf.template).

- huiwen-web.service: gunicorn (Type=notify: systemd knows when it is ready), reload with HUP
  (new workers, no dropped requests), the configuration in huiwen.ops.gunicorn_conf;
- huiwen-worker.service: `huiwen worker` (collection, scheduled publication, takedown timers),
  stopped with SIGINT so running tasks finish;
- huiwen-publish.service: `huiwen publish --watch`, one long-running publisher that writes a
  change within seconds (huiwen.publish.watcher), stopped with SIGTERM after its run in progress;
- huiwen-search-engine.service: `huiwen search_index --engine --follow`, which builds this host's
  tantivy ranking index and keeps it current (on every host that serves readers; search pages
  rank with the database's own index until it is built);
- every service runs as an unprivileged user, with the file system read-only except the data
  folder (and the publish folder when it lies elsewhere).
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from huiwen.config import SETTINGS
from huiwen.publish.management.commands.nginx_config import render as render_nginx

ENV_FILE = "huiwen.env"
NGINX_FILE = "nginx-huiwen.conf"
PRIVATE_TREES = ("/home", "/root", "/run/user")


@dataclass(frozen=True)
class Plan:
    user: str = "huiwen"
    app: str = "127.0.0.1:8000"
    web_workers: int = 2 * (os.cpu_count() or 1) + 1
    worker_threads: int = 4
    listen: str = "80"
    server_name: str = "_"
    env_path: str = "/etc/huiwen/huiwen.env"
    python: str = sys.executable


def _quote(argument: str) -> str:
    """An argument as systemd's command-line parser reads it back (and % escaped for specifiers)."""
    escaped = argument.replace("%", "%%")
    if re.fullmatch(r"[A-Za-z0-9_@%+=:,./-]+", escaped):
        return escaped
    return '"' + escaped.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _command(*arguments: str) -> str:
    return " ".join(_quote(argument) for argument in arguments)


def _writable() -> list[str]:
    folders = [Path(settings.DATA_DIR)]
    publish = Path(settings.PUBLISH["OUT_DIR"])
    if not publish.resolve().is_relative_to(Path(settings.DATA_DIR).resolve()):
        folders.append(publish)
    return [str(folder) for folder in folders]


def _service(plan: Plan, description: str, body: list[str], after: str = "") -> str:
    writable = _writable()
    private = any(path.startswith(PRIVATE_TREES) for path in [plan.python, *writable])
    lines = [
        "[Unit]",
        f"Description={description}",
        f"After=network-online.target{after}",
        "Wants=network-online.target",
        "",
        "[Service]",
        f"User={plan.user}",
        f"Group={plan.user}",
        f"EnvironmentFile={plan.env_path}",
        f"WorkingDirectory={_quote(str(settings.DATA_DIR))}",
        *body,
        "NoNewPrivileges=yes",
        "PrivateTmp=yes",
        "PrivateDevices=yes",
        "ProtectSystem=strict",
        *([] if private else ["ProtectHome=yes"]),
        "ReadWritePaths=" + " ".join(_quote(path) for path in writable),
        "UMask=0027",
    ]
    return "\n".join(lines) + "\n"


def web_unit(plan: Plan) -> str:
    body = [
        "Type=notify",
        "NotifyAccess=main",
        "ExecStart=" + _command(plan.python, "-m", "gunicorn", "huiwen.wsgi", "-c", "python:huiwen.ops.gunicorn_conf",
                                "--bind", plan.app, "--workers", str(plan.web_workers)),
        "ExecReload=/bin/kill -s HUP $MAINPID",
        "KillMode=mixed",
        "TimeoutStopSec=40",
        "Restart=on-failure",
        "RestartSec=2",
    ]
    return _service(plan, "huiwen web (gunicorn)", body, " postgresql.service redis-server.service") + \
        "\n[Install]\nWantedBy=multi-user.target\n"


def worker_unit(plan: Plan) -> str:
    body = [
        "Type=simple",
        "ExecStart=" + _command(plan.python, "-m", "huiwen", "worker", "--workers", str(plan.worker_threads)),
        # Huey stops gracefully on SIGINT (running tasks finish); a task still running after the
        # timeout is killed, and its claimed URLs are collected again (HUIWEN_CLAIM_TTL).
        "KillSignal=SIGINT",
        "TimeoutStopSec=120",
        "Restart=always",
        "RestartSec=5",
    ]
    return _service(plan, "huiwen worker (collection, scheduled publication, takedown timers)", body,
                    " postgresql.service redis-server.service") + "\n[Install]\nWantedBy=multi-user.target\n"


def publish_unit(plan: Plan) -> str:
    body = [
        "Type=simple",
        "ExecStart=" + _command(plan.python, "-m", "huiwen", "publish", "--watch", "--no-progress"),
        "Nice=5",
        # SIGTERM ends the watcher after the run in progress (a sweep batch: seconds).
        "TimeoutStopSec=60",
        "Restart=always",
        "RestartSec=5",
    ]
    return _service(plan, "huiwen static publishing (changed pages, as they change)", body,
                    " postgresql.service") + "\n[Install]\nWantedBy=multi-user.target\n"


def search_engine_unit(plan: Plan) -> str:
    body = [
        "Type=simple",
        "ExecStart=" + _command(plan.python, "-m", "huiwen", "search_index", "--engine", "--follow"),
        "Nice=5",
        "TimeoutStopSec=60",  # SIGTERM ends it after the round in progress
        "Restart=always",
        "RestartSec=5",
    ]
    return _service(plan, "huiwen search ranking engine of this host (tantivy, follows the change log)", body,
                    " postgresql.service") + "\n[Install]\nWantedBy=multi-user.target\n"


def environment_file() -> str:
    """Every HUIWEN_* setting this command runs with (the data folder made absolute)."""
    values = {setting.name: os.environ[setting.name] for setting in SETTINGS if setting.name in os.environ}
    values["HUIWEN_DATA_DIR"] = str(settings.DATA_DIR)
    lines = ["# huiwen's settings for its services (docs/settings.md). Keep this file mode 0600."]
    for name in sorted(values):
        escaped = values[name].replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$")
        lines.append(f'{name}="{escaped}"')
    return "\n".join(lines) + "\n"


def files(plan: Plan) -> dict[str, str]:
    return {
        "huiwen-web.service": web_unit(plan),
        "huiwen-worker.service": worker_unit(plan),
        "huiwen-publish.service": publish_unit(plan),
        "huiwen-search-engine.service": search_engine_unit(plan),
        ENV_FILE: environment_file(),
        NGINX_FILE: render_nginx(plan.listen, plan.app, plan.server_name),
    }


def write(folder: Path, plan: Plan) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files(plan).items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        path.chmod(0o600 if name == ENV_FILE else 0o644)
        written.append(path)
    return written


def instructions(folder: Path, plan: Plan) -> str:
    data = settings.DATA_DIR
    return f"""Install (as root), from {folder}:
  useradd --system --home-dir {data} --shell /usr/sbin/nologin {plan.user}
  chown -R {plan.user}: {data}
  install -D -m 600 {ENV_FILE} {plan.env_path}
  cp huiwen-web.service huiwen-worker.service huiwen-publish.service huiwen-search-engine.service /etc/systemd/system/
  cp {NGINX_FILE} /etc/nginx/sites-available/huiwen && ln -sf ../sites-available/huiwen /etc/nginx/sites-enabled/huiwen
  systemctl daemon-reload && systemctl enable --now huiwen-web huiwen-worker huiwen-publish huiwen-search-engine
  nginx -t && systemctl reload nginx
Check: curl -s http://{plan.app}/readyz
"""
