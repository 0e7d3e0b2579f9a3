"""`huiwen source add|list`: manage collection sources from the command line."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from huiwen.collect.models import Source
from huiwen.newsroom.models import Channel, Publisher
from huiwen.text.urls import host_key, page_name


def find_channel(key: str) -> Channel:
    """A channel by path (news/china) or by a slug that names exactly one channel."""
    by_path = Channel.objects.filter(path=key.strip("/")).first()
    if by_path is not None:
        return by_path
    matches = list(Channel.objects.filter(slug=key))
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise CommandError(f"没有频道 {key!r}(用 `huiwen channel list` 查看)")
    raise CommandError(f"有多个频道叫 {key!r},请写完整路径:{', '.join(c.path for c in matches)}")


def find_user(username: str) -> Any:
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"没有用户 {username!r}(用 `huiwen createsuperuser` 或后台添加,"
                           "再用 `huiwen roles --assign 用户名 chief --real-name 姓名` 填写真实姓名)")
    return user


class Command(BaseCommand):
    help = "管理采集来源:add 添加,list 列出。"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="添加来源", description="添加来源")
        add.add_argument("kind", choices=Source.Kind.values, help="来源类型")
        add.add_argument("url", help="网址;warc 类型为文件或目录路径")
        add.add_argument("--publisher", required=True, help="来源媒体名称,如 人民网-人民日报(不存在则新建)")
        add.add_argument("--publisher-url", default="", help="来源媒体网址(新建时使用)")
        add.add_argument("--channel", required=True, help="目标频道路径或标识")
        add.add_argument("--name", help="来源名称,默认由类型和主机生成")
        add.add_argument("--allow-private", action="store_true", help="允许本来源的主机在内网地址")
        add.add_argument("--review", action="store_true", help="采集的文章先进入审核队列")
        add.add_argument("--editor", help="责任编辑的用户名(须有真实姓名);直接发布(不加 --review)时必须指定")
        add.add_argument("--interval", type=int, default=30, help="采集间隔(分钟)")
        add.add_argument("--max-items", type=int, default=50, help="每次最多采集篇数")
        add.add_argument("--host-interval", type=float, default=1.0, help="同一主机请求间隔(秒)")
        add.add_argument("--include", action="append", default=[], help="只采集匹配的网址(正则,可多次)")
        add.add_argument("--exclude", action="append", default=[], help="不采集匹配的网址(正则,可多次)")
        add.add_argument("--rule", action="append", default=[], help="频道规则 '正则=>频道路径'(可多次)")
        add.add_argument("--charset", default="", help="覆盖来源声明的字符集")
        add.add_argument("--next-page", default="", help="列表页翻页模板,{n} 为页码")
        add.add_argument("--max-pages", type=int, default=5, help="列表页最多翻几页")
        actions.add_parser("list", help="列出来源", description="列出来源")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "add":
            self._add(options)
        else:
            self._list()

    def _add(self, options: dict[str, Any]) -> None:
        channel = find_channel(options["channel"])
        publisher, _ = Publisher.objects.get_or_create(
            name=options["publisher"], defaults={"url": options["publisher_url"]}
        )
        if options["name"]:
            name = options["name"]
        elif options["kind"] == Source.Kind.URL:  # one page: named after its path, so a host can have many
            name = Source.free_name(page_name(options["url"]))
        else:
            name = Source.free_name(f"{host_key(options['url']) or options['url']} ({options['kind']})")
        editor = find_user(options["editor"]) if options["editor"] else None
        review = options["review"]
        if not review and editor is None:
            # Direct publication signs each article with the editor's real name (Art. 15): none given, none published.
            review = True
            self.stderr.write("未指定 --editor:直接发布须有责任编辑(有真实姓名的用户),本来源改为先审后发。")
        source = Source(
            name=name, kind=options["kind"], url=options["url"], publisher=publisher, channel=channel,
            allow_private=options["allow_private"], review=review, editor=editor,
            interval_minutes=options["interval"], max_items=options["max_items"],
            host_interval=options["host_interval"], include_patterns="\n".join(options["include"]),
            exclude_patterns="\n".join(options["exclude"]), channel_rules="\n".join(options["rule"]),
            charset=options["charset"], next_page=options["next_page"], max_pages=options["max_pages"],
        )
        try:
            source.full_clean()
        except ValidationError as error:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())) from error
        source.save()
        self.stdout.write(self.style.SUCCESS(f"已添加来源 #{source.pk} {source.name} → {channel.path}"))

    def _list(self) -> None:
        rows = Source.objects.select_related("publisher", "channel").order_by("pk")
        header = f"{'#':>4}  {'类型':<8} {'启用':<4} {'上次成功':<17} {'24小时':>6} {'连续失败':>8}"
        # The address comes last and whole: two feeds of one host differ only there.
        self.stdout.write(f"{header}  名称 → 频道  地址")
        for source in rows:
            last = f"{source.last_success_at:%Y-%m-%d %H:%M}" if source.last_success_at else "—"
            self.stdout.write(
                f"{source.pk:>4}  {source.kind:<8} {'是' if source.enabled else '否':<4} {last:<17} "
                f"{source.items_last_24h():>6} {source.consecutive_failures:>8}  "
                f"{source.name} → {source.channel.path}  {source.url}"
            )
