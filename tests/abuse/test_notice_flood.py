"""Takedown notices as an attacker sends them (issue 13).

The attack: one anonymous notice named 50 of our article URLs (the form's maximum); every copy
of each named story went with them, with no review, in one transaction that held SQLite's write
lock for 28.6 minutes. A notice about another website took down ours; plus-addressing got around
the per-address limit; one address could name 250 URLs an hour.
"""

from __future__ import annotations

import contextlib
import math
import time
from dataclasses import dataclass

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from huiwen.newsroom import changes
from huiwen.newsroom.models import Article, Story
from huiwen.search.models import Profile
from huiwen.takedown import withdrawal
from huiwen.takedown.models import Notice
from huiwen.takedown.ratelimit import claimant_key
from tests import factories
from tests.newsroom.desk import user
from tests.reader.pages import html

pytestmark = pytest.mark.django_db(transaction=True)
STORIES, COPIES, BATCH = 50, 3, 20


@pytest.fixture(autouse=True)
def takedown_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TAKEDOWN = {**settings.TAKEDOWN, "PRIVATE_DIR": tmp_path / "private", "MODE": "immediate",
                         "REVIEW_NEW_CLAIMANTS": True, "REVIEW_ARTICLES": 20, "REVIEW_WORKS": 5,
                         "URLS_PER_HOUR": 100, "RATE_PER_ADDRESS": 5, "RATE_PER_EMAIL": 3, "BATCH": BATCH}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from django.core.cache import cache

    cache.clear()


@dataclass
class Site:
    named: list[Article]  # one copy of each story: what the notice names
    reach: list[int]  # every copy of every named story
    bystander: Article


@pytest.fixture
def site() -> Site:
    news = factories.channel("news", "新闻")
    named, reach = [], []
    with transaction.atomic(), changes.batch():
        for number in range(STORIES):
            story = Story.objects.create()
            copies = [factories.article(news, f"第{number}篇稿件的第{copy}个转载", story=story,
                                        body=f"<p>第{number}件作品,关于江边第{number}座码头的改造。</p>")
                      for copy in range(COPIES)]
            named.append(copies[0])
            reach += [copy.pk for copy in copies]
        bystander = factories.article(news, "与通知无关的文章")
    return Site(named, reach, bystander)


def notice_form(urls: list[str], email: str = "legal@rights.example", **overrides: str) -> dict[str, str]:
    return {"regime": "cn", "claimant_name": "某权利人", "email": email, "address": "某市某路1号",
            "works": "若干作品", "urls": "\n".join(urls), "evidence_text": "本单位享有上述作品的著作权。",
            "accuracy": "on", **overrides}


def our_urls(articles: list[Article]) -> list[str]:
    return [f"http://testserver{article.get_absolute_url()}" for article in articles]


def accept_earlier_notice(email: str, article: Article) -> None:
    """The claimant is known: an earlier notice of theirs was accepted."""
    earlier = Notice.objects.create(claimant_name="某权利人", email=email, address="-", works="-",
                                    urls=article.get_absolute_url(), evidence_text="-", accuracy=True)
    earlier.claimant_key = claimant_key(email)
    earlier.withdrawn_at = earlier.created_at
    earlier.status = Notice.Status.RESTORED
    earlier.save()


class TransactionSpy:
    """Records each outermost transaction takedown.withdrawal opens and how long it lasted."""

    def __init__(self) -> None:
        self.durations: list[float] = []
        self.real = transaction.atomic

    @contextlib.contextmanager
    def atomic(self, *args, **kwargs):
        outermost = not transaction.get_connection().in_atomic_block
        started = time.monotonic()
        with self.real(*args, **kwargs):
            yield
        if outermost:
            self.durations.append(time.monotonic() - started)

    def __getattr__(self, name):
        return getattr(transaction, name)


def test_fifty_urls_reaching_every_copy_wait_for_the_compliance_officer(site):
    accept_earlier_notice("legal@rights.example", site.bystander)  # not a first-time claimant either
    response = Client().post("/takedown/", notice_form(our_urls(site.named)))
    assert response.status_code == 302
    notice = Notice.objects.exclude(status=Notice.Status.RESTORED).get()
    assert notice.status == Notice.Status.RECEIVED
    assert (notice.reach_articles, notice.reach_works) == (STORIES * COPIES, STORIES)
    assert str(STORIES * COPIES) in notice.review_reason
    assert Article.objects.visible().filter(pk__in=site.reach).count() == STORIES * COPIES  # nothing withdrawn

    page = html(Client().get(response["Location"]))
    assert "合规专员审核" in page.xpath("string(//p[@class='review-reason'])")
    assert "合规专员审核" in mail.outbox[0].body
    form = html(Client().get("/takedown/"))
    assert "合规专员" in form.xpath("string(//div[@class='review-first'])")


def test_the_officer_withdraws_it_from_the_desk_in_short_batches(site, monkeypatch):
    Client().post("/takedown/", notice_form(our_urls(site.named)))
    notice = Notice.objects.get()
    officer = user("heguan", "compliance", real_name="何冠")
    assert not officer.is_staff  # the desk needs no admin access
    desk = Client()
    desk.force_login(officer)
    queue = html(desk.get("/newsroom/notices/"))
    assert notice.reference in queue.xpath("string(//table[@class='notices'])")
    case = html(desk.get(f"/newsroom/notices/{notice.pk}/"))
    assert case.xpath("string(//span[@class='reach-total'])") == str(STORIES * COPIES)

    spy = TransactionSpy()
    monkeypatch.setattr(withdrawal, "transaction", spy)
    refused = desk.post(f"/newsroom/notices/{notice.pk}/act/", {"action": "withdraw", "reason": ""})
    assert refused.status_code == 302 and Notice.objects.get().status == Notice.Status.RECEIVED
    done = desk.post(f"/newsroom/notices/{notice.pk}/act/", {"action": "withdraw", "reason": "核实权属后删除"})
    assert done.status_code == 302
    assert Notice.objects.get().status == Notice.Status.WITHDRAWN
    assert not Article.objects.visible().filter(pk__in=site.reach).exists()
    assert Article.objects.visible().filter(pk=site.bystander.pk).exists()
    for article in site.named[:3]:
        assert Client().get(article.get_absolute_url()).status_code == 410

    hides = math.ceil(STORIES * COPIES / BATCH)
    assert len(spy.durations) >= hides, spy.durations  # one short transaction per batch, not one long one
    assert max(spy.durations) < 1.0, f"a transaction held the write lock for {max(spy.durations):.2f} s"

    call_command("takedown", "tick")  # the worker's timer finishes what the request left
    assert withdrawal.pending() == 0
    assert not Profile.objects.filter(pk__in=site.reach).exists()  # out of the search index too


def test_a_notice_about_another_website_takes_nothing_of_ours(site):
    settings_free = site.named[0]
    elsewhere = [f"https://other-site.example/a/{settings_free.pk}.html",
                 f"http://testserver.evil.example/a/{settings_free.pk}.html"]
    Client().post("/takedown/", notice_form(elsewhere))
    notice = Notice.objects.get()
    assert not notice.articles.exists() and notice.unmatched_urls.splitlines() == elsewhere
    assert Article.objects.visible().filter(pk=settings_free.pk).exists()


def test_a_first_notice_waits_a_known_claimants_small_notice_acts_at_once(site):
    small = our_urls(site.named[:1])
    Client().post("/takedown/", notice_form(small, email="new@rights.example"))
    first = Notice.objects.get()
    assert first.status == Notice.Status.RECEIVED and first.review_reason == "首次提交通知的权利人"
    accept_earlier_notice("known@rights.example", site.bystander)
    Client().post("/takedown/", notice_form(our_urls(site.named[1:2]), email="known@rights.example"))
    second = Notice.objects.filter(email="known@rights.example").exclude(status=Notice.Status.RESTORED).get()
    assert second.status == Notice.Status.WITHDRAWN
    assert not Article.objects.visible().filter(story=site.named[1].story).exists()


@pytest.mark.parametrize("emails", [
    ["claims+1@rights.example", "Claims+2@Rights.Example", "claims+anything@rights.example",
     "claims@rights.example"],
    ["j.smith@gmail.com", "jsmith+a@gmail.com", "J.S.m.i.t.h@googlemail.com", "jsmith@gmail.com"],
])
def test_plus_addresses_and_gmail_dots_share_one_limit(site, emails):
    results = [Client(REMOTE_ADDR=f"192.0.2.{number}").post("/takedown/", notice_form(
        our_urls(site.named[number:number + 1]), email=email)).status_code
        for number, email in enumerate(emails)]
    assert results == [302, 302, 302, 429]  # RATE_PER_EMAIL = 3, whatever the spelling


def test_urls_are_counted_not_only_notices(site, settings):
    urls = our_urls(site.named)  # 50 URLs per notice; 100 per hour allowed
    sender = Client(REMOTE_ADDR="198.51.100.7")
    statuses = [sender.post("/takedown/", notice_form(urls, email=f"n{number}@rights{number}.example")).status_code
                for number in range(3)]
    assert statuses == [302, 302, 429]
    refused = html(sender.post("/takedown/", notice_form(urls[:1], email="n9@rights9.example")))
    assert "100" in refused.xpath("string(//div[@class='form-errors'])")
    # One claimant from ever new addresses: its own budget runs out just the same.
    roaming = [Client(REMOTE_ADDR=f"203.0.113.{number}").post(
        "/takedown/", notice_form(urls if number < 2 else urls[:1], email="big+x@rights.example")).status_code
        for number in range(3)]
    assert roaming == [302, 302, 429]
    assert Notice.objects.count() == 4
