"""`huiwen publish [--out DIR] [--full] [--watch]`: write the reader site as static files, incrementally;
with --watch, keep doing so as things change (huiwen.publish.watcher)."""

from __future__ import annotations

import signal
import sys
import threading
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from huiwen.publish.static import Report, publish
from huiwen.publish.watcher import watch


class Command(BaseCommand):
    help = "把网站写成静态文件(首页、频道及分页、文章、订阅、网站地图,含繁体版);默认只重写有变化的文件。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", help="输出目录,默认 $HUIWEN_DATA_DIR/site")
        parser.add_argument("--full", action="store_true", help="全部重写,而不只是有变化的文件")
        parser.add_argument("--no-traditional", action="store_true", help="不生成 /zh-hant/ 繁体版")
        parser.add_argument("--workers", type=int, default=1, help="并行渲染的进程数(大量页面时用,如 CPU 核数)")
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument("--watch", action="store_true",
                            help="持续运行:有变化就在几秒内发布(代替每分钟启动一次),收到 SIGTERM/SIGINT 后退出")
        parser.add_argument("--interval", type=float, default=1.0, help="--watch 时,无变化的情况下隔多少秒再查")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["watch"]:
            self._watch(options)
            return
        # The stream under OutputWrapper (which would end each "\r" redraw with a newline):
        # call_command's stderr=, else the process's.
        stream: TextIO = options.get("stderr") or sys.stderr
        bar = tqdm(unit="页", disable=options["no_progress"] or None, file=stream, leave=False)

        def progress(pages: int) -> None:
            bar.update(pages)

        report = publish(options["out"], full=options["full"], traditional=not options["no_traditional"],
                         progress=progress, workers=options["workers"])
        bar.close()
        self._summary(report)

    def _summary(self, report: Report) -> None:
        kind = "全量" if report.full else "增量"
        self._line(
            f"{kind}发布完成:写入 {report.written} 个文件,未变 {report.unchanged} 个,删除 {report.deleted} 个,"
            f"用时 {report.seconds:.2f} 秒({report.pages_per_second:.0f} 页/秒)。"
            + (f"另有 {report.stale} 个较深的列表页待后续运行更新。" if report.stale else "")
        )

    def _watch(self, options: dict[str, Any]) -> None:
        if not options["interval"] > 0:  # 0, a negative number or nan would look at the database without pause
            raise CommandError(f"--interval 须为正数(秒),收到 {options['interval']}")
        if options["full"]:
            publish(options["out"], full=True, traditional=not options["no_traditional"], workers=options["workers"])
        stop = threading.Event()
        previous = {number: signal.signal(number, lambda *_: stop.set()) for number in (signal.SIGTERM, signal.SIGINT)}
        self._line(f"持续发布已启动:无变化时每 {options['interval']:g} 秒查看一次。")
        try:
            runs = watch(options["out"], interval=options["interval"], traditional=not options["no_traditional"],
                         workers=options["workers"], stop=stop, reported=self._summary)
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
        self._line(f"持续发布已停止(共运行 {runs} 次)。")

    def _line(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()  # a service's output is a pipe to the journal: a line as it happens
