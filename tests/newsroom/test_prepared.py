"""newsroom.rows.Prepared: a queryset compiled once answers as the queryset itself would."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import F, Q
from django.utils import timezone

from huiwen.newsroom.models import Article, Channel, Publisher
from huiwen.newsroom.rows import Instances, Prepared, Values
from tests import factories

pytestmark = pytest.mark.django_db

FIELDS = ("pk", "title", "published_at", "channel_id", "publisher_id", "story_id", "status")


def described(article: Article) -> tuple[object, ...]:
    return tuple(getattr(article, name) for name in FIELDS)


def test_same_instances_as_the_queryset_with_related_models_and_annotations():
    news = factories.channel("news", "新闻")
    local = factories.channel("local", "本地", parent=news)
    first = factories.article(local, "澄州老街改造完工", hours_ago=3)
    factories.article(local, "北山茶园迎来采摘季", hours_ago=2)
    factories.article(news, "尚未到发布时间的稿件", published_at=timezone.now() + timedelta(hours=5))

    def build(now, pk):
        return (Article.objects.visible(now).select_related("channel__parent", "publisher")
                .annotate(channel_path=F("channel__path")).filter(pk=pk))

    lookup = Prepared(build, type(timezone.now()), int, rows=Instances(
        Article, related={"channel": Instances(Channel, related={"parent": Instances(Channel)}),
                          "publisher": Instances(Publisher)},
        annotations={"channel_path": "channel__path"}))
    for article in Article.objects.all():
        now = timezone.now()
        expected = list(build(now, article.pk))
        got = lookup(now, article.pk)
        assert [described(a) for a in got] == [described(a) for a in expected]
        for mine, theirs in zip(got, expected, strict=True):
            assert mine.channel_path == theirs.channel_path
            assert mine.channel.name == theirs.channel.name and mine.channel.parent == theirs.channel.parent
            assert mine.publisher.name == theirs.publisher.name
            assert mine._state.db == "default" and not mine._state.adding
    assert len(lookup(timezone.now(), first.pk)) == 1
    # The time is an argument like the others: the embargoed article shows once its time has come.
    later = timezone.now() + timedelta(hours=6)
    embargoed = Article.objects.get(title="尚未到发布时间的稿件")
    assert lookup(timezone.now(), embargoed.pk) == []
    assert [a.pk for a in lookup(later, embargoed.pk)] == [embargoed.pk]


def test_string_arguments_in_like_patterns_are_escaped():
    # A prefix holding LIKE's wildcards matches itself, never what the wildcards would match.
    channel = factories.channel("news", "新闻")
    percent = factories.article(channel, "50%的居民支持延长图书馆开放时间")
    underscore = factories.article(channel, "A_B两条线路今起调整")
    factories.article(channel, "50元以下的惠民套餐")
    factories.article(channel, "AXB线路暂停运营")

    def build(prefix, contained):
        return Article.objects.filter(Q(title__startswith=prefix) | Q(title__contains=contained)).order_by("pk")

    titled = Prepared(build, str, str, rows=Instances(Article))
    for prefix, contained, expected in (("50%", "无此词", [percent]), ("无此词", "_B", [underscore]),
                                        ("50", "A_B", [percent, underscore, Article.objects.get(title__startswith="50元")])):
        assert [a.pk for a in titled(prefix, contained)] == [a.pk for a in build(prefix, contained)]
        assert sorted(a.pk for a in titled(prefix, contained)) == sorted(a.pk for a in expected)


def test_values_lists_and_argument_count():
    channel = factories.channel("news", "新闻")
    article = factories.article(channel, "价格平稳")
    titles = Prepared(lambda pk: Article.objects.filter(pk=pk).values_list("title", flat=True), int,
                      rows=Values(Article, ("title",), flat=True))
    pairs = Prepared(lambda pk: Article.objects.filter(pk=pk).values_list("pk", "published_at"), int,
                     rows=Values(Article, ("pk", "published_at")))
    assert titles(article.pk) == ["价格平稳"]
    assert pairs(article.pk) == [(article.pk, Article.objects.get(pk=article.pk).published_at)]
    with pytest.raises(TypeError):
        titles()


def test_what_it_cannot_prepare_is_refused():
    unused = Prepared(lambda pk: Article.objects.all(), int)
    with pytest.raises(ValueError):
        unused(1)
    dictionaries = Prepared(lambda pk: Article.objects.filter(pk=pk).values("title"), int)
    with pytest.raises(TypeError):
        dictionaries(1)
    with pytest.raises(TypeError):
        Prepared(lambda value: Article.objects.filter(title=value), float)(1.5)


def _fields_of(instance: Article) -> dict[str, object]:
    return {name: value for name, value in vars(instance).items() if name != "_state"}


def test_list_rows_are_the_instances_django_makes_deferred_fields_and_all():
    local = factories.channel("local", "本地")
    factories.article(local, "澄州老街改造完工", hours_ago=3)
    factories.article(local, "北山茶园迎来采摘季", hours_ago=2)

    def build(now):
        return Article.objects.visible(now).order_by("-published_at").only("pk", "title", "excerpt", "published_at")

    newest = Prepared(build, type(timezone.now()),
                      rows=Instances(Article, fields=("pk", "title", "excerpt", "published_at")))
    now = timezone.now()
    got, expected = newest(now), list(build(now))
    assert [_fields_of(a) for a in got] == [_fields_of(a) for a in expected]
    for mine in got:
        assert mine.get_deferred_fields() == expected[0].get_deferred_fields() and "body" in mine.get_deferred_fields()
        assert (mine._state.db, mine._state.adding) == ("default", False)
        assert mine.channel.name == "本地"  # a deferred field loads on access, as Django's would
        mine.refresh_from_db(fields=["body"])
        assert mine.body


def test_a_model_with_init_receivers_is_made_djangos_way():
    from django.db.models.signals import post_init

    seen: list[int] = []

    def count(sender, instance, **kwargs):
        seen.append(instance.pk)

    article = factories.article(factories.channel("local", "本地"), "澄州老街改造完工")
    post_init.connect(count, sender=Article)
    try:
        lookup = Prepared(lambda pk: Article.objects.filter(pk=pk).only("pk", "title"), int,
                          rows=Instances(Article, fields=("pk", "title")))
        assert [a.title for a in lookup(article.pk)] == ["澄州老街改造完工"] and seen == [article.pk]
    finally:
        post_init.disconnect(count, sender=Article)


def test_merged_runs_are_the_newest_of_the_whole_tree_as_the_queryset_gives_them():
    """A section's filler read channel by channel and merged (search.reading) equals the one query
    over the tree: visibility (a hidden channel, a future article, a draft), order and the cut."""
    from huiwen.search.reading import CHANNEL, SECTION, _newest, _newest_statement, section_channels

    news = factories.channel("news", "新闻")
    city = factories.channel("city", "本地", parent=news)
    hidden = factories.channel("hidden", "内部", parent=news, live=False)
    sports = factories.channel("sports", "体育")
    hour = 0.0
    for round_ in range(4):
        for place in (news, city, hidden, sports):
            hour += 0.7
            factories.article(place, f"{place.name}第{round_}条", hours_ago=hour)
    factories.article(city, "尚未发布的本地新闻", published_at=timezone.now() + timedelta(hours=2))
    factories.article(city, "本地草稿", status=Article.Status.DRAFT)
    now = timezone.now()
    assert set(section_channels("news")) == {news.pk, city.pk, hidden.pk}
    for size in (3, 5, 8, 20):
        expected = [a.pk for a in _newest(SECTION, size, now, "news")]
        runs = [(now, pk) for pk in section_channels("news")]
        merged = _newest_statement(CHANNEL, size).merged(runs, ["-published_at", "-id"], size)
        assert [a.pk for a in merged] == expected, size
        assert [(a.title, a.published_at) for a in merged] == [(a.title, a.published_at) for a in
                                                                Article.objects.filter(pk__in=expected)
                                                                .order_by("-published_at", "-pk")]
    assert len(expected) == 8  # news and city: four each; nothing hidden, future or drafted
    assert _newest_statement(CHANNEL, 5).merged([], ["-published_at"], 5) == []


def test_a_new_channel_joins_its_section_at_once():
    from huiwen.search.reading import section_channels

    news = factories.channel("news", "新闻")
    assert section_channels("news") == [news.pk]
    city = factories.channel("city", "本地", parent=news)
    assert section_channels("news") == [news.pk, city.pk]


def test_a_tree_of_more_channels_than_one_statement_merges_is_read_in_one_walk(monkeypatch):
    from huiwen.search import reading

    news = factories.channel("news", "新闻")
    places = [factories.channel(f"place{n}", f"地方{n}", parent=news) for n in range(4)]
    for n, place in enumerate(places):
        factories.article(place, f"地方新闻{n}", hours_ago=n + 1)
    monkeypatch.setattr(reading, "_MERGED_CHANNELS", 3)  # 5 channels in the tree: past the bound
    rows, complete = reading._Newest(10, shared=False).of(reading.SECTION, "news", 10)
    assert [a.title for a in rows] == ["地方新闻0", "地方新闻1", "地方新闻2", "地方新闻3"] and complete
