"""The scoring of ../shared/corpus/extraction/README.md, in one place.

Body: precision, recall and F1 over a bag of tokens.  Chinese: characters
after NFKC, leaving out whitespace, punctuation (P*), separators (Z*) and
controls (C*).  Other languages: whitespace-separated words, lower-cased,
leading and trailing punctuation stripped.  Title: exact match after NFKC and
whitespace removal.  Date: the same year-month-day.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from datetime import date, datetime
from typing import NamedTuple

_SKIP_CATEGORIES = ("P", "Z", "C")
_MONTHS = {
    m: i
    for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)
}


class Score(NamedTuple):
    precision: float
    recall: float
    f1: float


def tokens(text: str, lang: str) -> Counter[str]:
    text = unicodedata.normalize("NFKC", text or "")
    if lang == "zh":
        return Counter(ch for ch in text if not ch.isspace() and unicodedata.category(ch)[0] not in _SKIP_CATEGORIES)
    words = (_strip_punct(w.lower()) for w in text.split())
    return Counter(w for w in words if w)


def _strip_punct(word: str) -> str:
    start, end = 0, len(word)
    while start < end and unicodedata.category(word[start]).startswith("P"):
        start += 1
    while end > start and unicodedata.category(word[end - 1]).startswith("P"):
        end -= 1
    return word[start:end]


def body_score(extracted: str | None, truth: str, lang: str) -> Score:
    got, want = tokens(extracted or "", lang), tokens(truth, lang)
    if not got or not want:
        return Score(0.0, 0.0, 0.0)
    common = sum((got & want).values())
    precision = common / sum(got.values())
    recall = common / sum(want.values())
    f1 = 2 * precision * recall / (precision + recall) if common else 0.0
    return Score(precision, recall, f1)


def title_key(text: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def title_match(extracted: str | None, truth: str) -> bool:
    return bool(extracted) and title_key(extracted) == title_key(truth)


def to_date(value: object) -> date | None:
    """A year-month-day from a datetime, a date or a string in a common format."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    match = re.search(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", value)
    if match:
        return _safe(int(match[1]), int(match[2]), int(match[3]))
    match = re.search(r"([a-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+((?:19|20)\d{2})", value, re.I)
    if match and match[1].lower() in _MONTHS:
        return _safe(int(match[3]), _MONTHS[match[1].lower()], int(match[2]))
    match = re.search(r"(\d{1,2})\s+([a-z]{3})[a-z]*\.?,?\s+((?:19|20)\d{2})", value, re.I)
    if match and match[2].lower() in _MONTHS:
        return _safe(int(match[3]), _MONTHS[match[2].lower()], int(match[1]))
    return None


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def full_date(value: str | None) -> date | None:
    """The GT date when it holds a full year-month-day, else None (not scored)."""
    return to_date(value) if value else None
