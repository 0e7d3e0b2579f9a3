"""Highlighted titles and snippets, marked in the article's own script.

Terms are folded (Simplified, half-width, lower case); the text shown is the original, perhaps
Traditional. So each term is looked for in its Simplified form and in OpenCC's Traditional
forms (s2t, s2tw, s2twp, s2hk: 互联网 → 互聯網, 網際網路), and each ASCII character of a term
in either case and either width, directly in the original text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from functools import cache, lru_cache

import opencc
from django.utils.safestring import SafeString, mark_safe

SNIPPET_LENGTH = 120
LEAD_IN = 24  # characters of context before the first match
_SENTENCE_END = "。!?！？;；\n"
def _char_pattern(char: str) -> str:
    """A regex for one character of a folded term: ASCII in either case and either width."""
    if char == " ":
        return "[ \u3000]"
    if char.isascii() and char.isalnum():
        forms = {char.lower(), char.upper()}
        forms |= {chr(ord(form) + 0xFEE0) for form in forms}
        return "[" + "".join(sorted(forms)) + "]"
    if char.isascii():
        return "[" + re.escape(char) + chr(ord(char) + 0xFEE0) + "]" if "!" <= char <= "~" else re.escape(char)
    return re.escape(char)


_TAG = re.compile(r"<[^>]*>")


def plain_text(body_html: str) -> str:
    """Text of stored body HTML for snippets. Bodies are sanitised on save (nh3), so dropping
    tags and unescaping entities is enough, and 20 times faster than parsing."""
    return html.unescape(_TAG.sub(" ", body_html))


@cache
def _to_traditional() -> tuple[opencc.OpenCC, ...]:
    return tuple(opencc.OpenCC(config) for config in ("s2t", "s2tw", "s2twp", "s2hk"))


@lru_cache(maxsize=1024)
def _variants(term: str) -> frozenset[str]:
    found = {term}
    for converter in _to_traditional():
        found.add(converter.convert(term))
    return frozenset(variant for variant in found if variant.strip())


@lru_cache(maxsize=256)
def _pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    variants = {variant for term in terms for variant in _variants(term)}
    if not variants:
        return None
    ordered = sorted(variants, key=lambda variant: (-len(variant), variant))
    return re.compile("|".join("".join(_char_pattern(char) for char in variant) for variant in ordered))


def _spans(text: str, terms: Sequence[str], start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The matches of the terms in `text` that start from `start` and before `end`."""
    pattern = _pattern(tuple(terms))
    if pattern is None or not text:
        return []
    stop = len(text) if end is None else end
    spans = []
    for match in pattern.finditer(text, start):
        if match.start() >= stop:
            break
        spans.append(match.span())
    return spans


def _marked(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    # html.escape is what django.utils.html.escape calls, without its lazy-string wrapper (the
    # wrapper cost more than the escaping on a page of 20 results).
    out: list[str] = []
    position = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        out.append(html.escape(text[position:span_start]))
        out.append(f"<mark>{html.escape(text[span_start:span_end])}</mark>")
        position = span_end
    out.append(html.escape(text[position:end]))
    return "".join(out)


def highlight(text: str, terms: Sequence[str]) -> SafeString:
    """The whole text, escaped, with every term marked."""
    if not text:
        return SafeString("")
    return mark_safe(_marked(text, _spans(text, terms), 0, len(text)))


def snippet(text: str, terms: Sequence[str], length: int = SNIPPET_LENGTH) -> SafeString:
    """About `length` characters around the first match (the start when none), terms marked."""
    text = " ".join(text.split())
    pattern = _pattern(tuple(terms))
    first = pattern.search(text) if pattern is not None else None
    start = 0
    if first is not None and first.start() > LEAD_IN:
        start = first.start() - LEAD_IN
        boundary = max(text.rfind(mark, start, first.start()) for mark in _SENTENCE_END)
        if boundary >= 0:
            start = boundary + 1
    end = min(len(text), start + length)
    while start < len(text) and text[start].isspace():
        start += 1
    # Only the matches inside the snippet are needed: none starts before the first match.
    spans = _spans(text, terms, first.start(), end) if first is not None else []
    body = _marked(text, spans, start, end)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(f"{prefix}{body}{suffix}")
