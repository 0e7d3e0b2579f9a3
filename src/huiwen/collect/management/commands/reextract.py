"""`huiwen reextract [--source S]`: re-run extraction over the archive and update changed articles."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from huiwen.collect.management.commands.collect import select_sources
from huiwen.collect.reextract import reextract


class Command(BaseCommand):
    help = "用当前的抽取程序重新处理存档中的网页(不重新抓取),更新内容有变化的文章。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", help="只处理这个来源(编号或名称)")

    def handle(self, *args: Any, **options: Any) -> None:
        sources = select_sources(options["source"], True) if options["source"] else [None]
        total: dict[str, int] = {}
        for source in sources:
            for outcome, count in reextract(source).items():
                total[outcome] = total.get(outcome, 0) + count
        labels = {"updated": "已更新", "unchanged": "未变", "failed": "失败", "not archived": "无存档", "new": "新增"}
        summary = "、".join(f"{labels.get(k, k)} {v}" for k, v in sorted(total.items()))
        self.stdout.write(summary or "没有可处理的网页。")
