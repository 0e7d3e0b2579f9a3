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
