"""Issue 16, stage by stage: 来源, time, 责编 and authors in the forms pages write them, read
by method.  Every line here was written for these tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from huiwen.extract import dates, extract
from huiwen.extract.byline import (
    _after_source,
    _authors,
    _credit,
    _names_and_place,
    _names_line,
    _source,
    editor_names,
    outlet_and_reporter,
)
from huiwen.extract.metadata import is_outlet, split_names
from huiwen.extract.names import is_person_name, split_glued

CST = timezone(timedelta(hours=8))
TEXT = "".join(
    f"<p>{p}</p>"
    for p in (
        "城南老菜场改造后重新开张，摊位统一换上了电子秤和价格牌，居民买菜更加方便。",
        "菜场负责人介绍，改造期间临时市场照常营业，没有影响周边居民的日常生活。",
        "下一步，菜场还将开设便民服务点，提供修鞋、配钥匙和缝补衣物等服务。",
    )
)


def page(meta_line: str = "", head: str = "", end: str = "", title: str = "城南老菜场改造完成重新开张") -> bytes:
    return (
        f'<html><head><meta charset="utf-8"><title>{title}_样例新闻网</title>{head}</head><body>'
        f'<div class="nav"><a href="/">首页</a> <a href="/local/">本地</a> <a href="/life/">生活</a></div>'
        f'<h1>{title}</h1><div class="info">{meta_line}</div><div class="content">{TEXT}{end}</div>'
        f'<div class="footer">样例新闻网 版权所有</div></body></html>'
    ).encode()


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("2024年5月1日 下午3:05", datetime(2024, 5, 1, 15, 5, tzinfo=CST)),
        ("2023.10.05 03:42 pm", datetime(2023, 10, 5, 15, 42, tzinfo=CST)),
        ("2023-10-05 12:10 AM", datetime(2023, 10, 5, 0, 10, tzinfo=CST)),
        ("2023-10-05 凌晨12:30", datetime(2023, 10, 5, 0, 30, tzinfo=CST)),
        ("2023-10-05 09:30 北京", datetime(2023, 10, 5, 9, 30, tzinfo=CST)),
        ("2024-03-08 HKT 21:40", datetime(2024, 3, 8, 21, 40, tzinfo=CST)),
        ("2024年6月3日週一 上午10:15", datetime(2024, 6, 3, 10, 15, tzinfo=CST)),
        ("更新时间 2023年5月4日, 格林尼治标准时间08:05", datetime(2023, 5, 4, 8, 5, tzinfo=UTC)),
        ("18:07 2012-01-16", datetime(2012, 1, 16, 18, 7, tzinfo=CST)),  # the clock before the day
        ("最后更新 14.12.2011 19:00", datetime(2011, 12, 14, 19, 0, tzinfo=CST)),  # day first, with dots
        ("11.15.2019", None),  # month first with dots is no date here
        ("版本 1.2.2011.5", None),
    ],
)
def test_twelve_hour_clocks(text: str, want: datetime | None) -> None:
    assert dates.parse(text, CST) == want
    assert dates.has_time(text) == (want is not None and (want.hour, want.minute) != (0, 0))


def test_printed_time_wins_over_meta_and_keeps_a_zone() -> None:
    head = '<meta property="article:published_time" content="2024-03-02T06:40:00+00:00">'
    draft = extract(page('<span>2024-03-02 09:15</span> <a class="source" href="http://x.example/">南岸日报</a>', head))
    assert draft.published_at == datetime(2024, 3, 2, 9, 15, tzinfo=CST)
    assert draft.published_at.utcoffset() == timedelta(hours=8)
    assert draft.provenance["published_at"].method == "meta line"


def test_meta_fills_in_the_time_of_a_printed_day() -> None:
    head = '<meta property="article:published_time" content="2024-03-02T08:05:00+08:00">'
    draft = extract(page("2024-03-02", head))
    assert draft.published_at == datetime(2024, 3, 2, 8, 5, tzinfo=CST)


def test_a_day_first_stamp_is_set_right_by_meta() -> None:
    head = '<meta property="article:published_time" content="2022-02-06T12:48:00+00:00">'
    draft = extract(page("发表时间： 06/02/2022 - 13:48", head))
    assert draft.published_at is not None and draft.published_at.date().isoformat() == "2022-02-06"


def test_time_only_in_script_state() -> None:
    head = "<script>var pageInfo = {title: '城南老菜场', publish_time: 1714543200, editor: '宁远航'};</script>"
    draft = extract(page("", head))
    assert draft.published_at == datetime(2024, 5, 1, 6, 0, tzinfo=UTC)
    assert draft.provenance["published_at"].method == "script"


@pytest.mark.parametrize(
    ("meta_line", "want", "method"),
    [
        (
            '<span class="date">2024-04-01 08:00</span><a class="source" href="http://x.example/">南岸日报</a>',
            "南岸日报",
            "meta line",
        ),
        ("2024-04-01 08:00 南岸日报 记者 林晓", "南岸日报", "meta line"),
        ("<ul><li>2024-04-01 08:00</li><li>南岸晚報</li></ul>", "南岸晚報", "meta line"),
        ("南岸頻道2024年04月01日08:00", "南岸頻道", "meta line"),
        (
            '<a href="http://www.example.com/">Sample中国·EXM</a> 2012年01月17日 18:26 <a href="#c">评论</a>',
            "Sample中国·EXM",
            "meta line",
        ),
        ("2024-04-01 08:00 来源：南岸日报 作者：林晓", "南岸日报", "label"),
        ("时间 2024-04-01 08:00 来源 南岸日报", "南岸日报", "label"),
        ("2024-04-01 08:00 《南岸周刊》", "《南岸周刊》", "meta line"),
    ],
)
def test_source_by_method(meta_line: str, want: str, method: str) -> None:
    draft = extract(page(meta_line))
    assert draft.source == want
    assert draft.provenance["source"].method == method


def test_channel_names_and_pronouns_are_not_outlets() -> None:
    for line in ("2024-04-01 08:00 <a href='/local/'>本地</a>", "2024-04-01 08:00 本报"):
        assert extract(page(line)).source is None


def test_a_reporters_role_in_the_author_slot_is_no_outlet() -> None:
    for line in (
        '2024-04-01 08:00</div><div class="author">实习生 林小满',
        '2024-04-01 08:00</div><div class="author">通讯员林小满',
    ):
        draft = extract(page(line))
        assert draft.source is None
        assert draft.authors == ("林小满",)


def test_source_from_meta_tag_account_and_other_site() -> None:
    assert extract(page("2024-04-01", '<meta name="source" content="南岸日报">')).source == "南岸日报"
    account = extract(page("2024-04-01", '<meta property="article:author" content="南岸生活观察">'))
    assert account.source == "南岸生活观察" and account.authors == ()
    host_name = extract(page("2024-04-01", '<meta property="og:site_name" content="样例新闻网">'))
    assert host_name.source is None  # the host's own name is no 来源
    other = extract(page("2024-04-01", '<meta property="og:site_name" content="南岸日报">'))
    assert other.source == "南岸日报" and other.provenance["source"].confidence < 0.6


def test_source_from_the_media_id_tag_of_a_self_media_page() -> None:
    """<meta name="mediaid"> names the self-media account that published the page, though its name
    does not read like an outlet's (篮球广角); a labelled 来源 on the page still comes first, and a
    number in the tag is an id, not a name."""
    account = extract(page("2024-04-01", '<meta name="mediaid" content="篮球广角">'))
    assert account.source == "篮球广角" and account.provenance["source"].method == "meta"
    assert account.authors == ()
    labelled = extract(page("2024-04-01 08:00 来源：南岸日报", '<meta name="mediaid" content="篮球广角">'))
    assert labelled.source == "南岸日报"
    assert extract(page("2024-04-01", '<meta name="mediaid" content="20240401">')).source is None


def test_a_source_of_several_latin_words() -> None:
    assert _source("[來源： Orchard of Apps ]") == "Orchard of Apps"
    assert _source("来源：New York Times 作者：林晓") == "New York Times"


def test_generic_source_yields_to_a_named_one() -> None:
    draft = extract(page("2024-04-01 08:00 来源：转载文章", end="<p>来源：南岸晨报</p>"))
    assert draft.source == "南岸晨报"
    assert _source("来源：资料图") is None


@pytest.mark.parametrize(
    ("line", "want"),
    [
        ("本报讯（记者/梁秋实 通讯员/蒋一帆）", ["梁秋实", "蒋一帆"]),
        ("南岸网讯 实习生吴晓光、记者贺明远报道：", ["吴晓光", "贺明远"]),
        ("【林子晴╱南投報導】", ["林子晴"]),
        ("（南岸社記者陳文昕台北5日電）", ["陳文昕"]),
        ("（張文昕報導）", ["張文昕"]),
        ("作者： 蒋 凌 稿源： 南岸日报", ["蒋 凌"]),
        ("采写：南岸记者 方远", ["方远"]),
        ("本报记者 韩东 摄", []),
        ("南岸广播电台張翠玲報導", ["張翠玲"]),
        ("【（李文远／南岸市）】", ["李文远"]),
        ("文丨林晓川", ["林晓川"]),
        ("文/图 林晓川 贺明远", ["林晓川", "贺明远"]),
        ("林晓川/文", ["林晓川"]),
        ("■文/林晓川 图/贺明远", ["林晓川"]),
        ("记者 张立／攝影", []),
        ("阅读全文", []),
        ("作者：Skyler(微博)(南岸天文爱好者)", ["Skyler"]),
        ("記者： kenji ｜ 時間： Jan 17, 2012", ["kenji"]),
        ("水位降至历史最低。本报记者韩东摄南岸日报5月3日讯(记者林晓 通讯员贺明远)今天", ["林晓", "贺明远"]),
        (
            "（" + "城南老菜场改造后重新开张，摊位统一换上了电子秤和价格牌。" * 8 + "報導╱林明真、張佩如",
            ["林明真", "張佩如"],
        ),
    ],
)
def test_bylines(line: str, want: list[str]) -> None:
    assert _authors(line) == want


@pytest.mark.parametrize(
    ("line", "want"),
    [
        ("菜场还将开设便民服务点。（梁秋实）", ["梁秋实"]),
        ("菜场还将开设便民服务点。(南岸网/陈一然)", ["陈一然"]),
        ("菜场还将开设便民服务点。（编译/林靖远）", ["林靖远"]),
        ("菜场还将开设便民服务点。（完）", []),
        ("菜场还将开设便民服务点（见附图）", []),
    ],
)
def test_trailing_credits(line: str, want: list[str]) -> None:
    assert _credit(line) == want


def test_outlets_in_the_author_slot_go_to_source() -> None:
    draft = extract(page("2024-04-01 08:00 作者：南岸晚报"))
    assert draft.authors == () and draft.source == "南岸晚报"


@pytest.mark.parametrize(
    ("line", "want"),
    [
        ("编辑：倪晓 责任编辑：杨帆", ["杨帆"]),
        ("（责编：王震、白宇）", ["王震", "白宇"]),
        ("[责任编辑：rubyli]", ["rubyli"]),
        ("（南岸网编辑 孙一芳）", ["孙一芳"]),
        ("责任编辑：李曦_NN2587", ["李曦"]),
        ("（编辑：SN034）", []),
        ("作者：曹磊 来源:南岸网 选稿：曾远", ["曾远"]),
    ],
)
def test_editors(line: str, want: list[str]) -> None:
    assert editor_names(line) == want


def test_editor_line_far_from_the_text_and_several_names() -> None:
    draft = extract(page(end="<p>菜场还将开设便民服务点。(责编：王震、白宇)</p>"))
    assert draft.editors == ("王震", "白宇")
    assert all("责编" not in p for p in draft.paragraphs)


def test_names_and_outlets() -> None:
    assert split_names("蒋 凌、 王小明") == ["蒋 凌", "王小明"]
    assert is_outlet("南岸日报") and is_outlet("AFP") and not is_outlet("林晓")


def test_every_found_field_has_provenance() -> None:
    draft = extract(
        page('2024-04-01 08:00 <a class="source" href="http://x.example/">南岸日报</a>', end="<p>责任编辑：杨帆</p>")
    )
    assert set(draft.provenance) >= {"title", "published_at", "source", "editor"}
    assert draft.provenance_json()["source"] == {
        "method": "meta line",
        "confidence": draft.provenance["source"].confidence,
    }


def test_a_title_naming_only_the_site_gives_way_to_the_heading_over_the_text() -> None:
    raw = (
        '<html><head><meta charset="utf-8"><title>南岸新闻网</title></head><body>'
        '<div class="logo"><a href="/">南岸新闻网</a></div><div class="nav"><a href="/">首页</a> <a href="/l/">本地</a></div>'
        f'<table><tr><td class="big">城南老菜场改造完成重新开张</td></tr><tr><td>2024-04-01 08:00</td></tr>'
        f'<tr><td class="text">{TEXT}</td></tr></table></body></html>'
    ).encode()
    draft = extract(raw)
    assert draft.title == "城南老菜场改造完成重新开张"
    assert draft.paragraphs[0].startswith("城南老菜场改造后")


@pytest.mark.parametrize(
    ("run", "want"),
    [
        ("彭远侯晓婷", ["彭远", "侯晓婷"]),
        ("欧阳娜娜", ["欧阳娜娜"]),
        ("林晓川", ["林晓川"]),
        ("渡口码头", ["渡口码头"]),  # no split into names: returned as it is
    ],
)
def test_names_run_together_split_at_family_names(run: str, want: list[str]) -> None:
    assert split_glued(run) == want


def test_person_names_open_with_a_family_name() -> None:
    assert is_person_name("贺明远") and is_person_name("蒋 凌") and is_person_name("买买提·艾力")
    assert not is_person_name("南岸日报") and not is_person_name("本地") and not is_person_name("贺明远先生好")


@pytest.mark.parametrize(
    ("line", "want"),
    [
        ("南岸晚报记者贺明远邵可欣摄影韩东", ["贺明远", "邵可欣"]),
        ("（李艳 撰稿）", ["李艳"]),
        ("記者林宜真台北報導", ["林宜真"]),
        ("邱文昕／台北報導", ["邱文昕"]),
        ("图/本报记者 张立", []),
        ("作者简介：南岸大学教授", []),
        ("执笔人：王一帆 李思远", ["王一帆", "李思远"]),
        ("文 官小盈", ["官小盈"]),
        ("文 章", []),
        ("北岸廣播新聞／周雅婷", ["周雅婷"]),
        ("【北岸醒報／林小芳】", ["林小芳"]),
        ("生活快訊／台北", []),
        ("作者：第一财经 钱思远", ["钱思远"]),
        ("来源：南岸晚报 记者 冯远航 编辑 陈书言", ["冯远航"]),
        ("南经记者 朱一凡 南经编辑 秦晓宝", ["朱一凡"]),
        ("记者：吴远方 摄影：郑晓天", ["吴远方"]),
        ("本报记者 杨思远 实习生 周晓月 文并摄", ["杨思远", "周晓月"]),
        ("南岸财经记者 赵和平 编辑 徐巧云 校对 柳一言", ["赵和平"]),
        ("（李沐阳 编辑）", []),
        (
            "水位降至历史最低。本报记者韩东摄" * 4
            + "南岸日报5月3日讯(记者林晓 通讯员贺明远)今天"
            + "城南老菜场改造后重新开张，摊位统一换上了电子秤和价格牌。" * 4,
            ["林晓", "贺明远"],
        ),
    ],
)
def test_bylines_without_separators_and_credits(line: str, want: list[str]) -> None:
    assert _authors(line) == want


def test_names_alone_on_a_line_and_a_broadcasters_closing_credit() -> None:
    assert _names_line("周文远、赵晓晴") == ["周文远", "赵晓晴"]
    assert _names_line("周文远") == []  # one name alone may be a heading
    assert _names_line("城东、城西") == []  # places, not people
    assert _names_and_place("林志豪 賴雅婷 台南") == ["林志豪", "賴雅婷"]
    assert _names_and_place("新年 快樂 台南") == []


def test_a_box_over_the_text_is_cut_only_where_its_look_ends() -> None:
    """开栏的话 over the text: with nothing to tell the box from the text, nothing is cut."""
    box = "<p>编者按</p><p>本版今起开设城市观察栏目，记录老城区里的新变化。</p>"
    draft = extract(page("2024-04-01 08:00").replace(b'<div class="content">', f'<div class="content">{box}'.encode()))
    assert "本版今起开设城市观察栏目" in draft.body


def test_an_outlet_printed_twice_in_the_reporters_place() -> None:
    draft = extract(page("南岸新聞╱南岸新聞 2012-01-17 16:04"))
    assert draft.source == "南岸新聞"


def test_an_outlet_and_its_reporter_split_by_a_slash() -> None:
    assert outlet_and_reporter("【北岸醒報／林小芳】") == ("北岸醒報", "林小芳")
    assert outlet_and_reporter("北岸廣播新聞／周雅婷") == ("北岸廣播新聞", "周雅婷")
    assert outlet_and_reporter("王小明／李大同") is None  # two people: no outlet
    assert outlet_and_reporter("北岸日報／南岸日報") is None  # two outlets: no reporter


def test_the_reporter_slot_of_a_meta_line_that_opens_the_text() -> None:
    """The meta line (time, outlet, the reporter in his own slot) stands inside the text's
    container; a credit closing the text names the outlet, not a person."""
    raw = (
        '<html><head><meta charset="utf-8"><title>城南老菜场改造完成重新开张</title></head><body>'
        '<h1>城南老菜场改造完成重新开张</h1><div class="article">'
        '<div class="reporter"><time>2024年04月01日 08:00</time> <a href="/news/">晨時</a></div>'
        '<div class="rp_name"><cite><a href="/reporter/1" rel="author">林晓川</a></cite></div>'
        f"{TEXT}<p>（晨時）</p></div></body></html>"
    ).encode()
    draft = extract(raw)
    assert draft.authors == ("林晓川",)


def test_a_person_after_the_source_but_not_the_next_label() -> None:
    assert _after_source("来源：南岸网 王帆") == ["王帆"]
    assert _after_source("来源：南岸晚报 关键字：菜场;改造 作者：") == []


def test_a_list_of_other_stories_closing_the_text_is_cut_and_the_source_line_above_it_read() -> None:
    listed = "".join(
        f"<div>·{headline} ({stamp})</div>"
        for headline, stamp in (("南岸夜市重新开张", "2005-04-27 18:03PM"), ("老街换上新路灯", "2005-04-27 17:03PM"))
    )
    draft = extract(
        page("2005-04-28 11:13 来源：转载文章", end=f"<p>来源：南岸晚报</p>{listed}<div>盛典商机无限</div>")
    )
    assert draft.source == "南岸晚报"
    assert draft.paragraphs[-1].endswith("缝补衣物等服务。")


def test_a_report_naming_a_microblog_opens_the_text_a_promotion_does_not() -> None:
    opening = "<p>南岸网5月3日电 南岸区政务微博集群今天开通，全区32个部门的政务微博首批加入其中。</p>"
    promo = "<p>南岸网现已开通微博，欢迎关注我们！</p>"
    draft = extract(
        page("2024-04-01 08:00", end="", title="城南老菜场改造完成重新开张").replace(
            b'<div class="content">', f'<div class="content">{promo}{opening}'.encode()
        )
    )
    assert draft.paragraphs[0].startswith("南岸网5月3日电")


def test_a_table_row_named_after_a_player_is_no_video_player() -> None:
    rows = "".join(
        f'<tr class="row player-2024-{n}"><td>{n}</td><td>{name}</td><td>{points}</td></tr>'
        for n, name, points in ((1, "林晓川", 5040), (2, "贺明远", 5035), (3, "邵可欣", 5033))
    )
    draft = extract(page("2024-04-01 08:00", end=f"<table>{rows}</table>"))
    assert "贺明远" in " ".join(draft.paragraphs)


def test_a_date_in_the_summary_is_the_events_not_the_articles() -> None:
    summary = (
        "<p>摘 要：后天傍晚南岸可以看到日环食，观测时间约两小时，上一次在本地看到日环食还是1997年3月9日，"
        "市民在城南公园和江边都能看到，天文馆将开放观测点，并安排讲解员为市民介绍月全食的成因和观测方法。</p>"
    )
    raw = page("<span>2011-12-09</span><span>南岸晚报</span>").replace(
        b'<div class="content">', f'<div class="content">{summary}'.encode()
    )
    draft = extract(raw)
    assert draft.published_at is not None and draft.published_at.date().isoformat() == "2011-12-09"


def test_the_printed_time_keeps_the_zone_the_page_prints_it_in() -> None:
    """A foreign outlet prints its own clock over a UTC timestamp: the whole hours between them
    are the printed time's offset; a site that labels its local time as UTC changes nothing."""
    paris = page(
        "发表时间： 06/02/2022 - 13:48", '<meta property="article:published_time" content="2022-02-06T12:48:06+00:00">'
    )
    draft = extract(paris)
    assert draft.published_at == datetime(2022, 2, 6, 13, 48, tzinfo=timezone(timedelta(hours=1)))
    local = page("2024-03-02 09:15", '<meta property="article:published_time" content="2024-03-02T09:15:00Z">')
    assert extract(local).published_at == datetime(2024, 3, 2, 9, 15, tzinfo=CST)


def test_an_editor_printed_beside_the_source_line_far_below_the_text() -> None:
    related = "".join(f'<li><a href="/n/{n}.html">城南新闻第{n}条标题在此</a></li>' for n in range(8))
    raw = page("2024-04-01 08:00").replace(
        b'<div class="footer">',
        f'<ul class="related">{related}</ul><ul class="credits"><li>来源：南岸网</li><li>编辑：王文远</li></ul>'
        '<div class="footer">'.encode(),
    )
    assert extract(raw).editors == ("王文远",)


def test_a_clock_beside_the_headline_gives_the_printed_day_its_time() -> None:
    raw = (
        '<html><head><meta charset="utf-8"><title>城南老菜场改造完成 - 南岸新闻网</title></head><body>'
        '<div class="top">2024年4月1日‧星期一</div>'
        '<h2 class="news_title">城南老菜场改造完成 <span class="conttime">【16:15】</span></h2>'
        f'<div class="content">{TEXT}</div></body></html>'
    ).encode()
    assert extract(raw).published_at == datetime(2024, 4, 1, 16, 15, tzinfo=CST)


def test_a_column_tag_before_the_headline_that_title_leaves_out_is_kept() -> None:
    raw = (
        '<html><head><meta charset="utf-8"><title>城南老菜场改造完成重新开张 本地_新闻中心_南岸网</title></head><body>'
        '<div class="nav"><a href="/">首页</a> <a href="/local/">本地</a></div>'
        "<h1>【记者即时播报】城南老菜场改造完成重新开张</h1>"
        f'<div class="content"><p>城南老菜场改造完成重新开张</p>{TEXT}</div>'
        '<ul class="hot"><li>城南老菜场改造完成重新开张</li></ul></body></html>'
    ).encode()
    draft = extract(raw)
    assert draft.title == "【记者即时播报】城南老菜场改造完成重新开张"
    assert draft.paragraphs[0].startswith("城南老菜场改造后")


def test_a_heading_that_is_the_whole_title_keeps_the_words_before_its_dash() -> None:
    """No site's name stands in a <title> that is the printed heading itself, so the short part
    before its dash is the headline's own (a lead-in such as 对比试车), not a prefix to trim. A
    heading that adds a prefix to a <title> (a breadcrumb here) is still trimmed to the <title>'s."""
    heading = "对比试车—两款小型电动车的冬季续航"

    def page(title: str, printed: str) -> bytes:
        return (
            f'<html><head><meta charset="utf-8"><title>{title}</title></head><body>'
            f'<table><tr><td class="c14"><strong>{printed}</strong></td></tr></table>'
            f'<div class="content">{TEXT}</div></body></html>'
        ).encode()

    assert extract(page(heading, heading)).title == heading
    assert extract(page(f"{heading[5:]}_南岸网", f"汽车频道 > {heading[5:]}")).title == heading[5:]


def test_a_header_clock_named_after_its_time_zone_is_not_the_articles_time() -> None:
    """美国东部时间: 06:40 2024年03月05日星期二 in a site's header is the time somewhere when the
    page was made; the article's own date is the one after the headline, though a row of tools
    stands between them."""
    tools = "".join(f'<div class="tool"><a href="/t/{n}">工具{n}</a></div>' for n in range(8))
    raw = (
        '<html><head><meta charset="utf-8"><title>城南老菜场改造完成重新开张 - 南岸网</title></head><body>'
        '<div class="bar">美国东部时间: 06:40 2024年03月05日星期二</div>'
        '<div class="nav"><a href="/">首页</a></div><div class="nav"><a href="/local/">本地</a></div>'
        f"<h1>城南老菜场改造完成重新开张</h1>{tools}"
        '<p class="article_date">最后更新 01.03.2024 18:30</p>'
        f'<div class="content">{TEXT}</div></body></html>'
    ).encode()
    draft = extract(raw)
    assert draft.published_at is not None
    assert (draft.published_at.day, draft.published_at.hour, draft.published_at.minute) == (1, 18, 30)


def test_a_broadcasters_closing_sentence_names_its_reporters_run_together_with_station_and_place() -> None:
    """南岸電視王曉明、林秋霖台灣新竹採訪報導。 closing the text: the two reporters are the authors;
    a sentence that only says where a station's reporter went names nobody."""

    def page(last: str) -> bytes:
        return (
            '<html><head><meta charset="utf-8"><title>城南老菜場改造完成重新開張 - 南岸網</title></head><body>'
            "<h1>城南老菜場改造完成重新開張</h1><div>2024-03-02</div>"
            f'<div class="content"><p>{"城南老菜場改造後重新開張，攤位整齊，通道寬敞，居民說買菜方便多了。" * 4}<br><br>'
            f"{last}</p></div></body></html>"
        ).encode()

    assert extract(page("南岸電視王曉明、林秋霖台灣新竹採訪報導。")).authors == ("王曉明", "林秋霖")
    # Where the reporter went is no reporter's name (this read 在新竹採訪 and 在北京 before).
    assert extract(page("這條消息由南岸電視台記者在新竹採訪報導。")).authors == ()
    assert extract(page("记者在北京报道。")).authors == ()


# --- 责编 far below the text, names the decoder could not read, page counters (i16m) ---------

OTHER_LINKS = "".join(f'<li><a href="/more/{n}.html">南岸新闻第{n}条：城区道路改造进展顺利</a></li>' for n in range(9))


def page_with_tail(tail: str, text: str = TEXT) -> bytes:
    """An article with a list of other stories under it, then ``tail``: further below the text
    than the lines read just after it."""
    return (
        '<html><head><meta charset="utf-8"><title>城南老菜场改造完成重新开张_样例新闻网</title></head><body>'
        '<h1>城南老菜场改造完成重新开张</h1><div class="info">2024-03-02 09:15 来源：南岸日报</div>'
        f'<div class="content">{text}</div><div class="more"><h3>热点推荐</h3><ul>{OTHER_LINKS}</ul></div>'
        f"{tail}<div class=\"footer\">样例新闻网 版权所有</div></body></html>"
    ).encode()


TAGS = " ".join(f'<a href="/tag/{n}">{w}</a>' for n, w in enumerate(["菜场", "便民服务", "城南区", "农贸市场改造", "电子秤"]))


def test_a_bracketed_editor_credit_opening_a_line_of_tags_is_read_far_below_the_text() -> None:
    draft = extract(page_with_tail(f'<div class="tags">[责任编辑：林慕远] 标签：{TAGS} 相关专题：城南区农贸市场改造</div>'))
    assert draft.editor == "林慕远"
    assert not any("标签" in p for p in draft.paragraphs)


def test_an_editor_label_inside_a_long_line_or_a_question_names_no_one() -> None:
    # The label must open the line; a bracket holding a sentence is a remark, not a credit.
    inside = f"<p>读者来信说，文末注明的[责任编辑：林慕远]这一行字太小了，希望能够放大一些。{TAGS}</p>"
    assert extract(page_with_tail(inside)).editor is None
    remark = f"<p>【责任编辑：这个标题是谁起的？】网友留言问道，{TAGS}</p>"
    assert extract(page_with_tail(remark)).editor is None


def test_a_lone_editor_line_below_the_comments_is_the_articles_editor() -> None:
    comments = (
        '<div class="comments"><h3>网友评论</h3><p>南岸网友 小石头 2024-03-02 10:10</p><p>早就该改了。</p>'
        '<p>南岸网友 阿芳 2024-03-02 10:35</p><p>停车位还是太少。</p></div>'
    )
    assert extract(page_with_tail(comments + '<div class="editor">编辑：谢雨桐</div>')).editor == "谢雨桐"
    assert extract(page_with_tail(comments + '<div class="editor">[编辑：yuqing]</div>')).editor == "yuqing"


@pytest.mark.parametrize(
    "tail",
    [
        # A reader whose nickname is 编辑 says something: no one is named.
        '<div class="comments"><p>网友 编辑 2024-03-02 10:10</p><p>编辑：说得真好</p></div>',
        # Several lone editor lines below the text are a list's (each item's editor), not the article's.
        '<ul class="videos"><li><p>编辑：谢雨桐</p></li><li><p>编辑：周若晴</p></li></ul>',
    ],
)
def test_editor_lines_below_the_text_that_are_not_the_articles(tail: str) -> None:
    assert extract(page_with_tail(tail)).editor is None


def test_a_story_about_editing_keeps_its_words_and_names_no_editor() -> None:
    text = TEXT + "<p>老林改完稿子，总在页边写上一句“编辑：再核一遍数字”。</p>"
    draft = extract(page_with_tail("", text))
    assert draft.editor is None
    assert any("再核一遍数字" in p for p in draft.paragraphs)
    assert editor_names("他写上“编辑：再核一遍数字”。") == []


@pytest.mark.parametrize(
    ("line", "want"),
    [
        ("本报讯（记者 郑\ufffd宁）昨天上午，一艘货轮驶出南岸港", ["郑\ufffd宁"]),
        ("作者：郑\ufffd宁", ["郑\ufffd宁"]),
        ("记者 王\ufffd 通讯员 李明远", ["王\ufffd", "李明远"]),
        # The family name itself lost: no one can be told.
        ("（记者 \ufffd宁）", []),
    ],
)
def test_a_name_with_a_character_the_decoder_lost_is_kept_as_shown(line: str, want: list[str]) -> None:
    assert _authors(line) == want


def test_an_editor_whose_family_name_was_lost_is_no_one() -> None:
    assert editor_names("责任编辑：\ufffd\ufffd远_NB1234") == []
    assert editor_names("责任编辑：郑\ufffd宁") == ["郑\ufffd宁"]


def test_a_gbk_page_with_an_unreadable_character_in_the_reporters_name() -> None:
    """The bytes of one character of the name are not GBK: the decoder writes U+FFFD, the
    reporter is still credited (as shown) and the desk is told to look (low confidence)."""
    before = '<html><head><meta charset="gbk"><title>南岸港开通新航线_南岸网</title></head><body>'
    before += '<h1>南岸港开通新航线</h1><div class="t"><p>本报讯（记者 郑'
    after = "宁）昨天上午，一艘满载家电和纺织品的货轮从南岸港驶出，标志着新航线正式开通，单程约十二天。</p>"
    after += "<p>据港口集团介绍，新航线每周一班，途经东南亚三个港口，比原来节省近一周时间。</p></div></body></html>"
    draft = extract(before.encode("gbk") + b"\xff" + after.encode("gbk"))
    assert draft.authors == ("郑\ufffd宁",)
    assert draft.provenance["authors"].confidence < 0.6


def headline_page(heading: str, title: str) -> bytes:
    return (
        f'<html><head><meta charset="utf-8"><title>{title}_样例新闻网</title></head><body>'
        f'<h1 class="title">{heading}</h1><div class="info">2024-03-02 09:15</div>'
        f'<div class="content">{TEXT}</div></body></html>'
    ).encode()


@pytest.mark.parametrize(
    ("heading", "title", "want"),
    [
        # A gallery's counter in an element of its own: not the headline's words.
        ('城南老菜场重新开张 <span class="num">(3/6)</span>', "城南老菜场重新开张", "城南老菜场重新开张"),
        ("城南老菜场重新开张<em>（2/5）</em>", "城南老菜场重新开张（2/5）", "城南老菜场重新开张"),
        # Written in the heading's own text, a counter may name a series' part: kept.
        ("走进城南老菜场(2/3)", "走进城南老菜场(2/3)", "走进城南老菜场(2/3)"),
    ],
)
def test_a_page_counter_in_its_own_element_is_not_part_of_the_headline(heading: str, title: str, want: str) -> None:
    assert extract(headline_page(heading, title)).title == want


def test_a_headline_printed_in_two_elements_is_read_whole() -> None:
    """``<h1>上半<div>下半</div></h1>``: the nested block cuts the heading in two; <title> carries
    the whole, so the headline is the whole, and neither half is the text's first paragraph."""
    raw = (
        '<html><head><meta charset="utf-8"><title>城南老菜场改造完成重新开张摊位租金三年不涨_样例新闻网</title></head>'
        '<body><h1 class="title">城南老菜场改造完成重新开张<div>摊位租金三年不涨</div></h1>'
        f'<div class="info">发布日期：2024-03-02 09:15</div><div class="content">{TEXT}</div></body></html>'
    ).encode()
    draft = extract(raw)
    assert draft.title == "城南老菜场改造完成重新开张摊位租金三年不涨"
    assert draft.paragraphs[0].startswith("城南老菜场改造后重新开张")
    assert not any("租金三年不涨" in p for p in draft.paragraphs)


def test_a_heading_with_a_nested_subtitle_that_title_does_not_carry_keeps_its_first_line() -> None:
    raw = (
        '<html><head><meta charset="utf-8"><title>城南老菜场改造完成重新开张_样例新闻网</title></head>'
        '<body><h1 class="title">城南老菜场改造完成重新开张<div>本报记者走访现场</div></h1>'
        f'<div class="info">2024-03-02 09:15</div><div class="content">{TEXT}</div></body></html>'
    ).encode()
    assert extract(raw).title == "城南老菜场改造完成重新开张"


@pytest.mark.parametrize("label", ['<div class="ad-label">广告</div>', ""])
def test_an_advertisement_inside_the_text_does_not_end_it(label: str) -> None:
    """A feed platform prints advertisements between the paragraphs, each a link the size of a
    headline; under its 广告 label (or with the label glued before it) it is no other story
    starting, so the paragraphs after it stay."""
    ad_text = "南岸驾校暑期班报名立减五百元" if label else "广告南岸驾校暑期班报名立减五百元"
    ad = f'{label}<div class="t"><a href="http://ads.example/1">{ad_text}</a></div>'
    paragraphs = [
        "城南老菜场改造后重新开张，摊位统一换上了电子秤和价格牌，居民买菜更加方便。",
        "菜场负责人介绍，改造期间临时市场照常营业，没有影响周边居民的日常生活。",
        "开张当天，不少老街坊一早就来排队，想看看新菜场的模样。",
        "下一步，菜场还将开设便民服务点，提供修鞋、配钥匙和缝补衣物等服务。",
    ]
    text = "".join(f'<div class="p">{p}</div>' for p in paragraphs[:3]) + ad + f'<div class="p">{paragraphs[3]}</div>'
    raw = (
        '<html><head><meta charset="utf-8"><title>城南老菜场改造完成重新开张_样例新闻网</title></head><body>'
        f'<h1>城南老菜场改造完成重新开张</h1><div class="info">2024-03-02 09:15</div><div class="content">{text}</div>'
        "</body></html>"
    ).encode()
    draft = extract(raw)
    assert draft.paragraphs[-1] == paragraphs[3]
    assert not any("驾校" in p for p in draft.paragraphs)


# --- forms read in the session of 2026-12-06 (late): each a method, shown on authored text ---


@pytest.mark.parametrize(
    ("line", "want"),
    [
        ("本报记者  林海涛  周  岚", ["林海涛", "周 岚"]),  # a two-character name padded to three, not first
        ("（记者 周  岚  林海涛）", ["周 岚", "林海涛"]),
        ("作者︱李青禾", ["李青禾"]),  # the bar as a vertical presentation form
        ("文章全文", []),  # a link to the full text names no writer
        ("阅读原文", []),
    ],
)
def test_padded_names_look_alike_bars_and_full_text_links(line: str, want: list[str]) -> None:
    assert _authors(line) == want


def test_a_reporter_closing_a_long_last_paragraph() -> None:
    long_paragraph = "菜场负责人介绍，改造期间临时市场照常营业，没有影响周边居民的日常生活。" * 6 + "记者郑远航"
    draft = extract(page(end=f"<p>{long_paragraph}</p>"))
    assert draft.authors == ("郑远航",)


def test_the_outlet_of_a_dateline_with_its_place_run_together() -> None:
    draft = extract(page(end="", title="城南老菜场改造完成重新开张").replace(
        "<p>城南老菜场".encode(), "<p>新华社杭州6月3日电 城南老菜场".encode(), 1))
    assert draft.source == "新华社"


def test_an_author_tag_holding_the_headline_or_the_sites_name_is_no_one() -> None:
    headline = page(head='<meta name="author" content="城南老菜场改造完成重新开张">')
    assert extract(headline).authors == ()
    site = page(head='<meta name="author" content="nananews">'
                     '<meta name="copyright" content="www.nananews.com 版权所有">')
    assert extract(site).authors == ()
    person = page(head='<meta name="author" content="林海涛">')
    assert extract(person).authors == ("林海涛",)


def test_cut_teasers_of_a_related_list_are_not_the_text() -> None:
    """Each entry: another article's linked headline, then its opening in a link that reads as
    prose, cut off with an ellipsis; its reporter is not this article's."""
    opening = ("城区道路改造进展顺利，沿街商户陆续恢复营业，市民出行更加便利。相关部门表示，将继续做好后续工作，"
               "确保工程质量和施工安全，并在雨季到来之前完成排水管网的疏通和检修，方便周边居民出行。")
    teasers = "".join(
        f'<dl><dt><a href="/n/{n}.html">南岸新闻第{n}条</a></dt>'
        f'<dd>　　<a href="/n/{n}.html">南岸网5月9日电 （记者贺明远）{opening}…</a></dd><dd></dd></dl>'
        for n in range(2)
    )
    draft = extract(page(meta_line="2024-05-10 08:00 本报记者 林海涛",
                         end=f'<div class="recommend"><h5><span></span>推荐阅读</h5>{teasers}</div>'))
    assert draft.paragraphs[-1].endswith("缝补衣物等服务。")
    assert draft.authors == ("林海涛",)


def test_script_state_values_of_a_recommended_article_are_not_this_ones() -> None:
    """The state lists other articles with their own title and source: not this page's 来源."""
    others = ",".join(
        f'{{"title":"南岸新区第{n}座过江大桥今日合龙通车","source":"南岸晚报","newsTime":"2024-04-0{n} 10:00:00"}}'
        for n in range(1, 3)
    )
    own = '{"title":"城南老菜场改造完成重新开张","source":"南岸日报"}'
    listed_first = f"<script>var allData = {{recommend:[{others}], docData:{own}}};</script>"
    assert extract(page("", listed_first)).source == "南岸日报"
    only_others = f"<script>var allData = {{recommend:[{others}]}};</script>"
    assert extract(page("", only_others)).source is None


@pytest.mark.parametrize(
    ("end", "want"),
    [
        ("<p>（作者：张晓明中国人民大学教授）</p>", ("张晓明",)),
        ("<p>(作者：方远北京师范大学副教授)</p>", ("方远",)),
        ("<p>（本文来源：南岸日报 作者：南岸发展研究中心宏观部部长、研究员林海涛）<a href='/'>返回首页</a></p>", ("林海涛",)),
        ("<p>（作者：南岸发展研究中心）</p>", ()),  # an institution, no person
    ],
)
def test_a_writer_run_together_with_a_place_of_work_and_title(end: str, want: tuple[str, ...]) -> None:
    assert extract(page(end=end)).authors == want


def test_a_bracketed_name_in_a_dated_meta_line_and_a_link_glued_to_the_source() -> None:
    draft = extract(page('2004年7月16日08:19 [ 林海涛 ]  来源：[ <a href="/">南岸日报</a> ]'))
    assert draft.authors == ("林海涛",) and draft.source == "南岸日报"
    glued = extract(page('2020年07月04日 12:10　来源：南岸网<a href="#talk"><img alt="">参与互动</a>'))
    assert glued.source == "南岸网"


def test_a_pictures_legend_above_the_text_is_no_outlet() -> None:
    """A legend in a class named like a media slot, inside the picture's caption."""
    figure = ('<figure><img src="/p.jpg" alt=""><figcaption><span class="a-media-legend">Podcast</span>'
              '<span class="a-media-legend">© 南岸图片社</span></figcaption></figure>')
    draft = extract(page("2024-04-01 08:00", end="").replace(b'<div class="content">',
                                                               f'{figure}<div class="content">'.encode()))
    assert draft.source != "Podcast"


def test_the_data_source_of_a_box_of_tips_names_no_outlet_when_it_names_people() -> None:
    tips = "<p>★水温不宜超过40°C<br>★每泡10分钟须起身休息<br>資料來源：林海涛醫師、周岚醫師</p>"
    assert extract(page("2024-04-01 08:00", end=tips)).source is None
    outlet = "<p>★水温不宜超过40°C<br>資料來源：南岸日报</p>"
    assert extract(page("2024-04-01 08:00", end=outlet)).source == "南岸日报"
