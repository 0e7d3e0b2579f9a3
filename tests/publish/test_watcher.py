"""huiwen.publish.watcher: one long-running publisher, in this process."""

from __future__ import annotations

import threading

import lxml.html
import pytest

from huiwen.publish.models import STALE, PublishedFile
from huiwen.publish.static import publish
from huiwen.publish.watcher import watch
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_failed_run_is_tried_again_until_it_succeeds(tmp_path, caplog):
    channel = factories.channel("news", "新闻频道")
    article = factories.article(channel, "城区新建三座口袋公园")
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the site's folder should be")
    out = blocker / "site"
    stop, reports = threading.Event(), []

    def unblock() -> None:
        blocker.unlink()

    def reported(report) -> None:
        reports.append(report)
        stop.set()

    threading.Timer(0.3, unblock).start()
    runs = watch(out, interval=0.05, stop=stop, reported=reported)
    assert runs == 1 and reports[0].full and reports[0].written > 0
    page = lxml.html.fromstring((out / f"a/{article.pk}.html").read_bytes())
    assert page.xpath("string(//h1)") == article.title
    assert "publishing failed" in caplog.text  # each failure logged, with its traceback


def test_stale_deep_pages_are_swept_a_batch_at_a_time_without_waiting(tmp_path, settings):
    settings.HUIWEN = {**settings.HUIWEN, "PAGE_SIZE": 2}
    channel = factories.channel("news", "新闻频道")
    for number in range(30):
        factories.article(channel, f"社区食堂开到第{number}个街道", hours_ago=40 - number)
    out = tmp_path / "site"
    publish(out, full=True)
    factories.article(channel, "社区食堂开进老旧小区")  # every list page of the channel shifts
    first = publish(out, sweep=0)
    assert first.stale >= 6  # deep pages left for later
    stop, sweeps = threading.Event(), []

    def reported(report) -> None:
        sweeps.append(report.swept)
        if not PublishedFile.objects.filter(digest=STALE).exists():
            stop.set()

    deadline = threading.Timer(20, stop.set)  # waiting the interval once would leave pages stale
    deadline.start()
    watch(out, interval=30, sweep=2, stop=stop, reported=reported)
    deadline.cancel()
    assert sweeps[:-1] == [2] * (len(sweeps) - 1) and len(sweeps) >= 3
    assert not PublishedFile.objects.filter(digest=STALE).exists()
