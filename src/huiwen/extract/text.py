"""Small text helpers shared by the stages: whitespace, CJK and punctuation tests."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urljoin

_SPACE_RE = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Sentence punctuation: its density tells running prose from menus and lists.
SENTENCE_PUNCT = frozenset("，。！？；：、,.!?;:“”」「『』（）")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def collapse(text: str) -> str:
    """Collapse runs of whitespace (including the ideographic space) to one space."""
    return _SPACE_RE.sub(" ", text).strip()


def strip_controls(text: str) -> str:
    """Remove control characters that XML (and so lxml) refuses, keeping \\t \\n \\r."""
    return _CONTROL_RE.sub("", text) if _CONTROL_RE.search(text) else text


def cjk_count(text: str) -> int:
    return len(_CJK_RE.findall(text))


def is_cjk_text(text: str) -> bool:
    """True when at least a fifth of the non-space characters are Han characters."""
    dense = _SPACE_RE.sub("", text)
    return bool(dense) and cjk_count(dense) * 5 >= len(dense)


_DROP_PUNCT = {ord(ch): None for ch in SENTENCE_PUNCT}


def punct_count(text: str) -> int:
    # str.translate runs in C: much faster than a Python loop over characters.
    return len(text) - len(text.translate(_DROP_PUNCT))


def visible_len(text: str) -> int:
    """Length without whitespace: a fair size for Chinese and Latin text alike."""
    return len(_SPACE_RE.sub("", text))


def nfkc_key(text: str) -> str:
    """Normalised form used to compare titles: NFKC, no whitespace."""
    return _SPACE_RE.sub("", unicodedata.normalize("NFKC", text))


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
