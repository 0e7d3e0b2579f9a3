"""`huiwen collect [--source S | --all]`: run collection now, with progress and a per-source summary."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from huiwen.collect.models import Source, SourceRun
from huiwen.collect.pipeline import Collector

COLUMNS = [("discovered", "发现"), ("fetched", "抓取"), ("new", "新增"), ("updated", "更新"),
           ("unchanged", "未变"), ("skipped_robots", "robots"), ("skipped", "跳过"), ("failed", "失败")]


def select_sources(source: str | None, everything: bool) -> list[Source]:
    if source:
        query = Source.objects.filter(pk=int(source)) if source.isdigit() else Source.objects.filter(name=source)
        found = list(query)
        if not found:
            raise CommandError(f"没有来源 {source!r}(用 `huiwen source list` 查看)")
        return found
    enabled = Source.objects.filter(enabled=True).order_by("pk")
    return list(enabled) if everything else [s for s in enabled if s.is_due()]


class Command(BaseCommand):
    help = "立即采集:默认运行到期的来源;--all 运行全部启用的来源;--source 指定一个来源(编号或名称)。"

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--source", help="来源编号或名称")
        group.add_argument("--all", action="store_true", help="全部启用的来源,不管是否到期")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args: Any, **options: Any) -> None:
        sources = select_sources(options["source"], options["all"])
        if not sources:
            self.stdout.write("没有到期的来源。")
            return
        runs = []
        collector = Collector()
        try:
            for source in sources:
                bar = tqdm(desc=source.name[:30], unit="篇", disable=options["no_progress"] or None,
                           file=self.stderr._out, leave=False)

                def progress(event: str, amount: int, bar: tqdm = bar) -> None:
                    if event == "total":
                        bar.reset(total=amount)
                    else:
                        bar.update(amount)

                collector.progress = progress
                runs.append(collector.run(source))
                bar.close()
        finally:
            collector.close()
        self._summary(runs)
        if any(not run.ok for run in runs):
            raise CommandError("有来源采集失败,详见上表和后台的采集错误。", returncode=1)

    def _summary(self, runs: list[SourceRun]) -> None:
        header = "".join(f"{label:>8}" for _, label in COLUMNS)
        self.stdout.write(f"{'来源':<24}{header}  结果")
        for run in runs:
            counts = "".join(f"{getattr(run, name):>8}" for name, _ in COLUMNS)
            result = self.style.SUCCESS("成功") if run.ok else self.style.ERROR("失败")
            self.stdout.write(f"{run.source.name[:24]:<24}{counts}  {result}")
