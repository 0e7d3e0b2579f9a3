"""Hand labels kept as spans into a page (bench/labelspans.py) read back what was labelled, and
the fresh label set still matches the real pages in ../shared (skipped when absent)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
import labelspans  # noqa: E402
import metadata  # noqa: E402

PAGE = """<html><head><title>河畔小城的新图书馆_本地新闻</title>
<script>var headline = "河畔小城的新图书馆";</script><style>.a{}</style></head>
<body><h1>河畔<b>小城</b>的新图书馆</h1>
<!-- 编辑：不是这里 -->
<p class="meta">来源：<a href="/">清溪&nbsp;日报</a> 记者　林 小 禾</p>
<p>全新的图书馆&#x4ECA;天开门，ＡＢＣ三层楼里摆满了书。</p>
</body></html>"""


@pytest.mark.parametrize(
    ("wanted", "read"),
    [
        ("河畔小城的新图书馆", "河畔小城的新图书馆"),  # across <b>, found in the body, not <title>
        ("清溪 日报", "清溪日报"),  # &nbsp; and spaces fall away
        ("林 小 禾", "林小禾"),
        ("今天开门，ABC三层楼", "今天开门,ABC三层楼"),  # a character reference; NFKC
    ],
)
def test_a_span_reads_back_what_was_labelled(wanted: str, read: str) -> None:
    span = labelspans.find(PAGE, wanted)
    assert span is not None
    assert labelspans.recover(PAGE, span) == read
    assert PAGE.find("<body") < span[0] < span[1]


def test_comments_scripts_and_absent_text_give_no_span() -> None:
    assert labelspans.find(PAGE, "不是这里") is None
    assert labelspans.find(PAGE, "var headline") is None
    assert labelspans.find(PAGE, "   ") is None


def test_the_digest_changes_with_any_label() -> None:
    assert labelspans.digest(["甲", "乙"]) == labelspans.digest(["甲", "乙"])
    assert labelspans.digest(["甲", "乙"]) != labelspans.digest(["甲乙"])
    assert labelspans.digest(["甲", "乙"]) != labelspans.digest(["甲", "丙"])


def test_pages_are_decoded_as_utf8_when_they_are_despite_their_declaration() -> None:
    declared_gb = '<meta charset="gb2312"><p>图书馆</p>'
    assert labelspans.decoded(declared_gb.encode("utf-8")).endswith("<p>图书馆</p>")
    assert labelspans.decoded(declared_gb.encode("gb18030")).endswith("<p>图书馆</p>")


@pytest.mark.skipif(
    not (metadata.EXTRACTION_CORPUS.is_dir() and metadata.DEFAULT_CORPUS.is_dir()), reason="no ../shared/corpus"
)
def test_the_fresh_set_still_reads_from_the_real_pages() -> None:
    labels = json.loads((metadata.DEFAULT_CORPUS / "labels.json").read_text("utf-8"))
    fresh = metadata.fresh_labels(
        metadata.FRESH_LABELS, metadata.EXTRACTION_CORPUS, sorted({label["domain"] for label in labels})
    )
    assert len(fresh) == 57
    assert not {label["file"] for label in fresh} & {label["file"] for label in labels}
    assert all(label["title"] and label["body_first"] and label["body_last"] for label in fresh)
