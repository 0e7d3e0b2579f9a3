"""`huiwen restore FILE`: a backup back into a fresh installation (or over this one with --replace)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from huiwen.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = "从 huiwen backup 生成的文件恢复数据库与数据目录。目标数据库须为空,除非加 --replace。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="备份文件")
        parser.add_argument("--replace", action="store_true", help="清空当前数据库并覆盖数据目录中的同名文件")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["file"])
        if not source.is_file():
            raise CommandError(f"找不到备份文件 {source}")
        try:
            manifest = restore(source, replace=options["replace"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"已恢复 {manifest['created']} 的备份({manifest['vendor']},文件 {manifest['files']} 个)。"
            "接下来:huiwen migrate(若版本更新)、huiwen collectstatic --noinput、huiwen publish。"
        )
