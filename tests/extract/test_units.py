"""Small stage-level behaviours: dates, titles, columns, citations, sanitising."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from huiwen.extract import dates, extract
from huiwen.extract.byline import _print_citation, editor_names
from huiwen.extract.metadata import column_of, strip_site_suffix
from huiwen.extract.sanitize import clean

CST = timezone(timedelta(hours=8))


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("2023年11月10日08:15", datetime(2023, 11, 10, 8, 15, tzinfo=CST)),
        ("发布时间：2023-11-10 09:30:12", datetime(2023, 11, 10, 9, 30, 12, tzinfo=CST)),
        ("2023/1/5", datetime(2023, 1, 5, tzinfo=CST)),
        ("Posted November 3, 2023", datetime(2023, 11, 3, tzinfo=CST)),
        ("3 Nov 2023", datetime(2023, 11, 3, tzinfo=CST)),
        ("2023-02-30", None),
    ],
)
def test_dates(text: str, want: datetime | None) -> None:
    assert dates.parse(text, CST) == want


def test_meta_dates_keep_their_offset() -> None:
    parsed = dates.parse_meta("2023-11-03T14:20:00Z", CST)
    assert parsed == datetime(2023, 11, 3, 14, 20, tzinfo=UTC)
    assert dates.parse_meta("Fri, 10 Nov 2023 08:30:00 GMT", CST) == datetime(2023, 11, 10, 8, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("title", "want"),
    [
        ("四年前的老街换新颜_地方_新浪网", "四年前的老街换新颜"),
        ("城市书房开到家门口--国内频道--人民网", "城市书房开到家门口"),
        ("港口岸电改造完成-人民网", "港口岸电改造完成"),
        ("夜读区开放 | 湖城日报", "夜读区开放"),
        ("澎湃新闻 - 一座桥的六十年变迁", "一座桥的六十年变迁"),
    ],
)
def test_site_suffixes(title: str, want: str) -> None:
    assert strip_site_suffix(title) == want


@pytest.mark.parametrize(
    ("title", "want"),
    [
        ("让更多国家共享成果(和音)", "和音"),
        ("让更多国家共享成果（钟声）", "钟声"),
        ("湿地迎来候鸟(组图)", None),
        ("没有栏目的标题", None),
    ],
)
def test_columns(title: str, want: str | None) -> None:
    assert column_of(title) == want


@pytest.mark.parametrize(
    "text",
    [
        "《 人民日报 》( 2023年11月10日 03 版)",
        "《人民日报》（2023年11月10日 第03版）",
    ],
)
def test_print_citation(text: str) -> None:
    citation = _print_citation(text)
    assert citation is not None
    assert (citation.newspaper, citation.date, citation.page) == ("人民日报", date(2023, 11, 10), 3)


def test_editor_names() -> None:
    assert editor_names("(责编：张三、李四)") == ["张三", "李四"]
    assert editor_names("责任编辑：王五 来源：某报") == ["王五"]


def test_sanitiser_removes_scripts_handlers_and_javascript_urls() -> None:
    html = clean(
        '<p onclick="x()">a<script>bad()</script></p><a href="javascript:alert(1)">b</a>'
        '<img src="http://e.com/i.jpg" onerror="x()"><style>p{}</style>'
    )
    assert "script" not in html and "onclick" not in html and "onerror" not in html
    assert "javascript:" not in html and "style" not in html
    assert 'src="http://e.com/i.jpg"' in html


def test_body_html_escapes_page_text() -> None:
    text = "文中写着 &lt;script&gt;alert(1)&lt;/script&gt; 这样的字样，需要原样显示。"
    raw = f"<html><body><div><p>{text}</p></div></body></html>"
    draft = extract(raw.encode())
    assert "<script>" not in draft.body_html
    assert "&lt;script&gt;" in draft.body_html


def test_no_django_import() -> None:
    # A fresh interpreter: this test process may have imported Django already.
    import os
    import subprocess
    import sys
    from pathlib import Path

    src = str(Path(__file__).resolve().parents[2] / "src")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")]))}
    code = "import sys, huiwen.extract.cli; print(any(m.split('.')[0] == 'django' for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("text", ["2023-11-10T08:30:00+98:00", "2023-11-10 08:30 -2599", "2023-11-10T08:30:00+05:75"])
def test_impossible_offsets_fall_back_to_the_default_zone(text: str) -> None:
    # Found by fuzzing: datetime.timezone refuses offsets of a day or more.
    parsed = dates.parse(text, CST)
    assert parsed is not None
    assert parsed.tzinfo is CST


def test_printed_time_refines_a_bare_metadata_day() -> None:
    page = """<html><head><meta name="publishdate" content="2023-11-10"><title>桥面翻新完工_城市网</title></head>
    <body><h1>桥面翻新完工</h1><p>2023-11-10 08:15 来源：城市网</p>
    <div><p>老桥的桥面翻新工程昨天完工，桥上的人行道加宽了一米，两侧新装了护栏和路灯。</p></div></body></html>"""
    draft = extract(page.encode())
    assert draft.published_at == datetime(2023, 11, 10, 8, 15, tzinfo=CST)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("发布日期：7/5/2005 9:23:57 PM", datetime(2005, 7, 5, 21, 23, 57, tzinfo=CST)),
        ("发布时间： 7/5/2005 12:05:00 AM", datetime(2005, 7, 5, 0, 5, tzinfo=CST)),
        ("更新时间:11/28/2006 12:40 PM", datetime(2006, 11, 28, 12, 40, tzinfo=CST)),
        ("[时间：3/9/2008 8:02 am]", datetime(2008, 3, 9, 8, 2, tzinfo=CST)),
        ("发表于 11/28/2006 16:40:09", datetime(2006, 11, 28, 16, 40, 9, tzinfo=CST)),
        ("日期：12/1/2010", datetime(2010, 12, 1, tzinfo=CST)),
    ],
)
def test_month_first_dates_after_a_label(text: str, want: datetime) -> None:
    assert dates.parse(text, CST) == want
    assert dates.has_time(text) == (want.time() != datetime.min.time())


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("2005/7/5", datetime(2005, 7, 5, tzinfo=CST)),
        ("发布日期：2005/7/5 9:23", datetime(2005, 7, 5, 9, 23, tzinfo=CST)),
        ("发布时间：2005/12/1 21:23:57", datetime(2005, 12, 1, 21, 23, 57, tzinfo=CST)),
    ],
)
def test_year_first_slashes_unchanged(text: str, want: datetime) -> None:
    assert dates.parse(text, CST) == want


@pytest.mark.parametrize(
    "text",
    [
        "发布日期：13/5/2005",  # no 13th month, and never read day first
        "发布日期：13/5/2005 9:23:57 PM",
        "发布日期：2/30/2005",
        "发布日期：7/5/2005 13:10 PM",  # a 13 o'clock PM is a broken stamp
        "发布日期：7/5/2005 0:10 AM",
        "发布时间：1/2/2005.3",
        "全年完成计划的1/2/2005年的两倍",  # a fraction in a sentence
        "客服专线 8/12/2005 转人工",
        "v1/2/2005 版本说明",
        "Posted: 7/5/2005 9:23 PM",  # English pages may put the day first
        "Δημοσίευση: 06/02/2022 13:48",
    ],
)
def test_month_first_numbers_without_a_label_or_impossible_are_not_dates(text: str) -> None:
    assert dates.parse(text, CST) is None
    assert not dates.has_time(text)


_ASPX_PAGE = """<html><head><title>{title}_城南信息网</title></head><body>
<div class="nav"><a href="/">首页</a> &gt; <a href="/news/">本地新闻</a></div>
<h1>{title}</h1>
<div class="info">作者：本站 来源：城南信息网 发布日期： {stamp}</div>
<div class="content">
<p>{lead}</p>
<p>施工方介绍，新管道比旧管道粗一倍，雨季到来之前，沿线的三个低洼路口不会再出现积水，附近商户也不用再连夜搬货。</p>
<p>街道办表示，管道铺设期间夜里不施工，周边居民如有噪声问题可以拨打街道的值班电话反映。</p>
</div></body></html>"""


def test_labelled_month_first_stamp_dates_the_page() -> None:
    page = _ASPX_PAGE.format(
        title="老街排水管道改造完工",
        stamp="7/5/2005 9:23:57 PM",
        lead="据本报2005年7月3日报道，老街排水管道改造工程进入收尾阶段，昨天全线完工并恢复通车。",
    )
    draft = extract(page.encode(), url="http://www.example.cn/news/show.aspx?id=1027")
    assert draft.published_at == datetime(2005, 7, 5, 21, 23, 57, tzinfo=CST)
    assert draft.published_at.utcoffset() == timedelta(hours=8)
    assert "发布日期" not in draft.body


def test_midnight_stamp_and_impossible_stamp_on_a_page() -> None:
    lead = "据本报2005年7月3日报道，老街排水管道改造工程进入收尾阶段，昨天全线完工并恢复通车。"
    midnight = extract(
        _ASPX_PAGE.format(title="老街排水管道改造完工", stamp="7/5/2005 12:05:00 AM", lead=lead).encode()
    )
    assert midnight.published_at == datetime(2005, 7, 5, 0, 5, tzinfo=CST)
    # 13/5/2005 is no US date and is not read day first: the page falls back to the body's date.
    broken = extract(_ASPX_PAGE.format(title="老街排水管道改造完工", stamp="13/5/2005 9:23:57 PM", lead=lead).encode())
    assert broken.published_at == datetime(2005, 7, 3, tzinfo=CST)


def test_fraction_in_body_text_is_not_a_date() -> None:
    page = _ASPX_PAGE.format(
        title="社区图书室扩建",
        stamp="",
        lead="社区图书室扩建后，藏书量达到原来的3/2/2005年统计时的一倍半，借阅人数也明显增加。",
    )
    draft = extract(page.encode())
    assert draft.published_at is None
