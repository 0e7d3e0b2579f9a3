"""`huiwen nginx_config`: print an nginx server configuration for this installation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from csp.utils import build_policy
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

TEMPLATE = Path(__file__).resolve().parents[2] / "nginx.conf.template"


def security_headers() -> list[tuple[str, str]]:
    """The headers Django's SecurityMiddleware, clickjacking middleware and django-csp put on every
    page, as this installation's settings make them: nginx must send the same on its own files."""
    headers = [
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", settings.SECURE_REFERRER_POLICY),
        ("X-Frame-Options", settings.X_FRAME_OPTIONS),
        ("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY),
        ("Content-Security-Policy", build_policy()),
    ]
    if settings.SECURE_HSTS_SECONDS:
        hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        hsts += "; includeSubDomains" if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS else ""
        hsts += "; preload" if settings.SECURE_HSTS_PRELOAD else ""
        headers.append(("Strict-Transport-Security", hsts))
    return [(name, value) for name, value in headers if value]


def _add_headers() -> str:
    return "\n".join(f'        add_header {name} "{value}" always;' for name, value in security_headers())


def render(listen: str, app: str, server_name: str = "_", site_dir: Path | None = None) -> str:
    values = {
        "LISTEN": listen,
        "APP": app,
        "SERVER_NAME": server_name,
        "SITE_DIR": str(site_dir or settings.PUBLISH["OUT_DIR"]),
        "STATIC_DIR": str(settings.STATIC_ROOT),
        "MEDIA_DIR": str(settings.MEDIA_ROOT),
        "SECURITY_HEADERS": _add_headers(),
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace(f"@@{name}@@", value)
    return text


class Command(BaseCommand):
    help = "输出本站的 nginx 配置(静态发布目录优先,其余交给应用)。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--listen", default="80", help="nginx 监听地址,默认 80")
        parser.add_argument("--app", default="127.0.0.1:8000", help="应用(gunicorn)地址")
        parser.add_argument("--server-name", default="_", help="站点域名")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(render(options["listen"], options["app"], options["server_name"]), ending="")
