"""`huiwen worker`: run collection on schedule, in this process (Huey consumer).

Before the consumer starts, every app's task module and the collector's pipeline are imported (the
apps' change handlers, indexing included, come with Django), and the objects made so far are frozen
out of the cyclic garbage collector's generations, as the web workers do (wsgi.py): they live as
long as the worker, and each full collection would otherwise walk them again for nothing (0.37 ->
0.23 ms of collection per collected article, measured in an earlier session).
"""

from __future__ import annotations

import gc
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils.module_loading import autodiscover_modules


class Command(BaseCommand):
    help = "按计划运行采集任务(任务队列:默认 SQLite,设置 HUIWEN_REDIS_URL 后用 Redis)。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workers", type=int, default=2, help="并行的工作线程数")

    def handle(self, *args: Any, **options: Any) -> None:
        backend = "Redis" if settings.REDIS_URL else "SQLite"
        self.stdout.write(f"采集 worker 启动,任务队列:{backend},工作线程 {options['workers']} 个。")
        autodiscover_modules("tasks")
        from huiwen.collect import pipeline  # noqa: F401 - loaded by the first task otherwise

        gc.freeze()
        call_command("run_huey", workers=options["workers"], worker_type="thread")
