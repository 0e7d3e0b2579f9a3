"""`huiwen publish_scheduled [--dry-run]`: publish articles whose scheduled time has come.

The worker does this every minute; the command does it now (or shows what it would do), for
operators and cron. Each publication is audited by newsroom.actions.publish.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from huiwen.backoffice import workflow


class Command(BaseCommand):
    help = "Publish the articles whose scheduled publication time has come (定时发布)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="print what would change, change nothing")

    def handle(self, *args: object, dry_run: bool = False, **options: object) -> None:
        items = workflow.due() if dry_run else workflow.publish_due()
        verb = ("would publish", "would fail") if dry_run else ("published", "failed")
        for item in items:
            schedule = item.schedule
            when = timezone.localtime(schedule.at).strftime("%Y-%m-%d %H:%M")
            line = f"{verb[1] if item.problems else verb[0]} #{schedule.article_id} {schedule.article.title} ({when})"
            self.stdout.write(line)
            for problem in item.problems:
                self.stdout.write(f"    {problem}")
        self.stdout.write(f"{len(items)} due" + (" (dry run: nothing changed)" if dry_run else ""))
