"""`huiwen demo`: prepare a database, load the sample content, run the main job, serve the portal.

The main job is shown, not described: a small sample source site (huiwen.demo_site, authored
pages) starts on loopback beside the portal, and its feed, sitemap and list pages are collected
through the real pipeline with progress bars, so the review queue, the screening flags, the
source dashboard and the takedown report have real data. The site keeps running while the
portal does, so `huiwen collect --all` can be run again (it sends conditional requests and
finds nothing new).
"""

from __future__ import annotations

import errno
import secrets
import subprocess
import sys
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from huiwen.collect.management.commands.collect import collect_with_progress, raw_stream, write_summary
from huiwen.newsroom.demo import load_demo_content
from huiwen.search.backends import get_backend
from huiwen.serve import serve

if TYPE_CHECKING:
    from huiwen.demo_site.server import SampleSite

DEMO_EDITOR_NAME = "陈晓舟"  # fictional: the 责任编辑 the demo's articles are published under


class Command(BaseCommand):
    help = "载入示例内容,启动示例来源网站并采集它,然后启动网站(可重复运行,不会产生重复内容)。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000", help="监听地址,默认 127.0.0.1:8000")
        parser.add_argument("--no-serve", action="store_true", help="只准备数据(含采集示例来源),不启动网站")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn 工作进程数")
        parser.add_argument("--site-port", type=int, default=None,
                            help="示例来源网站的端口(127.0.0.1);默认沿用上次的端口,第一次为网站端口加 1;"
                                 "--no-serve 时为任一空闲端口")
        parser.add_argument("--no-sample-site", action="store_true", help="不启动、不采集示例来源网站")
        parser.add_argument("--no-worker", action="store_true",
                            help="不启动任务 worker(定时发布、定时采集、侵权计时将不会执行)")

    def handle(self, *args: Any, **options: Any) -> None:
        self.options = options  # where progress bars go (collect's raw_stream)
        host, _, port = options["addr"].rpartition(":")
        if not host or not port.isdigit():
            raise CommandError(f"--addr 应为 主机:端口,例如 127.0.0.1:8000,收到 {options['addr']!r}")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        report = load_demo_content()
        self.stdout.write(
            f"示例内容:新增频道 {report.channels} 个、来源 {report.publishers} 个、文章 {report.articles} 篇。"
        )
        editor, password = self._demo_editor()
        site_port = options["site_port"]
        if site_port is None and options["no_serve"]:
            site_port = 0  # the site stops with this command: any free port will do
        site = None if options["no_sample_site"] else self._run_main_job(editor, site_port, int(port))
        # This host's search ranking engine, current now (on PostgreSQL nothing else builds its
        # folder before a follower runs; later changes reach it through the searches themselves).
        get_backend().catch_up()
        if options["no_serve"]:
            if site is not None:
                site.stop()
            return
        url = f"http://{options['addr']}/"
        self.stdout.write(self.style.SUCCESS(f"汇闻已启动:{url}"))
        self.stdout.write(f"管理后台:{url}admin/  编辑后台:{url}newsroom/  用户名 demo  密码 {password}")
        # The task queue's worker runs beside the site, as in production: without it scheduled
        # publication never fires (the desk warns when no worker's heartbeat is recent).
        worker = None if options["no_worker"] else subprocess.Popen([sys.executable, "-m", "huiwen", "worker"])
        if worker is not None:
            self.stdout.write(f"任务 worker 已启动(进程 {worker.pid}):定时发布、定时采集、侵权计时。")
        self.stdout.flush()
        try:
            serve(options["addr"], workers=options["workers"])
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=30)
            if site is not None:
                site.stop()

    def _demo_editor(self) -> tuple[User, str]:
        """A superuser for trying the admin; its password is new on every run and printed once."""
        from huiwen.backoffice import accounts
        from huiwen.backoffice.models import EditorProfile

        users = get_user_model()
        user = users.objects.filter(username="demo").first() or users(
            username="demo", is_staff=True, is_superuser=True, email="")
        password = secrets.token_urlsafe(12)
        accounts.set_password(None, user, password)  # the account made or its password changed, audited
        # The back office publishes under the editor's real name (责任编辑); the demo's is fictional.
        EditorProfile.objects.get_or_create(user=user, defaults={"real_name": DEMO_EDITOR_NAME})
        if settings.DEBUG:
            self.stdout.write(self.style.WARNING("HUIWEN_DEBUG 已开启,仅供开发使用。"))
        return user, password

    def _run_main_job(self, editor: User, site_port: int | None, portal_port: int) -> SampleSite | None:
        """Start the sample source site and collect it; the running site, or None if it could not start."""
        from huiwen.demo_site import setup
        from huiwen.demo_site.server import SampleSite

        port = site_port if site_port is not None else (setup.known_port() or portal_port + 1)
        try:
            site = SampleSite(port=port).start()
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                raise
            self.stderr.write(f"示例来源网站的端口 {port} 已被占用,本次不采集示例来源(可用 --site-port 指定其他端口)。")
            return None
        self.stdout.write(f"示例来源网站(云溪新闻网,内容均为虚构):{site.base}/  正在采集……")
        sources = setup.register(site.base, editor)
        setup.add_sensitive_words()
        runs = collect_with_progress(sources, raw_stream(self.options))
        write_summary(self.stdout, self.style, runs)
        setup.file_sample_notices(site.base, editor)
        self._describe(site.base)
        return site

    def _describe(self, base: str) -> None:
        from huiwen.demo_site.status import collected

        figures = collected(base)
        self.stdout.write(
            f"采集结果:{figures.published} 篇直接发布(责任编辑 {DEMO_EDITOR_NAME}),{figures.pending} 篇待审核,"
            f"其中 {figures.screened} 篇命中敏感词、{figures.unsure} 篇来源待确认;"
            f"{figures.withdrawn} 篇因侵权通知撤下,{figures.notices_waiting} 件通知待合规专员处理"
            f"(编辑后台 /newsroom/notices/)。"
        )
        self.stdout.write("再次采集(只发条件请求,没有新内容就不会重复):huiwen collect --all")
