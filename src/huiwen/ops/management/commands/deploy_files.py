"""`huiwen deploy-files DIR`: systemd units, their environment file and the nginx site."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from huiwen.ops.deployfiles import Plan, instructions, write


class Command(BaseCommand):
    help = "生成 systemd 服务文件(网站、采集 worker、静态发布定时器)、环境变量文件与 nginx 站点配置。"

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = Plan()
        parser.add_argument("folder", help="写入的目录")
        parser.add_argument("--user", default=defaults.user, help="运行服务的系统用户")
        parser.add_argument("--app", default=defaults.app, help="gunicorn 监听地址")
        parser.add_argument("--web-workers", type=int, default=defaults.web_workers, help="gunicorn 进程数")
        parser.add_argument("--worker-threads", type=int, default=defaults.worker_threads, help="采集 worker 线程数")
        parser.add_argument("--listen", default=defaults.listen, help="nginx 监听地址")
        parser.add_argument("--server-name", default=defaults.server_name, help="站点域名")
        parser.add_argument("--env-file", default=defaults.env_path, help="服务读取的环境变量文件路径")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan(user=options["user"], app=options["app"], web_workers=options["web_workers"],
                    worker_threads=options["worker_threads"], listen=options["listen"],
                    server_name=options["server_name"], env_path=options["env_file"])
        folder = Path(options["folder"])
        for path in write(folder, plan):
            self.stdout.write(f"wrote {path}")
        self.stdout.write(instructions(folder, plan))
