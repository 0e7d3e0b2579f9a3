"""One index of works (issue 18, point 3): the collector's story prints and takedown's blocked works
live in one fingerprint store, told apart by kind, and one matcher (newsroom.works.similar) finds
both: the collector's story matching and the blocklist ask it, and nothing else does."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from huiwen.collect import store
from huiwen.newsroom import works
from huiwen.newsroom.models import Article, Fingerprint, FingerprintBand, Story
from huiwen.newsroom.text import html_to_text
from huiwen.takedown import blocklist
from huiwen.takedown.models import BlockedWork, Notice
from huiwen.text import fingerprint
from tests import factories

pytestmark = pytest.mark.django_db

WORK = ("<p>河畔的旧粮仓改成了社区阅览室,每天傍晚都有附近的孩子来这里写作业。</p>"
        "<p>管理员说,阅览室的书大多来自居民捐赠,三个月里已经攒下了四千多册。</p>"
        "<p>街道还计划在粮仓后院开一片菜园,让孩子们认识蔬菜是怎样长大的。</p>")
# The same work as another site prints it: a line of its own on top, the last paragraph trimmed.
REPRINT = ("<p>本网讯</p><p>河畔的旧粮仓改成了社区阅览室,每天傍晚都有附近的孩子来这里写作业。</p>"
           "<p>管理员说,阅览室的书大多来自居民捐赠,三个月里已经攒下了四千多册。</p>")
OTHER = ("<p>新开的公交线路连通了两个工业园区,早高峰的班次间隔缩短到六分钟。</p>"
         "<p>司机们说,乘客里多了不少骑共享单车换乘的年轻人。</p>")


def signature(body: str) -> fingerprint.Signature:
    return fingerprint.signature(html_to_text(body))


def notice() -> Notice:
    return Notice.objects.create(claimant_name="河畔文化站", email="rights@riverside.example", address="河畔路2号",
                                 works="阅览室一文", urls="https://a.example/1.html", evidence_text="原创", accuracy=True)


@pytest.fixture
def held_and_blocked():
    """A collected work (its story print) and a withdrawn copy of the same work (its blocked print)."""
    news = factories.channel("news", "新闻")
    kept = factories.article(news, "旧粮仓变成阅览室", body=WORK, story=Story.objects.create())
    works.keep(kept.pk, signature(kept.body), new=True)  # no batch open: written at once
    withdrawn = factories.article(news, "粮仓阅览室", body=WORK, source_url="https://b.example/granary.html")
    blocklist.block(notice(), [withdrawn])
    return kept, withdrawn


def test_both_kinds_of_print_share_one_store_and_one_matcher(held_and_blocked):
    kept, withdrawn = held_and_blocked
    blocked = BlockedWork.objects.get(article_id_at_block=withdrawn.pk)
    assert Fingerprint.objects.get(article=kept).kind == Fingerprint.Kind.STORY
    assert Fingerprint.objects.get(pk=blocked.fingerprint_id).kind == Fingerprint.Kind.BLOCKED
    assert Fingerprint.objects.get(pk=blocked.fingerprint_id).article_id is None  # it outlives the article
    # Both prints' band keys are rows of the one band store, 21 each, of their print's kind.
    assert sorted(FingerprintBand.objects.values_list("kind", flat=True)) == ["blocked"] * 21 + ["story"] * 21

    reprint = signature(REPRINT)
    [story_match] = works.similar(reprint, works.Kind.STORY)
    [blocked_match] = works.similar(reprint, works.Kind.BLOCKED)
    assert (story_match.article_id, blocked_match.fingerprint_id) == (kept.pk, blocked.fingerprint_id)
    assert story_match.score >= fingerprint.SAME_WORK and blocked_match.score >= fingerprint.SAME_WORK
    # A different work matches neither kind; an article is never its own match.
    assert works.similar(signature(OTHER), works.Kind.STORY) == works.similar(signature(OTHER), works.Kind.BLOCKED) == []
    assert works.similar(signature(kept.body), works.Kind.STORY, exclude_article=kept.pk) == []


def test_the_collector_and_the_blocklist_both_ask_the_one_matcher(held_and_blocked, monkeypatch):
    kept, _ = held_and_blocked
    asked: list[works.Kind] = []
    real = works.similar

    def recorded(signature, kind, **options):  # the real matcher runs; only who asked is noted
        asked.append(kind)
        return real(signature, kind, **options)

    monkeypatch.setattr(works, "similar", recorded)
    reprint = signature(REPRINT)
    assert store._matching_story(None, reprint) == kept.story
    reason = blocklist.blocked_reason(["https://c.example/elsewhere.html"], reprint)
    assert reason is not None and BlockedWork.objects.get().notice.reference in reason
    assert asked == [works.Kind.STORY, works.Kind.BLOCKED]
    # The page of another work: the blocklist asks the matcher, which finds nothing.
    assert blocklist.blocked_reason(["https://c.example/bus.html"], signature(OTHER)) is None
    assert asked[-1] == works.Kind.BLOCKED


def test_unblocking_removes_the_blocked_print_and_leaves_the_story_print(held_and_blocked):
    kept, _ = held_and_blocked
    blocklist.unblock(Notice.objects.get())
    assert list(Fingerprint.objects.values_list("kind", "article_id")) == [("story", kept.pk)]
    assert set(FingerprintBand.objects.values_list("kind", flat=True)) == {"story"}
    assert works.similar(signature(REPRINT), works.Kind.BLOCKED) == []
    assert blocklist.blocked_reason(["https://c.example/elsewhere.html"], signature(REPRINT)) is None


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_blocked_works_into_the_index_and_back(held_and_blocked):
    """newsroom 0015 + takedown 0003, backwards (the blocked print back into takedown's own band
    table, band keys back onto articles) and forwards again, on rows the real code wrote."""
    kept, withdrawn = held_and_blocked
    story_keys = sorted(signature(kept.body).band_keys())
    blocked_signature = bytes(Fingerprint.objects.get(kind="blocked").signature)
    before = [("newsroom", "0014_fingerprints"), ("takedown", "0002_notice_reach_and_upkeep")]
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps
        old_work = old.get_model("takedown", "BlockedWork").objects.get()
        assert bytes(old_work.signature) == blocked_signature
        assert sorted(old.get_model("takedown", "BlockedBand").objects.filter(blocked_id=old_work.pk)
                      .values_list("key", flat=True)) == story_keys  # the same text: the same keys
        assert sorted(old.get_model("newsroom", "FingerprintBand").objects.filter(article_id=kept.pk)
                      .values_list("key", flat=True)) == story_keys
        assert old.get_model("newsroom", "Fingerprint").objects.count() == 1
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    blocked = BlockedWork.objects.get()
    assert bytes(Fingerprint.objects.get(pk=blocked.fingerprint_id).signature) == blocked_signature
    assert sorted(FingerprintBand.objects.filter(fingerprint__article=kept).values_list("key", flat=True)) == story_keys
    assert sorted(FingerprintBand.objects.filter(fingerprint_id=blocked.fingerprint_id, kind="blocked")
                  .values_list("key", flat=True)) == story_keys
    # And it still blocks, and the story still matches.
    assert blocklist.blocked_reason(["https://c.example/elsewhere.html"], signature(REPRINT)) is not None
    assert [match.article_id for match in works.similar(signature(REPRINT), works.Kind.STORY)] == [kept.pk]
    assert Article.objects.filter(pk=withdrawn.pk).exists()
