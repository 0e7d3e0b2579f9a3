"""`huiwen demo`: prepare a database, load the sample content, and serve the portal."""

from __future__ import annotations

import secrets
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from huiwen.newsroom.demo import load_demo_content
from huiwen.serve import serve


class Command(BaseCommand):
    help = "载入示例内容并启动网站(可重复运行,不会产生重复内容)。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000", help="监听地址,默认 127.0.0.1:8000")
        parser.add_argument("--no-serve", action="store_true", help="只准备数据,不启动网站")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn 工作进程数")
        parser.add_argument("--no-worker", action="store_true",
                            help="不启动任务 worker(定时发布、定时采集、侵权计时将不会执行)")

    def handle(self, *args: Any, **options: Any) -> None:
        host, _, port = options["addr"].rpartition(":")
        if not host or not port.isdigit():
            raise CommandError(f"--addr 应为 主机:端口,例如 127.0.0.1:8000,收到 {options['addr']!r}")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        report = load_demo_content()
        self.stdout.write(
            f"示例内容:新增频道 {report.channels} 个、来源 {report.publishers} 个、文章 {report.articles} 篇。"
        )
        password = self._demo_editor()
        if options["no_serve"]:
            return
        url = f"http://{options['addr']}/"
        self.stdout.write(self.style.SUCCESS(f"汇闻已启动:{url}"))
        self.stdout.write(f"管理后台:{url}admin/  编辑后台:{url}newsroom/  用户名 demo  密码 {password}")
        # The task queue's worker runs beside the site, as in production: without it scheduled
        # publication never fires (the desk warns when no worker's heartbeat is recent).
        worker = None if options["no_worker"] else subprocess.Popen([sys.executable, "-m", "huiwen", "worker"])
        if worker is not None:
            self.stdout.write(f"任务 worker 已启动(进程 {worker.pid}):定时发布、定时采集、侵权计时。")
        self.stdout.flush()
        try:
            serve(options["addr"], workers=options["workers"])
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=30)

    def _demo_editor(self) -> str:
        """A superuser for trying the admin; its password is new on every run and printed once."""
        users = get_user_model()
        user, _ = users.objects.get_or_create(
            username="demo", defaults={"is_staff": True, "is_superuser": True, "email": ""}
        )
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.save()
        # The back office publishes under the editor's real name (责任编辑); the demo's is fictional.
        from huiwen.backoffice.models import EditorProfile

        EditorProfile.objects.get_or_create(user=user, defaults={"real_name": "陈晓舟"})
        if settings.DEBUG:
            self.stdout.write(self.style.WARNING("HUIWEN_DEBUG 已开启,仅供开发使用。"))
        return password
