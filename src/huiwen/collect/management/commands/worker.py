"""`huiwen worker`: run collection on schedule, in this process (Huey consumer)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "按计划运行采集任务(任务队列:默认 SQLite,设置 HUIWEN_REDIS_URL 后用 Redis)。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workers", type=int, default=2, help="并行的工作线程数")

    def handle(self, *args: Any, **options: Any) -> None:
        backend = "Redis" if settings.REDIS_URL else "SQLite"
        self.stdout.write(f"采集 worker 启动,任务队列:{backend},工作线程 {options['workers']} 个。")
        call_command("run_huey", workers=options["workers"], worker_type="thread")
