"""`huiwen channel add|list`: build the channel tree without the demo or the admin."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from huiwen.collect.management.commands.source import find_channel
from huiwen.newsroom.models import Channel


class Command(BaseCommand):
    help = "管理频道:add 添加,list 列出。"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="添加频道", description="添加频道")
        add.add_argument("slug", help="标识,小写字母、数字和连字符")
        add.add_argument("name", help="名称,如 国内新闻")
        add.add_argument("--parent", help="上级频道的路径或标识")
        add.add_argument("--position", type=int, default=0)
        add.add_argument("--hidden", action="store_true", help="先不上线")
        actions.add_parser("list", help="列出频道", description="列出频道")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            for channel in Channel.objects.order_by("path"):
                flag = "" if channel.public else "  (未上线)"
                self.stdout.write(f"{'  ' * channel.depth}{channel.name}  /{channel.path}/{flag}")
            return
        parent = find_channel(options["parent"]) if options["parent"] else None
        channel = Channel(slug=options["slug"], name=options["name"], parent=parent,
                          position=options["position"], live=not options["hidden"])
        try:
            channel.full_clean()
        except ValidationError as error:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())) from error
        if Channel.objects.filter(path=f"{parent.path}/{channel.slug}" if parent else channel.slug).exists():
            raise CommandError(f"频道 {options['slug']} 已存在")
        channel.save()
        self.stdout.write(self.style.SUCCESS(f"已添加频道 {channel} /{channel.path}/"))
