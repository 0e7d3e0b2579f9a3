"""Small text helpers shared by the stages: whitespace, CJK and punctuation tests."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urljoin

# str.split() knows every Unicode space (ideographic, no-break) but not the
# zero-width ones, which are mapped to spaces first.
_ZERO_WIDTH = {0x200B: " ", 0xFEFF: " ", 0x200C: " ", 0x200D: " "}
_NON_CJK_RE = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Sentence punctuation: its density tells running prose from menus and lists.
SENTENCE_PUNCT = frozenset("，。！？；：、,.!?;:“”」「『』（）")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def _spaced(text: str) -> str:
    if "\u200b" in text or "\ufeff" in text or "\u200c" in text or "\u200d" in text:
        return text.translate(_ZERO_WIDTH)
    return text


def collapse(text: str) -> str:
    """Collapse runs of whitespace (including the ideographic space) to one space."""
    # split/join runs in C, several times faster than a regex substitution.
    return " ".join(_spaced(text).split())


def strip_controls(text: str) -> str:
    """Remove control characters that XML (and so lxml) refuses, keeping \\t \\n \\r."""
    return _CONTROL_RE.sub("", text) if _CONTROL_RE.search(text) else text


def cjk_count(text: str) -> int:
    # Deleting the runs of other characters beats findall's list of matches.
    return len(_NON_CJK_RE.sub("", text))


_DROP_PUNCT = {ord(ch): None for ch in SENTENCE_PUNCT}


def punct_count(text: str) -> int:
    # str.translate runs in C: much faster than a Python loop over characters.
    return len(text) - len(text.translate(_DROP_PUNCT))


def visible_len(text: str) -> int:
    """Length without whitespace: a fair size for Chinese and Latin text alike."""
    return len("".join(_spaced(text).split()))


def nfkc_key(text: str) -> str:
    """Normalised form used to compare titles: NFKC, no whitespace."""
    return "".join(_spaced(unicodedata.normalize("NFKC", text)).split())


def absolute_url(base: str | None, ref: str) -> str | None:
    """``ref`` resolved against ``base``; None when either is not a usable URL.

    urljoin raises ValueError on malformed hosts (``http://[oops/``), which
    page markup is free to contain.
    """
    try:
        joined = urljoin(base, ref) if base else ref
    except ValueError:
        return None
    return joined if joined.startswith(("http://", "https://")) else None
