"""`huiwen backup FILE`: the database and the data folder's irreplaceable files in one tar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from huiwen.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份数据库与数据目录中无法重建的文件(存档、图片、证据、密钥)到一个 tar 文件;文件名以 .gz 结尾则压缩。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="备份文件,例如 /backup/huiwen-2026-12-01.tar.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = backup(Path(options["file"]))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"备份完成:{summary.path}({summary.vendor} 数据库 {summary.database_bytes / 1e6:.1f} MB,"
            f"文件 {summary.files} 个共 {summary.file_bytes / 1e6:.1f} MB)"
        )
