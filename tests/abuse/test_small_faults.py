"""The smaller faults the attack on issue 13 found, each made a test (plus-addresses: test_notice_flood,
sessions: test_login_spray)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import lxml.html
import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from huiwen.collect.store import MAX_PUBLISHER_NAME, _publisher
from huiwen.extract import ArticleDraft
from huiwen.newsroom.models import Article, Story
from huiwen.takedown import service
from huiwen.takedown.models import CounterNotice, Notice
from tests import factories
from tests.sites.server import FixtureSite, Reply

pytestmark = pytest.mark.django_db


def test_a_nul_in_the_query_does_not_cut_the_traditional_page_short():
    factories.article(factories.channel("news", "新闻"), "茶园里的春天")
    whole = lxml.html.fromstring(Client().get("/zh-hant/search", {"q": "茶", "sort": "x"}).content)
    response = Client().get("/zh-hant/search?q=%E8%8C%B6&sort=%00")
    assert response.status_code in (200, 400)
    page = lxml.html.fromstring(response.content)
    assert page.xpath("//footer") and len(page.xpath("//*")) >= len(whole.xpath("//*")) - 5
    assert response.content.rstrip().endswith(b"</html>")


@pytest.mark.parametrize("line", ["<img", "<img src=x onerror=alert(1)>", "javascript:alert(1)", "\" onmouseover=\"x",
                                  "{{7*7}}", "人民网" * 20])
def test_a_hostile_source_line_never_becomes_a_publisher(make_source, line):
    source = make_source("url", "http://127.0.0.1:9/a.html")
    chosen = _publisher(ArticleDraft(title="标题", source=line), source)
    assert chosen == source.publisher
    assert len(chosen.name) <= MAX_PUBLISHER_NAME


@pytest.mark.parametrize("line", ["人民网-人民日报", "新华社·北京", "《南方周末》", "Xinhua News  Agency"])
def test_a_real_source_line_still_names_its_publisher(make_source, line):
    source = make_source("url", "http://127.0.0.1:9/a.html")
    assert _publisher(ArticleDraft(title="标题", source=line), source).name == " ".join(line.split())


def test_takedown_tick_says_how_many_articles_it_restored(settings, tmp_path):
    settings.TAKEDOWN = {**settings.TAKEDOWN, "PRIVATE_DIR": tmp_path / "private", "REVIEW_NEW_CLAIMANTS": False}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    news, story = factories.channel("news", "新闻"), Story.objects.create()
    copies = [factories.article(news, f"同一稿件第{n}个转载", story=story) for n in range(3)]
    notice = Notice.objects.create(claimant_name="某报社", email="a@rights.example", address="某地", works="某文",
                                   urls=f"http://testserver{copies[0].get_absolute_url()}", evidence_text="证明",
                                   accuracy=True)
    service.receive(notice)
    assert Notice.objects.get().status == Notice.Status.WITHDRAWN
    answer = CounterNotice.objects.create(notice=notice, name="某网", email="b@x.example", address="某地",
                                          statement="已获授权")
    service.counter(notice, answer)
    Notice.objects.filter(pk=notice.pk).update(restore_due_at=timezone.now() - timedelta(minutes=1))
    dry, real = StringIO(), StringIO()
    call_command("takedown", "tick", "--dry-run", stdout=dry)
    call_command("takedown", "tick", stdout=real)
    assert "文章 3 篇" in dry.getvalue() and "文章 3 篇" in real.getvalue()
    assert Article.objects.visible().filter(story=story).count() == 3


def test_a_source_whose_only_page_always_fails_is_not_reported_healthy(make_source, run_collector):
    with FixtureSite() as site:
        site.page("/robots.txt", "User-agent: *\n", "text/plain")
        site.add("/only.html", Reply(status=404, body=b"gone"))
        source = make_source("url", site.url("/only.html"))
        first, second = run_collector(source), run_collector(source)
    source.refresh_from_db()
    assert not first.ok and not second.ok
    assert source.consecutive_failures >= 1 and source.last_success_at is None
