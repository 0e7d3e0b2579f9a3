"""`huiwen settings_doc`: print docs/settings.md, generated from huiwen.config."""

from typing import Any

from django.core.management.base import BaseCommand

from huiwen.config import settings_document


class Command(BaseCommand):
    help = "打印设置说明(docs/settings.md 的内容)。"

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(settings_document(), ending="")
