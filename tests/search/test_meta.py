"""Filter tokens: a date range becomes years, months and days that cover exactly that range."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from huiwen.search.meta import date_tokens


def days_of(token: str) -> set[date]:
    kind, digits = token[0], token[1:]
    if kind == "d":
        return {date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))}
    start = date(int(digits[:4]), int(digits[4:6]) if kind == "m" else 1, 1)
    found, day = set(), start
    while (day.month == start.month or kind == "y") and day.year == start.year:
        found.add(day)
        day += timedelta(days=1)
    return found


DATES = st.dates(min_value=date(2019, 1, 1), max_value=date(2031, 12, 31))


@given(DATES, DATES)
def test_tokens_cover_exactly_the_range(first, second):
    since, until = min(first, second), max(first, second)
    tokens = date_tokens(since, until)
    covered = [day for token in tokens for day in days_of(token)]
    assert len(covered) == len(set(covered)), "overlapping tokens"
    assert set(covered) == {since + timedelta(days=n) for n in range((until - since).days + 1)}


def test_few_tokens_for_long_ranges():
    assert date_tokens(date(2024, 1, 1), date(2025, 12, 31)) == ["y2024", "y2025"]
    assert date_tokens(date(2025, 11, 30), date(2026, 2, 1)) == ["d20251130", "m202512", "m202601", "d20260201"]
    assert len(date_tokens(date(2020, 1, 15), date(2026, 11, 29))) < 100


def test_empty_range_has_no_tokens():
    assert date_tokens(date(2026, 5, 2), date(2026, 5, 1)) == []
