"""Filter tokens: channel, publisher and publication date, indexed beside the text.

Filters then narrow the full-text match inside the index (an intersection of posting lists)
instead of checking every match against the article table. They only narrow: results are
still read through Article.objects.visible() with the same filters applied exactly, so a
token gone stale (an article moved by QuerySet.update()) can hide a match, never show a wrong one.

Tokens: c<channel id>, p<publisher id>, y<year>, m<year><month>, d<year><month><day> (the
publication date in the site's time zone). A date range becomes the fewest whole years, whole
months and single days that cover it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from huiwen.newsroom.models import Channel

EARLIEST = date(2000, 1, 1)


def document_tokens(channel_id: int | None, publisher_id: int | None, published_at: datetime | None) -> list[str]:
    tokens = []
    if channel_id is not None:
        tokens.append(f"c{channel_id}")
    if publisher_id is not None:
        tokens.append(f"p{publisher_id}")
    if published_at is not None:
        day = timezone.localtime(published_at).date()
        tokens += [f"y{day:%Y}", f"m{day:%Y%m}", f"d{day:%Y%m%d}"]
    return tokens


def _month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def date_tokens(since: date | None, until: date | None) -> list[str]:
    """Tokens whose union is exactly the days from `since` to `until` (inclusive)."""
    start = since or EARLIEST
    end = until or timezone.localdate()
    tokens: list[str] = []
    day = start
    while day <= end:
        if day.month == 1 and day.day == 1 and date(day.year, 12, 31) <= end:
            tokens.append(f"y{day:%Y}")
            day = date(day.year + 1, 1, 1)
        elif day.day == 1 and _month_end(day) <= end:
            tokens.append(f"m{day:%Y%m}")
            day = _month_end(day) + timedelta(days=1)
        else:
            tokens.append(f"d{day:%Y%m%d}")
            day += timedelta(days=1)
    return tokens


def filter_groups(
    channel: Channel | None, publisher_id: int | None, since: date | None, until: date | None
) -> list[list[str]]:
    """Groups of tokens: a match needs one token of every group."""
    groups: list[list[str]] = []
    if channel is not None:
        subtree = Channel.objects.filter(path__startswith=f"{channel.path}/").values_list("pk", flat=True)
        groups.append([f"c{channel.pk}", *(f"c{pk}" for pk in subtree)])
    if publisher_id is not None:
        groups.append([f"p{publisher_id}"])
    if since is not None or until is not None:
        groups.append(date_tokens(since, until) or ["d00000000"])  # an empty range matches nothing
    return groups
