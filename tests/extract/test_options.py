"""The options object and the per-source selector escape hatch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from huiwen.extract import ExtractionError, ExtractOptions, extract

SITES = Path(__file__).resolve().parents[1] / "sites" / "extract"


def test_selector_overrides_a_field() -> None:
    raw = (SITES / "xinhua_like.html").read_bytes()
    options = ExtractOptions(selectors={"title": ".logo", "source": ".source"})
    draft = extract(raw, options=options)
    assert draft.title == "新华网"
    assert draft.source == "来源：新华网"


def test_selector_overrides_the_body() -> None:
    raw = (SITES / "split_body.html").read_bytes()
    draft = extract(raw, options=ExtractOptions(selectors={"body": ".part2 p"}))
    assert draft.body.startswith("入驻企业")
    assert "位于城东" not in draft.body
    assert draft.body_html.startswith("<p>入驻企业")


def test_bad_selector_is_an_extraction_error() -> None:
    with pytest.raises(ExtractionError):
        extract(b"<p>x</p>", options=ExtractOptions(selectors={"title": "p[["}))


def test_default_timezone_option() -> None:
    raw = "<html><body><h1>标题</h1><p>2023-11-01 10:00</p><div><p>正文，很长的一段文字。</p></div></body></html>"
    draft = extract(raw.encode(), options=ExtractOptions(default_timezone="UTC"))
    assert draft.published_at == datetime(2023, 11, 1, 10, 0, tzinfo=UTC)
    draft = extract(raw.encode())
    assert draft.published_at is not None
    assert draft.published_at.utcoffset() == timedelta(hours=8)


def test_images_can_be_left_out() -> None:
    raw = (SITES / "lede_box.html").read_bytes()
    draft = extract(raw, url="https://news.example.org/a.html", options=ExtractOptions(include_images=False))
    assert draft.images == ()
    assert "<img" not in draft.body_html


def test_unknown_time_zone_is_an_extraction_error() -> None:
    with pytest.raises(ExtractionError) as caught:
        extract(b"<p>x</p>", options=ExtractOptions(default_timezone="Mars/Olympus"))
    assert not caught.value.internal
