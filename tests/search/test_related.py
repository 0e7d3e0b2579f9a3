"""相关阅读: related by content, never the article itself, a hidden article or another copy of its story."""

from __future__ import annotations

import importlib
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from huiwen.newsroom.models import Article, Story
from huiwen.search import related
from huiwen.search.backends import get_backend
from huiwen.search.backends.base import PROFILE_TERMS
from huiwen.search.models import Profile, RelatedArticle
from huiwen.search.terms import term_key
from tests import factories
from tests.reader.pages import html
from tests.search.conftest import para

pytestmark = pytest.mark.django_db


def related_links(client, article) -> list[str]:
    page = html(client.get(article.get_absolute_url()))
    return page.xpath("//section[contains(@class,'related')]//li/h3/a/@href")


def test_related_by_content_not_by_date(client, world):
    # Newer articles in the same channel that share nothing come after (or not at all).
    for number in range(4):
        factories.article(world.local, f"社区图书馆延长开放时间第{number}期", hours_ago=1,
                          body=para("居民可以在晚上借阅图书,阅览室增加了座位。"))
    links = related_links(client, world.tea)
    assert links[0] == world.tea_market.get_absolute_url()


def test_never_itself_hidden_or_same_story(client, world):
    story = Story.objects.create()
    world.tea.story = story
    world.tea.save()
    copy = factories.article(world.local, "澄州春茶开采 茶农忙着抢收明前茶", story=story,
                             body=para("清明前后,澄州北山的茶园一片忙碌。", "茶农说今年春茶芽头饱满,明前茶的价格比去年略高。"))
    hidden_root = factories.channel("archive", "旧闻", live=False)
    hidden = [
        factories.article(world.local, "明前茶草稿 北山茶园", status=Article.Status.DRAFT, body=para("明前茶 春茶 茶农")),
        factories.article(world.local, "明前茶待审 北山茶园", status=Article.Status.PENDING, body=para("明前茶 春茶")),
        factories.article(world.local, "明前茶撤稿 北山茶园", status=Article.Status.WITHDRAWN, body=para("明前茶 春茶")),
        factories.article(world.local, "明前茶禁发 北山茶园", published_at=timezone.now() + timedelta(hours=3),
                          body=para("明前茶 春茶 茶农")),
        factories.article(hidden_root, "明前茶旧闻 北山茶园", body=para("明前茶 春茶 茶农")),
    ]
    links = related_links(client, world.tea)
    assert world.tea.get_absolute_url() not in links
    assert copy.get_absolute_url() not in links
    for article in hidden:
        assert article.get_absolute_url() not in links, article.title
    assert world.tea_market.get_absolute_url() in links


def test_withdrawn_candidate_leaves_lists_and_they_are_refreshed(client, world):
    extra = factories.article(world.local, "北山茶农直播卖春茶", body=para("茶农在茶园里直播,明前茶销量不错。"))
    assert world.tea_market.get_absolute_url() in related_links(client, world.tea)
    world.tea_market.status = Article.Status.WITHDRAWN
    world.tea_market.save()
    assert not RelatedArticle.objects.filter(related=world.tea_market).exists()
    assert Profile.objects.get(pk=world.tea.pk).related_at is not None  # recomputed, not just emptied
    links = related_links(client, world.tea)
    assert world.tea_market.get_absolute_url() not in links
    assert extra.get_absolute_url() in links


def test_deleted_candidate_leaves_lists(client, world):
    pk, url = world.tea_market.pk, world.tea_market.get_absolute_url()
    assert url in related_links(client, world.tea)
    world.tea_market.delete()
    assert not RelatedArticle.objects.filter(related_id=pk).exists()
    assert url not in related_links(client, world.tea)
    assert Profile.objects.get(pk=world.tea.pk).related_at is not None


def test_bulk_withdrawal_is_hidden_at_read_time(world):
    # QuerySet.update() sends no signal; the stored list is still read through visible().
    assert world.tea_market in related.related_articles(world.tea, 10)
    Article.objects.filter(pk=world.tea_market.pk).update(status=Article.Status.WITHDRAWN)
    assert world.tea_market not in related.related_articles(world.tea, 10)


def test_new_article_enters_older_lists(world):
    related.refresh(world.tea.pk)
    newcomer = factories.article(world.local, "明前茶价格回落 北山茶农盼春茶好行情",
                                 body=para("北山的茶农说,明前茶上市后价格有所回落。", "春茶的品质依然不错。"))
    assert RelatedArticle.objects.filter(article=world.tea, related=newcomer).exists()


def test_changed_article_is_recomputed(client, world):
    assert world.tea_market.get_absolute_url() in related_links(client, world.tea)
    world.tea.title = "澄州马拉松志愿者招募开始"
    world.tea.body = para("马拉松赛道沿线需要医疗志愿者和补给站志愿者。", "跑者可以提前熟悉赛道。")
    world.tea.save()
    links = related_links(client, world.tea)
    assert links[0] == world.marathon.get_absolute_url()


def test_same_channel_bonus_breaks_ties(world):
    body = para("北山茶园引进了新的制茶机器,明前茶的加工效率提高了。")
    same = factories.article(world.local, "北山茶园添新机", body=body, hours_ago=2)
    other = factories.article(world.tech, "北山茶园添新机", body=body, hours_ago=2)
    best = [pk for pk, _ in related.compute(world.tea.pk)]
    assert best.index(same.pk) < best.index(other.pk)


def test_recency_decay(world):
    body = para("北山茶园引进了新的制茶机器,明前茶的加工效率提高了。")
    recent = factories.article(world.local, "北山茶园添新机", body=body, hours_ago=40)
    old = factories.article(world.local, "北山茶园添新机", body=body, published_at=timezone.now() - timedelta(days=300))
    best = [pk for pk, _ in related.compute(world.tea.pk)]
    assert best.index(recent.pk) < best.index(old.pk)


def test_cost_is_bounded(world):
    for number in range(10):
        factories.article(world.local, f"明前茶第{number}批上市", body=para("明前茶 春茶 茶农"))
    assert len(related.compute(world.tea.pk)) > 4
    assert len(related.compute(world.tea.pk, candidates=4)) <= 4


def test_rebuild_then_related_command(client, world):
    call_command("search_index", "--rebuild", "--related")
    assert related_links(client, world.tea)[0] == world.tea_market.get_absolute_url()


def test_lists_are_computed_when_missing(client, world):
    RelatedArticle.objects.all().delete()
    Profile.objects.update(related_at=None)
    assert world.tea_market.get_absolute_url() in related_links(client, world.tea)


def test_a_stale_list_is_recomputed_when_the_page_is_viewed(client, world):
    # A stored list marked stale (related_at cleared: an item of it was withdrawn in bulk, say) is
    # not shown as it is: the page view recomputes it first.
    stray = RelatedArticle.objects.create(article=world.tea, related=world.marathon, score=9.0)
    Profile.objects.filter(pk=world.tea.pk).update(related_at=None)
    links = related_links(client, world.tea)
    assert links[0] == world.tea_market.get_absolute_url()  # the recomputed list, best first
    assert not RelatedArticle.objects.filter(pk=stray.pk).exists()
    assert Profile.objects.get(pk=world.tea.pk).related_at is not None


def related_part(article) -> list[int]:
    return [item.pk for item in related.related_articles(article, 10)]


def test_one_common_word_does_not_relate(world):
    # The collision: a grain-purchase order and a shipyard's order book share 订单.
    grain = factories.article(world.local, "秋粮收购过半 订单粮让农户心里有底", body=para(
        "禾县的种粮大户开春时就和收储企业签了订单,约定收购价格和质量标准。",
        "收储库启用了快速检测设备,稻谷水分和杂质几分钟出结果,货款当天到账。",
    ))
    ships = factories.article(world.tech, "海西船企手持订单排到2029年", body=para(
        "一艘液化天然气运输船正在码头进行系泊试验,船台上两艘同型船的分段正在合拢。",
        "船厂负责人说,新接的订单大多来自远洋航运公司,交付计划已经排满。",
    ))
    assert ships.pk not in related_part(grain)
    assert grain.pk not in related_part(ships)


def test_a_shared_name_and_a_shared_term_relate(world):
    # 澄宁 is no dictionary word: its characters' bigram is a name both articles carry.
    trial = factories.article(world.local, "澄宁高铁开始联调联试", body=para(
        "检测列车从澄州南站驶出,澄宁高铁全线进入联调联试阶段。", "沿线桐湾镇将首次接入高铁网络。"))
    hostel = factories.article(world.tech, "桐湾古镇民宿迎来咨询热", body=para(
        "澄宁高铁开通在即,桐湾古镇的民宿主忙着翻新客房。", "有人专门设计了高铁接站服务。"))
    assert hostel.pk in related_part(trial)


def test_the_reporters_name_is_not_a_subject(world):
    byline = "记者 孙庆璋"
    first = factories.article(world.local, "夜市重新开张", original_author=byline, body=para(
        "记者孙庆璋报道:老城区的夜市经过半年改造重新开张,摊位统一了尺寸。", "摊主们说客流比改造前多了不少。"))
    second = factories.article(world.tech, "冬天手脚冰凉别乱进补", original_author=byline, body=para(
        "记者孙庆璋报道:营养师提醒,手脚冰凉的原因很多,盲目进补可能增加肠胃负担。", "冬季饮食要均衡。"))
    assert second.pk not in related_part(first)


def test_spaced_out_text_is_read_as_words(client, world):
    spaced = factories.article(world.local, "衞 生 署 呼 籲 停 服 一 種 口 服 膠 囊", body=para(
        "衞 生 署 呼 籲 市 民 不 要 購 買 或 服 用 一 種 口 服 產 品 , 因 為 該 產 品 含 有 未 標 示 的 西 藥 成 分 。"))
    page = html(client.get("/search", {"q": "卫生署"}))
    assert spaced.get_absolute_url() in page.xpath("//ol[contains(@class,'search-results')]/li/h3/a/@href")


def test_the_score_reads_each_date_as_the_article_has_it(world):
    """article_facts gives publication times as seconds since 1970, computed by the database: the
    same instants as the ORM's datetimes, to the millisecond, and a score that is exactly
    similarity · channel · recency of the days between them."""
    from huiwen.search.backends import get_backend

    moments = [timezone.now() - timedelta(days=days, microseconds=micro)
               for days, micro in ((0, 0), (3, 123_456), (45, 999_999), (400, 1))]
    body = para("北山茶园引进了新的制茶机器,明前茶的加工效率提高了。")
    made = [factories.article(world.local, "北山茶园添新机", body=body, published_at=moment) for moment in moments]
    facts = {pk: seconds for pk, _, _, seconds, _ in get_backend().article_facts([a.pk for a in made])}
    stored = dict(Article.objects.filter(pk__in=facts).values_list("pk", "published_at"))
    assert all(abs(facts[pk] - stored[pk].timestamp()) < 0.001 for pk in facts) and len(facts) == 4
    tea = Article.objects.get(pk=world.tea.pk)
    scores = dict(related.compute(tea.pk))
    reads = related.Reads("default")
    similar = {pk: sim for sim, pk in related._similar(tea.pk, reads.profiles_of([tea.pk])[tea.pk], reads)}
    for article in made:
        days = abs((stored[article.pk] - tea.published_at).total_seconds()) / 86400.0
        recency = related.RECENCY_FLOOR + (1 - related.RECENCY_FLOOR) * 0.5 ** (days / related.HALF_LIFE_DAYS)
        channel = 1 + related.CHANNEL_BONUS if article.channel_id == tea.channel_id else (
            1 + related.ROOT_BONUS if article.channel.path.split("/")[0] == tea.channel.path.split("/")[0] else 1)
        assert scores[article.pk] == pytest.approx(similar[article.pk] * channel * recency, rel=1e-6)


def _candidate_rows() -> set[tuple[int, int]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT term, article_id FROM {PROFILE_TERMS}")
        return set(cursor.fetchall())


def _profile_rows() -> set[tuple[int, int]]:
    """What the candidate table must hold: every stored profile's terms, keyed."""
    return {(term_key(term), pk) for pk, terms in Profile.objects.values_list("pk", "terms") for term in terms["w"]}


def test_candidates_are_the_nearest_articles_sharing_a_profile_term(world):
    backend = get_backend()
    made = [factories.article(world.local, f"北山茶园第{number}期见闻",
                              body=para("茶农在北山采茶,采茶季的茶园热闹。" if number % 3 else "河道治水工程进展顺利。"))
            for number in range(24)]
    assert _candidate_rows() == _profile_rows()
    holding = sorted(pk for pk, terms in Profile.objects.values_list("pk", "terms") if "采茶" in terms["w"])
    assert len(holding) >= 15  # two thirds of the new articles, at least
    for around, limit in ((made[12].pk, 6), (made[12].pk, 400), (made[1].pk, 10), (made[-2].pk, 10)):
        below = sorted((pk for pk in holding if pk < around), reverse=True)[: limit // 2]
        above = [pk for pk in holding if pk > around][: limit - len(below)]
        assert backend.candidates(["采茶"], around=around, limit=limit) == below + above
    # Any of several terms; a term nobody's profile holds finds nothing, and a batch gets what each got alone.
    wanted = [(["采茶"], made[5].pk), (["治水", "采茶"], made[2].pk), (["无人提及的词"], made[7].pk), ([], made[8].pk)]
    found = backend.candidates_many(wanted, 8)
    assert found == [backend.candidates(terms, around, 8) for terms, around in wanted]
    assert found[2] == found[3] == [] and {made[0].pk, made[3].pk} <= set(found[1])  # 治水's articles too

    # Kept with the profiles: an edit that drops the term, a withdrawal, a deletion, a rebuild.
    edited, withdrawn, deleted = made[4], made[5], made[7]
    edited.body = para("河道治水工程进展顺利,沿岸居民点赞。")
    edited.save()
    withdrawn.status = Article.Status.WITHDRAWN
    withdrawn.save()
    deleted.delete()
    rows = _candidate_rows()
    assert rows == _profile_rows()
    assert {pk for _, pk in rows}.isdisjoint({withdrawn.pk, deleted.pk})
    assert edited.pk not in backend.candidates(["采茶"], around=made[12].pk, limit=400)
    assert edited.pk in backend.candidates(["治水"], around=made[12].pk, limit=400)
    call_command("search_index", verbosity=0)
    assert _candidate_rows() == rows
    # The migration that made the table fills it from the profiles a site already has.
    backend.forget_profile_terms(None)
    importlib.import_module("huiwen.search.migrations.0008_profile_terms")._fill(SimpleNamespace(connection=connection))
    assert _candidate_rows() == rows


def test_flagged_facts_say_what_the_rule_says(world):
    """The one statement that reads an article's own facts and its shortlists' (flagged) returns
    every id asked, flagged exactly as the rule filters them, the same facts as unflagged."""
    from huiwen.search.backends.visibility import rule

    hidden_root = factories.channel("vault", "存档", live=False)
    hidden = [
        factories.article(world.local, "北山茶园草稿", status=Article.Status.DRAFT, body=para("明前茶")),
        factories.article(world.local, "北山茶园禁发", published_at=timezone.now() + timedelta(hours=2), body=para("明前茶")),
        factories.article(hidden_root, "北山茶园旧闻", body=para("明前茶")),
    ]
    shown = [world.tea, world.tea_market, world.marathon]
    ids = [article.pk for article in hidden + shown] + [10**9]
    visible = rule("visible", lambda now: Article.objects.visible(now))
    backend = get_backend()
    flagged = {row[0]: row for row in backend.article_facts(ids, visible, flagged=True)}
    assert set(flagged) == set(ids) - {10**9}
    assert {pk for pk, row in flagged.items() if row[5]} == {a.pk for a in shown}
    assert {row[0]: row for row in backend.article_facts(ids, visible)} == {
        pk: row[:5] for pk, row in flagged.items() if row[5]}
    # compute() reads the article's own facts and its shortlists in that one statement.
    reads = related.Reads("default")
    similar = related._similar(world.tea.pk, reads.profiles_of([world.tea.pk])[world.tea.pk], reads)
    assert reads.own_and_shortlists(world.tea.pk, similar) == reads.own([world.tea.pk])[world.tea.pk]
    assert {pk for _, pk in similar} <= set(reads.visible)
