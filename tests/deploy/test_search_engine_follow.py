"""`huiwen search_index --engine --follow` as its service runs it: its own process, applying the
changes other processes log to this host's ranking engine until SIGTERM ends it."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections.abc import Callable

import pytest

from tests.deploy.conftest import HUIWEN, TEST_DATABASE, postgres_databases

SETUP = """
from tests import factories
news = factories.channel("news", "新闻频道")
for n in range(3):
    factories.article(news, f"滨江步道第{n}段贯通", hours_ago=n + 1)
"""

ADD = """
from huiwen.newsroom.models import Channel
from tests import factories
factories.article(Channel.objects.get(slug="news"), "滨江夜市开张", source_url="https://www.jiangnan-daily.example/night-market.html")
"""

STATE = """
import json
from huiwen.search import service
from huiwen.search.backends import get_backend
from huiwen.search.query import parse
backend = get_backend()
ready = backend._ready() is not None if hasattr(backend, "_ready") else False
found = [hit.article.title for hit in service.run(parse("夜市"), service.Filters()).hits]
print(json.dumps({"backlog": backend.engine_backlog(), "ready": ready, "found": found}))
"""


def _until(check: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.2)


def test_the_follower_on_sqlite(make_stack):
    _follow(make_stack())


@pytest.mark.postgres
@pytest.mark.skipif(not TEST_DATABASE, reason="needs HUIWEN_TEST_DATABASE_URL (a PostgreSQL server)")
def test_the_follower_on_postgresql(make_stack):
    """Where it matters: on PostgreSQL nothing but searches and this service writes a host's engine."""
    with postgres_databases("follow") as (database,):
        _follow(make_stack(HUIWEN_DATABASE_URL=database))


def _follow(stack) -> None:
    stack.huiwen("migrate", "--verbosity", "0")
    stack.huiwen("shell", "--no-imports", "-c", SETUP)

    def state() -> dict:
        return json.loads(stack.huiwen("shell", "--no-imports", "-c", STATE).stdout.strip().splitlines()[-1])

    follower = subprocess.Popen([*HUIWEN, "search_index", "--engine", "--follow", "--interval", "0.2"],
                                env=stack.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _until(lambda: state()["backlog"] == 0, "the engine built")
        made = stack.huiwen("shell", "--no-imports", "-c", ADD, check=False)
        assert made.returncode == 0, made.stderr
        _until(lambda: state()["backlog"] == 0, "the new article applied")
        now = state()
        assert now["ready"] and now["found"] == ["滨江夜市开张"]
    finally:
        follower.send_signal(signal.SIGTERM)
        out, err = follower.communicate(timeout=30)
    assert follower.returncode == 0, err
    assert "following the ranking engine's changes" in out
