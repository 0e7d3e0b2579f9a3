"""The per-source escape hatch: CSS selectors that replace a field.

Only used when ``ExtractOptions.selectors`` names a field; the generic method
stays the default path for every source.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, tzinfo
from html import escape
from zoneinfo import ZoneInfo

from cssselect import SelectorError
from lxml.cssselect import CSSSelector

from . import dates, sanitize
from .dom import Page, select_elements, text_of
from .draft import ArticleDraft
from .metadata import split_names
from .options import ExtractionError, ExtractOptions
from .text import collapse

_TEXT_FIELDS = ("title", "source", "editor", "lede", "column")


def apply_overrides(draft: ArticleDraft, page: Page, options: ExtractOptions) -> ArticleDraft:
    """Replace each field named in ``options.selectors`` by the selected text."""
    changes: dict[str, object] = {}
    for name, selector in options.selectors.items():
        texts = _select(page, selector)
        if texts:
            changes.update(_change(draft, name, texts))
    return dataclasses.replace(draft, **changes) if changes else draft  # type: ignore[arg-type]


def _change(draft: ArticleDraft, name: str, texts: list[str]) -> dict[str, object]:
    if name in _TEXT_FIELDS:
        return {name: texts[0]}
    if name == "authors":
        return {name: tuple(n for t in texts for n in split_names(t))}
    if name == "body":
        html = "\n".join(f"<p>{escape(t, quote=False)}</p>" for t in texts)
        return {"paragraphs": tuple(texts), "body_html": sanitize.clean(html), "images": ()}
    if name == "published_at":
        parsed = dates.parse(texts[0], _zone(draft))
        return {name: parsed} if parsed else {}
    raise ExtractionError(f"no such field for a selector: {name!r}")


def _select(page: Page, selector: str) -> list[str]:
    try:
        matcher = CSSSelector(selector)
    except SelectorError as exc:
        raise ExtractionError(f"bad CSS selector {selector!r}: {exc}") from exc
    return [t for t in (collapse(text_of(el)) for el in select_elements(matcher, page.root)) if t]


def _zone(draft: ArticleDraft) -> tzinfo:
    if draft.published_at is not None and draft.published_at.tzinfo is not None:
        return draft.published_at.tzinfo
    return ZoneInfo("Asia/Shanghai") if draft.lang == "zh" else UTC
