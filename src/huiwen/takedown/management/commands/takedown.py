"""`huiwen takedown tick [--dry-run]`: run the takedown timers (also scheduled in the worker)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from huiwen.takedown import service, uploads, withdrawal


class Command(BaseCommand):
    help = "侵权处理:tick 执行到期的计时(反通知等待期满后恢复内容)。"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        tick = actions.add_parser("tick", help="执行到期的计时", description="执行到期的计时")
        tick.add_argument("--dry-run", action="store_true", help="只列出将要发生的变化,不执行")

    def handle(self, *args: Any, **options: Any) -> None:
        changes = service.tick(dry_run=options["dry_run"])
        verb = "将恢复" if options["dry_run"] else "已恢复"
        for change in changes:
            due = timezone.localtime(change.notice.restore_due_at)
            self.stdout.write(f"{verb} {change.notice.reference}:期限 {due:%Y-%m-%d %H:%M},文章 {change.articles} 篇")
        if not changes:
            self.stdout.write("没有到期的计时。")
        if options["dry_run"]:
            self.stdout.write(f"待更新索引的文章 {withdrawal.pending()} 篇。")
            return
        brought = withdrawal.upkeep()
        removed = uploads.expire()
        if brought or removed:
            self.stdout.write(f"已更新索引的文章 {brought} 篇,删除过期暂存附件 {removed} 个。")
