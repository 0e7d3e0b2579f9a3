"""The notice procedure end to end: every surface after withdrawal and after restoration."""

from __future__ import annotations

from datetime import timedelta

import feedparser
import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from huiwen.newsroom.models import Article, AuditEntry
from huiwen.takedown import service
from huiwen.takedown.models import Forwarding, Notice
from tests.reader.pages import article_links, html, xml
from tests.takedown.conftest import notice_data

pytestmark = pytest.mark.django_db
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def surfaces(client, world) -> dict[str, set[str]]:
    """Article URLs listed on every reader surface."""
    found = {
        "home": set(article_links(html(client.get("/")))),
        "channel": set(article_links(html(client.get(world.other.channel.get_absolute_url())))),
        "related": set(article_links(html(client.get(world.other.get_absolute_url())))),
        "search": set(article_links(html(client.get("/search", {"q": "客流"})))),
    }
    for name, url in [("rss", "/feed/rss.xml"), ("atom", "/feed/atom.xml"), ("channel feed", "/news/rss.xml")]:
        found[name] = {e.link.removeprefix("http://testserver") for e in feedparser.parse(client.get(url).content).entries}
    for section in ("articles", "news"):
        locs = xml(client.get(f"/sitemap-{section}.xml")).xpath("//s:loc/text()", namespaces=SITEMAP)
        found[f"sitemap {section}"] = {loc.removeprefix("http://testserver") for loc in locs}
    return found


def submit(client, world, **overrides):
    return client.post("/takedown/", notice_data(world, **overrides))


# Transactional: the images move after the withdrawal commits (the change path's "media" handler).
@pytest.mark.django_db(transaction=True)
def test_a_complete_notice_withdraws_the_story_everywhere_at_once(client, world):
    before = surfaces(client, world)
    for surface, links in before.items():
        if surface not in ("related", "search"):
            assert world.original.get_absolute_url() in links, surface
    assert client.get(world.image_url).status_code == 200

    response = submit(client, world)
    notice = Notice.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/takedown/{notice.reference}/"
    assert notice.status == Notice.Status.WITHDRAWN
    assert set(notice.articles.all()) == {world.original}

    for article in (world.original, world.reprint):  # the named article and the other copy of its story
        assert client.get(article.get_absolute_url()).status_code == 410
        for surface, links in surfaces(client, world).items():
            assert article.get_absolute_url() not in links, f"{article.title} still on {surface}"
    assert client.get(world.other.get_absolute_url()).status_code == 200
    assert client.get(world.image_url).status_code == 404
    assert not world.image_path.exists()

    ack = html(client.get(f"/takedown/{notice.reference}/"))
    assert ack.xpath("string(//dd[@class='status'])") == "已删除"
    recipients = {(f.recipient, f.role, f.delivered) for f in Forwarding.objects.filter(notice=notice)}
    assert ("legal@jiangcheng-daily.example", "权利人", True) in recipients
    assert ("rights@jiangcheng-daily.example", "原发媒体 江城日报", True) in recipients
    assert ("江城晚报", "原发媒体", False) in recipients  # no address on file: the gap is recorded
    assert {tuple(m.to) for m in mail.outbox} == {("legal@jiangcheng-daily.example",), ("rights@jiangcheng-daily.example",)}
    actions = list(AuditEntry.objects.exclude(action="account").order_by("at", "pk").values_list("action", flat=True))
    assert actions.count("withdraw") == 3 and actions[0] == "notice"


# Transactional: the images move after the withdrawal commits (the change path's "media" handler).
@pytest.mark.django_db(transaction=True)
def test_counter_notice_then_timer_restores_every_surface(client, world):
    submit(client, world)
    notice = Notice.objects.get()
    form = html(client.get(f"/takedown/{notice.reference}/counter/"))
    assert form.xpath("//form//input[@name='csrfmiddlewaretoken']")
    answer = {"name": "江城晚报社", "email": "editor@jiangcheng-evening.example", "phone": "", "address": "江城市江北路2号",
              "statement": "该文为我报与江城日报联合采访所得,我报享有共同著作权,附合作协议。", "signature": "张某"}
    assert client.post(f"/takedown/{notice.reference}/counter/", answer).status_code == 302
    notice.refresh_from_db()
    assert notice.status == Notice.Status.COUNTER_NOTICED
    assert notice.restore_due_at - timezone.now() > timedelta(days=14, hours=23)
    assert Forwarding.objects.filter(notice=notice, subject__contains="反通知").get().recipient == notice.email

    assert service.tick(dry_run=True) == []
    later = notice.restore_due_at + timedelta(seconds=1)
    planned = service.tick(now=later, dry_run=True)
    assert [c.notice.reference for c in planned] == [notice.reference]
    assert Article.objects.get(pk=world.original.pk).status == Article.Status.WITHDRAWN

    service.tick(now=later)
    notice.refresh_from_db()
    assert notice.status == Notice.Status.RESTORED
    for article in (world.original, world.reprint):
        assert client.get(article.get_absolute_url()).status_code == 200
    restored = surfaces(client, world)
    for surface in ("home", "channel", "rss", "atom", "channel feed", "sitemap articles", "sitemap news"):
        assert world.original.get_absolute_url() in restored[surface], surface
    assert world.original.get_absolute_url() in restored["search"] or world.reprint.get_absolute_url() in restored["search"]
    assert client.get(world.image_url).status_code == 200
    assert AuditEntry.objects.filter(subject=notice.reference, action="timer").exists()


def test_uphold_keeps_the_works_down_after_a_counter_notice(client, world, django_user_model):
    submit(client, world)
    notice = Notice.objects.get()
    officer = django_user_model.objects.create_user("officer", password="a-long-password-123")
    notice.status = Notice.Status.COUNTER_NOTICED
    notice.restore_due_at = timezone.now() - timedelta(seconds=1)
    notice.save()
    service.uphold(notice, officer, "权利人已向法院起诉,提供了立案通知书")
    assert service.tick() == []
    assert client.get(world.original.get_absolute_url()).status_code == 410


def test_dmca_timer_counts_business_days(world):
    friday = timezone.datetime(2026, 11, 27, 12, tzinfo=timezone.get_current_timezone())
    due = service.restore_due("dmca", friday)
    assert due.date().isoformat() == "2026-12-11"  # ten working days, two weekends skipped
    assert service.restore_due("cn", friday) - friday == timedelta(days=15)


def test_review_mode_waits_for_an_officer(client, world, settings):
    settings.TAKEDOWN = {**settings.TAKEDOWN, "MODE": "review"}
    submit(client, world)
    notice = Notice.objects.get()
    assert notice.status == Notice.Status.RECEIVED
    assert client.get(world.original.get_absolute_url()).status_code == 200


def test_notice_naming_nothing_of_ours_is_kept_for_review(client, world):
    submit(client, world, urls="https://elsewhere.example/a.html")
    notice = Notice.objects.get()
    assert notice.status == Notice.Status.RECEIVED and notice.unmatched_urls == "https://elsewhere.example/a.html"


def test_original_url_names_our_reprint_too(client, world):
    submit(client, world, urls=world.reprint.source_url + "?utm_source=weibo")
    assert Notice.objects.get().status == Notice.Status.WITHDRAWN
    assert client.get(world.reprint.get_absolute_url()).status_code == 410


def test_tick_command_dry_run_prints_and_changes_nothing(client, world, capsys):
    submit(client, world)
    notice = Notice.objects.get()
    notice.status, notice.restore_due_at = Notice.Status.COUNTER_NOTICED, timezone.now() - timedelta(minutes=1)
    notice.save()
    call_command("takedown", "tick", "--dry-run")
    assert notice.reference in capsys.readouterr().out
    assert Notice.objects.get().status == Notice.Status.COUNTER_NOTICED
    call_command("takedown", "tick")
    assert Notice.objects.get().status == Notice.Status.RESTORED


def test_transparency_report_has_counts_and_no_personal_data(client, world):
    submit(client, world)
    submit(client, world, urls="https://elsewhere.example/b.html", email="other@rights.example")
    page = html(client.get("/transparency/"))
    assert page.xpath("string(//strong[@class='total'])") == "2"
    assert page.xpath("string(//strong[@class='median'])")
    month = f"{timezone.localtime():%Y-%m}"
    row = page.xpath(f"//tbody/tr[th='{month}']")[0]
    headers = page.xpath("//thead//th/@data-status")
    counts = dict(zip(headers, [int(td.text) for td in row.xpath("./td")], strict=False))
    assert counts["withdrawn"] == 1 and counts["received"] == 1
    text = page.text_content()
    for private in ("江城日报社", "legal@", "other@", "滨江路", "elsewhere.example"):
        assert private not in text


@pytest.mark.django_db(transaction=True)
def test_images_follow_any_withdrawal_after_its_commit_and_come_back_before_a_restore_commits(world):
    """The change path's "media" handler: whoever withdraws (here the newsroom's own service), the
    images leave public view only once the withdrawal is committed, and come back with a restore."""
    from django.db import transaction

    from huiwen.newsroom import actions

    with pytest.raises(RuntimeError), transaction.atomic():
        actions.withdraw([world.original], None, "随后回滚")
        raise RuntimeError("rolled back")
    assert world.image_path.exists()  # a rolled-back withdrawal moved nothing
    world.original.refresh_from_db()  # the instance still says withdrawn; the row does not
    actions.withdraw([world.original], None, "版权方要求")
    assert not world.image_path.exists()
    actions.restore([world.original], None, "权利人撤回通知")
    assert world.image_path.exists()
