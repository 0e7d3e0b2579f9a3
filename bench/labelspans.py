"""Labels stored as places in a page, not as its text.

The project copies no text from ../shared/corpus, so hand labels of real pages are kept as
character spans ``[start, end)`` into the page's decoded HTML source (``decoded()``); the
benchmark reads the page from ../shared at run time and recovers each label with
``recover()``: the text inside the span with tags, comments, scripts and styles left out and
character references resolved, in the comparison form of bench/metadata.py (NFKC, no
whitespace).  A span may cross tags (``中国<b>新闻</b>`` gives 中国新闻).  A digest of every
recovered value per page is stored beside the spans, so a changed page or decoder is an error,
never a silently different label.
"""

from __future__ import annotations

import hashlib
import html
import re
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from extraction import plain_decode

# One token of HTML source: markup that shows no text, a character reference, or one character.
_TOKEN = re.compile(
    r"<!--.*?-->|<script\b.*?</script\s*>|<style\b.*?</style\s*>|<[!/?a-zA-Z][^>]*>|&#?\w+;|.",
    re.DOTALL | re.IGNORECASE,
)


def decoded(raw: bytes) -> str:
    """The page's source as text: UTF-8 when the bytes are UTF-8 (browser-saved pages declare
    GB2312 over UTF-8 bytes), else the declared charset as bench/extraction.py reads it."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return plain_decode(raw)


def key(text: str) -> str:
    """The comparison form (bench/metadata.py's): NFKC, whitespace removed."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _shown(source: str, start: int = 0, end: int | None = None) -> list[tuple[str, int, int]]:
    """Every shown character of source[start:end] in comparison form, with its place."""
    out: list[tuple[str, int, int]] = []
    for token in _TOKEN.finditer(source, start, len(source) if end is None else end):
        piece = token.group()
        if piece.startswith("<") and len(piece) > 1:
            continue
        if piece.startswith("&") and len(piece) > 1:
            piece = html.unescape(piece)
        for char in key(piece):
            out.append((char, token.start(), token.end()))
    return out


def recover(source: str, span: list[int]) -> str:
    """The label a span holds, in comparison form."""
    return "".join(char for char, _, _ in _shown(source, span[0], span[1]))


def find(source: str, wanted: str) -> list[int] | None:
    """The first span (in the body if there is one) whose shown text is ``wanted``; for the
    labeller's tool, which turns the labels written down by hand into spans."""
    target = key(wanted)
    if not target:
        return None
    body = source.lower().find("<body")
    for begin in ([body] if body > 0 else []) + [0]:
        shown = _shown(source, begin)
        text = "".join(char for char, _, _ in shown)
        at = text.find(target)
        if at >= 0:
            return [shown[at][1], shown[at + len(target) - 1][2]]
    return None


def digest(values: list[str]) -> str:
    """A short check of a page's recovered labels (in the order they are stored)."""
    return hashlib.sha256("\x1f".join(values).encode("utf-8")).hexdigest()[:16]
