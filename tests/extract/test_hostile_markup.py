"""Sanitise, don't drop: hostile markup between a page's paragraphs goes, the paragraphs stay.

Each family of stored-XSS snippets (tests/sites/hostile.py) is dealt between the ordinary
paragraphs of an authored article; the draft must hold every paragraph, in order, the inline
strong/em/link of one of them, and nothing of the snippets that could run.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import lxml.html
import pytest
from tests.sites import hostile

from huiwen.extract import extract

URL = "https://www.tongwan-daily.example/city/2026/1118/ferry.html"
ALLOWED = {"p", "h2", "h3", "h4", "blockquote", "pre", "ul", "li", "figure", "img", "figcaption", "a", "em", "strong",
           "br", "div"}


def _draft(snippets: list[str]):
    return extract(hostile.page(snippets).encode("utf-8"), URL, {"Content-Type": "text/html; charset=utf-8"})


def assert_harmless(body_html: str, *, absolute: bool = True) -> lxml.html.HtmlElement:
    """Only allowlisted elements; no event handler, style or srcdoc; http(s) addresses only
    (or, with absolute=False, addresses on our own site)."""
    tree = lxml.html.fragment_fromstring(body_html, create_parent="div")
    for element in tree.iter():
        assert element.tag in ALLOWED, f"<{element.tag}> left in the body"
        for name, value in element.attrib.items():
            assert not name.startswith("on") and name not in ("style", "srcdoc", "formaction"), name
            if name in ("href", "src"):
                scheme = urlsplit(value.strip()).scheme
                assert scheme in ("http", "https") or (not absolute and scheme == ""), f"{name}={value!r}"
    return tree


def assert_paragraphs_in_order(text: str) -> None:
    position = 0
    for paragraph in hostile.expected_paragraphs():
        found = text.find(paragraph, position)
        assert found >= 0, f"paragraph lost or out of order: {paragraph[:20]}…"
        position = found + len(paragraph)


@pytest.mark.parametrize("family", sorted(hostile.PAYLOADS))
def test_each_family_is_removed_and_the_text_around_it_kept(family):
    draft = _draft(list(hostile.PAYLOADS[family]))
    assert list(draft.paragraphs) == hostile.expected_paragraphs()
    tree = assert_harmless(draft.body_html)
    assert_paragraphs_in_order(" ".join(tree.text_content().split()))


def test_every_family_at_once_in_one_body():
    draft = _draft(hostile.all_payloads())
    assert list(draft.paragraphs) == hostile.expected_paragraphs()
    tree = assert_harmless(draft.body_html)
    assert_paragraphs_in_order(" ".join(tree.text_content().split()))
    assert "alert" not in draft.body_html
    assert draft.source == "桐湾日报" and draft.editor == "韦小满"


def test_strong_em_and_an_ordinary_link_are_kept():
    draft = _draft(hostile.all_payloads())
    tree = lxml.html.fragment_fromstring(draft.body_html, create_parent="div")
    inline = next(p for p in tree.iter("p") if "单日运力" in p.text_content())
    assert [e.tag for e in inline.iter() if e is not inline] == ["strong", "em", "a"]
    assert inline.find("strong").text == "单日运力提高到一万两千人次"
    assert inline.find("em").text == "平均候船时间"
    link = inline.find("a")
    assert link.text == "渡运公司公告"
    assert link.get("href") == "https://www.tongwan-daily.example/notice/2026/ferry.html"  # made absolute
    assert set(link.get("rel").split()) == {"nofollow", "noopener"}


def test_a_paragraph_cut_by_a_line_break_stays_plain_text():
    page = hostile.page([]).replace(hostile.INLINE, "第一行<strong>加粗</strong><br>第二行的文字也在这里。")
    draft = extract(page.encode("utf-8"), URL)
    assert "第一行加粗" in draft.paragraphs and "第二行的文字也在这里。" in draft.paragraphs
    assert_harmless(draft.body_html)


def test_an_unclosed_svg_does_not_swallow_the_paragraphs_after_it():
    # libxml2 nests everything after <svg onload=...> inside the svg; a browser does not.
    draft = _draft(["<svg onload=\"alert(1)\">"])
    assert list(draft.paragraphs) == hostile.expected_paragraphs()
