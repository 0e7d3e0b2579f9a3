"""Decoding: declarations in order of authority, and declarations that lie."""

from __future__ import annotations

import codecs

import pytest

from huiwen.extract import ExtractionError
from huiwen.extract.decode import decode, normalise_label

TEXT = "<html><body><p>秋雨过后，河堤上的银杏叶一夜之间全黄了，散步的居民纷纷停下脚步拍照。</p></body></html>"


def _page(charset: str, body: str = TEXT) -> str:
    return f'<html><head><meta charset="{charset}"></head>{body}</html>'


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("gb2312", "gb18030"),
        ("GBK", "gb18030"),
        ("x-gbk", "gb18030"),
        ("big5", "big5hkscs"),
        ("utf8", "utf-8"),
        ("iso-8859-1", "cp1252"),
        ("no-such-charset", None),
    ],
)
def test_labels_map_to_web_supersets(label: str, codec: str | None) -> None:
    assert normalise_label(label) == codec


def test_gbk_characters_in_a_gb2312_page() -> None:
    # 喆 and 堃 are GBK, not GB2312: strict GB2312 would fail on them.
    text = _page("gb2312", "<p>记者陈喆、王堃报道，新修的步行桥今天通行。</p>")
    result = decode(text.encode("gbk"))
    assert "陈喆、王堃" in result.text
    assert result.encoding == "gb18030"


def test_big5_hkscs_characters() -> None:
    text = _page("big5", "<p>呢度嘅夜景真係好靚㗎，記者實地睇過。</p>")
    assert "好靚㗎" in decode(text.encode("big5hkscs")).text


def test_utf8_bytes_declared_gb2312() -> None:
    result = decode(_page("gb2312").encode("utf-8"))
    assert "银杏叶一夜之间全黄了" in result.text
    assert result.encoding == "utf-8"


def test_gbk_bytes_declared_utf8() -> None:
    result = decode(_page("utf-8").encode("gbk"))
    assert "银杏叶一夜之间全黄了" in result.text


def test_big5_bytes_declared_gb2312() -> None:
    text = _page("gb2312", "<p>颱風過後，港口的貨櫃碼頭恢復作業，工人們忙著清理被吹倒的圍欄與招牌。</p>" * 3)
    assert "貨櫃碼頭恢復作業" in decode(text.encode("big5")).text


def test_undeclared_gbk_is_detected() -> None:
    raw = f"<html><body>{TEXT * 3}</body></html>".encode("gbk")
    assert "银杏叶一夜之间全黄了" in decode(raw).text


def test_http_header_beats_meta() -> None:
    raw = _page("big5").encode("gbk")
    result = decode(raw, {"Content-Type": "text/html; charset=GBK"})
    assert "银杏叶" in result.text


def test_bom_wins() -> None:
    raw = codecs.BOM_UTF16_LE + _page("gb2312").encode("utf-16-le")
    assert "银杏叶" in decode(raw).text


def test_xml_declaration() -> None:
    raw = ('<?xml version="1.0" encoding="gbk"?>' + TEXT).encode("gbk")
    assert "银杏叶" in decode(raw).text


def test_double_encoded_gbk_is_repaired() -> None:
    # GBK bytes once read as windows-1252 and saved again as UTF-8.
    mangled = (TEXT * 4).encode("gbk").decode("cp1252", errors="ignore").encode("utf-8")
    assert "银杏叶一夜之间全黄了" in decode(mangled).text


def test_control_characters_are_removed() -> None:
    assert decode(b"<p>a\x00b\x07c\x1f</p>").text == "<p>abc</p>"


def test_empty_input_is_an_extraction_error() -> None:
    with pytest.raises(ExtractionError):
        decode(b"")
