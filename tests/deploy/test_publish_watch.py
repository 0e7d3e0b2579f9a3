"""`huiwen publish --watch` as a service runs it: its own process over the installation's data,
changes made by other processes, stopped with SIGTERM."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import lxml.html

from tests.deploy.conftest import HUIWEN

SETUP = """
from tests import factories
news = factories.channel("news", "新闻频道")
made = [factories.article(news, f"滨江步道第{n}段贯通", hours_ago=n + 1) for n in range(3)]
print(" ".join(str(article.pk) for article in made))
"""


def _until(check: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.1)


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:  # not there yet, or deleted a moment ago by a change and not yet written again
        return ""


def _title(path: Path) -> str:
    try:
        return lxml.html.fromstring(path.read_bytes()).xpath("string(//h1)")
    except (OSError, lxml.etree.ParserError):  # not there yet, or being replaced
        return ""


def test_the_watcher_writes_each_change_and_stops_on_sigterm(make_stack):
    stack = make_stack()
    stack.huiwen("migrate", "--verbosity", "0")
    stack.huiwen("collectstatic", "--noinput", "--verbosity", "0")  # pages name their hashed assets
    first, second, third = stack.huiwen("shell", "--no-imports", "-c", SETUP).stdout.split()[-3:]
    out = stack.root / "site"
    watcher = subprocess.Popen([*HUIWEN, "publish", "--watch", "--interval", "0.2", "--no-progress", "--out", str(out)],
                               env=stack.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _until(lambda: _title(out / f"a/{first}.html") == "滨江步道第0段贯通", "the first build")
        stack.huiwen("shell", "-c", f"from huiwen.newsroom.models import Article; a = Article.objects.get(pk={first}); "
                                    "a.title = '滨江步道全线贯通'; a.save()")
        _until(lambda: _title(out / f"a/{first}.html") == "滨江步道全线贯通", "the edit on its page")
        _until(lambda: "滨江步道全线贯通" in _text(out / "news/index.html"), "the edit on its list")
        made = stack.huiwen("shell", "-c", "from huiwen.newsroom.models import Channel; from tests import factories; "
                                           "print(factories.article(Channel.objects.get(slug='news'), '滨江夜市开张', "
                                           "source_url='https://www.jiangnan-daily.example/night-market.html').pk)")
        new = made.stdout.split()[-1]
        _until(lambda: _title(out / f"a/{new}.html") == "滨江夜市开张", "a new article's page")
        stack.huiwen("shell", "-c", f"from huiwen.newsroom.models import Article; from huiwen.newsroom import actions; "
                                    f"actions.withdraw([Article.objects.get(pk={second})], None, 'watch test')")
        _until(lambda: not (out / f"a/{second}.html").exists(), "a withdrawn article's page gone")
        # A page that listed the withdrawn article in its 相关阅读 went with it, and is written again.
        _until(lambda: _title(out / f"a/{third}.html") == "滨江步道第2段贯通", "a neighbour's page back")
        assert f"/a/{second}.html" not in _text(out / f"a/{third}.html")
        _until(lambda: "滨江夜市开张" in _text(out / "news/index.html")
               and f"/a/{second}.html" not in _text(out / "news/index.html"), "the list without the withdrawn")
        watcher.send_signal(signal.SIGTERM)
        stdout, stderr = watcher.communicate(timeout=30)
    finally:
        if watcher.poll() is None:
            watcher.kill()
    assert watcher.returncode == 0, stderr
    assert "持续发布已停止" in stdout and stdout.count("增量发布完成") >= 3, stdout
    listed = lxml.html.fromstring((out / "news/index.html").read_bytes())
    titles = [link.text_content() for link in listed.xpath("//a[contains(@href, '/a/')]")]
    assert "滨江夜市开张" in titles and "滨江步道第1段贯通" not in titles
