"""`huiwen collect [--source S | --all]`: run collection now, with progress and a per-source summary."""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from tqdm import tqdm

from huiwen.collect.models import Source, SourceRun
from huiwen.collect.pipeline import Collector

if TYPE_CHECKING:  # the type of a command's documented self.style
    from django.core.management.color import Style

COLUMNS = [("discovered", "发现"), ("fetched", "抓取"), ("new", "新增"), ("updated", "更新"),
           ("unchanged", "未变"), ("skipped_robots", "robots"), ("skipped", "跳过"), ("failed", "失败"),
           ("not_modified", "304")]


def select_sources(source: str | None, everything: bool) -> list[Source]:
    if source:
        query = Source.objects.filter(pk=int(source)) if source.isdigit() else Source.objects.filter(name=source)
        found = list(query)
        if not found:
            raise CommandError(f"没有来源 {source!r}(用 `huiwen source list` 查看)")
        return found
    enabled = Source.objects.filter(enabled=True).order_by("pk")
    return list(enabled) if everything else [s for s in enabled if s.is_due()]


def raw_stream(options: Mapping[str, Any]) -> TextIO:
    """The stream a command's stderr writes to (call_command's `stderr=`, else the process's), for
    progress bars: they redraw a line with "\r", which OutputWrapper.write would end with a newline."""
    stream: TextIO = options.get("stderr") or sys.stderr
    return stream


def collect_with_progress(sources: list[Source], bars: TextIO, show: bool | None = None) -> list[SourceRun]:
    """Run each source, a progress bar per source on `bars` (None: only on a terminal)."""
    runs = []
    collector = Collector()
    try:
        for source in sources:
            bar = tqdm(desc=source.name[:30], unit="篇", disable=None if show is None else not show, file=bars,
                       leave=False)

            def progress(event: str, amount: int, bar: tqdm[NoReturn] = bar) -> None:
                if event == "total":
                    bar.reset(total=amount)
                else:
                    bar.update(amount)

            collector.progress = progress
            runs.append(collector.run(source))
            bar.close()
    finally:
        collector.close()
    return runs


def write_summary(out: OutputWrapper, style: Style, runs: list[SourceRun]) -> None:
    """What polite polling saved (one line), then the table, one row per source (last, for scripts)."""
    requests = sum(run.requests for run in runs)
    if requests:
        unchanged = sum(run.not_modified for run in runs)
        saved = sum(run.bytes_saved for run in runs)
        out.write(f"条件请求:{requests} 次请求中 {unchanged} 次回答 304(未修改),省下 {saved / 1024:.1f} KB;"
                  f"下载 {sum(run.bytes_received for run in runs) / 1024:.1f} KB。")
    header = "".join(_cell(label, 8) for _, label in COLUMNS)
    out.write(f"{_cell('来源', NAME_WIDTH, left=True)}{header}  结果")
    for run in runs:
        counts = "".join(_cell(str(getattr(run, name)), 8) for name, _ in COLUMNS)
        result = style.SUCCESS("成功") if run.ok else style.ERROR("失败")
        out.write(f"{_cell(run.source.name, NAME_WIDTH, left=True)}{counts}  {result}")


NAME_WIDTH = 32  # terminal columns for the source's name


def _width(text: str) -> int:
    """Terminal columns: a Chinese character takes two (str.format pads by characters, which
    pushed every row with a Chinese name out of line)."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _cell(text: str, width: int, *, left: bool = False) -> str:
    while _width(text) > width:
        text = text[:-1]
    padding = " " * (width - _width(text))
    return text + padding if left else padding + text


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
            self.stdout.write("没有到期的来源(`huiwen collect --all` 不管是否到期)。")
            return
        runs = collect_with_progress(sources, raw_stream(options), show=False if options["no_progress"] else None)
        write_summary(self.stdout, self.style, runs)
        if any(not run.ok for run in runs):
            raise CommandError("有来源采集失败,详见上表和后台的采集错误。", returncode=1)
