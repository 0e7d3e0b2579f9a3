"""Authored pages in the shapes of real Chinese news templates: every field
expected, plus strings that must and must not reach the body."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from huiwen.extract import extract

SITES = Path(__file__).resolve().parents[1] / "sites" / "extract"
EXPECTED: dict[str, dict[str, Any]] = json.loads((SITES / "expected.json").read_text("utf-8"))


def _draft(name: str) -> dict[str, Any]:
    case = EXPECTED[name]
    return extract((SITES / name).read_bytes(), url=case.get("url")).to_json_dict()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fields(name: str) -> None:
    got = _draft(name)
    for field, want in EXPECTED[name]["fields"].items():
        assert got[field] == want, f"{name}: {field}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_body_keeps_article_and_drops_boilerplate(name: str) -> None:
    got = _draft(name)
    for text in EXPECTED[name].get("must_contain", []):
        assert text in got["body"], f"{name}: body lacks {text!r}"
    for text in EXPECTED[name].get("must_not_contain", []):
        assert text not in got["body"], f"{name}: body has {text!r}"
        assert text not in got["body_html"], f"{name}: body_html has {text!r}"
    for text in EXPECTED[name].get("body_html_contains", []):
        assert text in got["body_html"], f"{name}: body_html lacks {text!r}"


def test_every_fixture_page_has_expectations() -> None:
    pages = {p.name for p in SITES.glob("*.html")}
    assert pages == set(EXPECTED)


def test_encoded_fixtures_really_are_legacy_encodings() -> None:
    # Guards the fixtures themselves: an editor re-saving them as UTF-8 would
    # make the decoding tests pass for the wrong reason.
    for name in ("gbk_page.html", "big5_page.html", "lie_gbk_declared_utf8.html"):
        raw = (SITES / name).read_bytes()
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")


@pytest.mark.parametrize("name", sorted(n for n, case in EXPECTED.items() if "provenance" in case))
def test_provenance_names_the_method(name: str) -> None:
    """Each attribution field says where it was read (issue 16): the desk trusts a label over a guess."""
    case = EXPECTED[name]
    draft = extract((SITES / name).read_bytes(), url=case.get("url"))
    for field, method in case["provenance"].items():
        found = draft.provenance.get(field)
        assert found is not None and found.method == method, f"{name}: {field} read by {found}"
        assert 0.0 < found.confidence <= 1.0
    # Fields the page did not give carry no provenance.
    for field in ("source", "editor", "authors", "published_at"):
        if field in draft.provenance:
            assert getattr(draft, field), f"{name}: provenance for an empty {field}"
