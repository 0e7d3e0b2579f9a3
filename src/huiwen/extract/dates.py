"""Dates as Chinese and English news pages write them, parsed without guessing."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime

# 2023-11-10, 2023/11/10, 2023.11.10, 2023年11月10日, each with an optional
# time (08:30, 08时30分, 08:30:15) and offset (Z, +08:00, +0800).
# A 12-hour clock is read too: 上午/下午 before the time, am/pm after it.  Hong Kong pages put
# their zone between the day and the time (2024-03-08 HKT 21:40); it is China's offset, and
# Greenwich's where they say so (2023年5月4日, 格林尼治标准时间08:05, as BBC's Chinese pages print it).
_NUMERIC_RE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)\s*日?"
    r"(?:\s*(?:T|\s|-|星期.|周.|週.|[(（][^)）]{1,4}[)）]|,|，|HKT|BJT|北京时间|北京時間|GMT|UTC|格林[尼威]治(?:标准|標準)?[时時][间間])*\s*(上午|下午|中午|晚上|凌晨|早上)?\s*(\d{1,2})\s*[:：时時]\s*(\d{1,2})"
    r"(?:\s*[:：分]\s*(\d{1,2}))?(?:\.\d+)?(?:\s*([AaPp])\.?[Mm](?![A-Za-z])\.?)?\s*(Z|[+-]\d{2}:?\d{2}(?!\d))?)?"
)
_GREENWICH_RE = re.compile(r"GMT|UTC|格林[尼威]治")
_AFTERNOON = ("下午", "晚上")
NUMERIC_RE = _NUMERIC_RE  # other stages cut dates out of lines with it
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            "jan january",
            "feb february",
            "mar march",
            "apr april",
            "may",
            "jun june",
            "jul july",
            "aug august",
            "sep sept september",
            "oct october",
            "nov november",
            "dec december",
        ),
        start=1,
    )
    for name in names.split()
}
_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ENGLISH_MDY_RE = re.compile(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{2})", re.I)
_ENGLISH_DMY_RE = re.compile(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+((?:19|20)\d{2})", re.I)
# 7/5/2005 9:23:57 PM, 7/5/2005 21:23: the US order that ASP.NET prints by
# default, read month first and never day first.  Only taken right after a
# Chinese date label (发布日期：, 更新时间 …): bare, such numbers are fractions,
# versions or phone numbers, and European pages put the day first.
_US_RE = re.compile(
    r"(?<![\d/.\-])(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})(?![\d/]|[.\-]\d)"
    r"(?:\s+(?:[-–]\s+)?(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?(?![\d:：])(?:\s*([AaPp])\.?[Mm]\.?(?![A-Za-z]))?)?"
)
_US_LABEL_RE = re.compile(r"(?:时间|時間|日期|发布|發布|發佈|发表|發表|更新)(?:于|於)?\s*[:：]?\s*$")
# 14.12.2011 19:00: the day first, as European-built templates print it; only with dots, which
# month-first writers do not use.
_DOTTED_DMY_RE = re.compile(
    r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2})(?![\d.])(?:\s+(\d{1,2})[:：](\d{2})(?![\d:：]))?"
)
# 18:07 2012-01-16: a clock printed before the date it belongs to.
_CLOCK_BEFORE_RE = re.compile(r"(?<![\d:：])(\d{1,2})[:：](\d{2})\s{0,3}$")
_URL_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-/_]?(0[1-9]|1[0-2])[-/_]?(0[1-9]|[12]\d|3[01])(?!\d)")


def parse(text: str, default_tz: tzinfo) -> datetime | None:
    """The first date in ``text``; naive times are read in ``default_tz``."""
    found = find_all(text, default_tz)
    return found[0][1] if found else None


def parse_meta(value: str, default_tz: tzinfo) -> datetime | None:
    """A metadata value: ISO 8601 first, then RFC 2822, then free text."""
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is None:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            parsed = None
    if parsed is not None and 1990 <= parsed.year <= 2100:
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=default_tz)
    return parse(value, default_tz)


def find_all(text: str, default_tz: tzinfo) -> list[tuple[int, datetime]]:
    """Every date in ``text`` with its position, in order."""
    if not _has_year(text):
        return []
    found: list[tuple[int, datetime]] = []
    for match in _NUMERIC_RE.finditer(text):
        made = _numeric(match, default_tz)
        if made is not None and match.group(5) is None:
            made = _with_clock_before(made, text, match.start())
        if made is not None:
            found.append((match.start(), made))
    if "." in text:
        for match in _DOTTED_DMY_RE.finditer(text):
            day, month, year, hour, minute = match.groups()
            made = _make(int(year), int(month), int(day), int(hour or 0), int(minute or 0), 0, default_tz)
            if made is not None:
                found.append((match.start(), made))
    for match in _labelled_us(text):
        made = _us(match, default_tz)
        if made is not None:
            found.append((match.start(), made))
    for pattern, order in ((_ENGLISH_MDY_RE, "mdy"), (_ENGLISH_DMY_RE, "dmy")):
        for match in pattern.finditer(text):
            made = _english(match, order, default_tz)
            if made is not None:
                found.append((match.start(), made))
    found.sort(key=lambda item: item[0])
    return found


def has_time(text: str) -> bool:
    if not _has_year(text):
        return False
    match = _NUMERIC_RE.search(text)
    if match and (match.group(5) or _CLOCK_BEFORE_RE.search(text, max(0, match.start() - 9), match.start())):
        return True
    dotted = _DOTTED_DMY_RE.search(text) if "." in text else None
    if dotted and dotted.group(4):
        day, month, year = (int(part) for part in dotted.group(1, 2, 3))
        return _make(year, month, day, 0, 0, 0, UTC) is not None
    return any(us.group(4) and _us(us, UTC) is not None for us in _labelled_us(text))


def _has_year(text: str) -> bool:
    """Whether the text may hold a date at all: every pattern here needs a year written 19xx or
    20xx in ASCII digits. Two substring tests run in C, where the patterns (each opening with a
    look-behind) try every position; most lines looked at for a date are prose or menus."""
    return "20" in text or "19" in text


def from_url(url: str, default_tz: tzinfo) -> datetime | None:
    """Dates in article URLs: /2023-11/10/, /20231110/, /2023/1110/."""
    match = _URL_RE.search(url)
    if match is None:
        return None
    return _make(int(match.group(1)), int(match.group(2)), int(match.group(3)), 0, 0, 0, default_tz)


def _numeric(match: re.Match[str], default_tz: tzinfo) -> datetime | None:
    year, month, day, part_of_day, hour, minute, second, meridiem, offset = match.groups()
    tz = (_offset(offset) if offset else None) or default_tz
    if hour is not None and not offset and _GREENWICH_RE.search(match.group(0)):
        tz = UTC
    clock = int(hour or 0)
    if (meridiem in ("P", "p") or part_of_day in _AFTERNOON) and 1 <= clock < 12:
        clock += 12
    elif (meridiem in ("A", "a") or part_of_day == "凌晨") and clock == 12:
        clock = 0
    return _make(int(year), int(month), int(day), clock, int(minute or 0), int(second or 0), tz)


def _with_clock_before(day: datetime, text: str, start: int) -> datetime:
    clock = _CLOCK_BEFORE_RE.search(text, max(0, start - 9), start)
    if clock is None or int(clock.group(1)) > 23 or int(clock.group(2)) > 59:
        return day
    return day.replace(hour=int(clock.group(1)), minute=int(clock.group(2)))


def _labelled_us(text: str) -> list[re.Match[str]]:
    """Month-first dates right after a date label; the rest are not dates."""
    if "/" not in text:
        return []
    return [m for m in _US_RE.finditer(text) if _US_LABEL_RE.search(text, max(0, m.start() - 12), m.start())]


def _us(match: re.Match[str], default_tz: tzinfo) -> datetime | None:
    month, day, year, hour, minute, second, meridiem = match.groups()
    clock = int(hour or 0)
    if meridiem:
        # 12 AM is midnight, 12 PM noon; 0 or 13 with AM/PM is a broken stamp, not a date.
        if not 1 <= clock <= 12:
            return None
        clock = clock % 12 + (12 if meridiem in "Pp" else 0)
    return _make(int(year), int(month), int(day), clock, int(minute or 0), int(second or 0), default_tz)


def _english(match: re.Match[str], order: str, default_tz: tzinfo) -> datetime | None:
    if order == "mdy":
        month_name, day, year = match.groups()
    else:
        day, month_name, year = match.groups()
    month = _MONTHS.get(month_name.lower().rstrip("."), 0)
    return _make(int(year), month, int(day), 0, 0, 0, default_tz)


def _offset(text: str) -> tzinfo | None:
    """A UTC offset, or None when it is not a real one (real ones stay within ±14 h)."""
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4])
    if hours > 14 or minutes > 59:
        return None
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _make(year: int, month: int, day: int, hour: int, minute: int, second: int, tz: tzinfo) -> datetime | None:
    if not 1990 <= year <= 2100:
        return None
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=tz)
    except ValueError:
        return None
