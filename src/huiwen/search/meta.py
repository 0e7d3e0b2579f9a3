"""Filter tokens: channel, publisher and publication date, indexed beside the text.

Filters then narrow the full-text match inside the index (an intersection of posting lists)
instead of checking every match against the article table. They only narrow: results are
still read through Article.objects.visible() with the same filters applied exactly, so a
token gone stale (an article moved by QuerySet.update()) can hide a match, never show a wrong one.

Tokens: c<channel id>, p<publisher id>, y<year>, m<year><month>, d<year><month><day> (the
publication date in the site's time zone). A date range becomes the fewest whole years, whole
months and single days that cover it.

What the page shows beside the text is indexed the same way, for 作者:… and 栏目:… and the print
citation's newspaper in 来源:…: the character bigrams of the folded value (text.grams), each
prefixed with its field's letter (a author, k column, n print newspaper), so a value is a phrase
of them (作者:沈嘉禾 is "a沈嘉 a嘉禾"). The publisher is not indexed by name: 来源:… is resolved
to the publishers whose name or newspaper holds the value when the query runs (p<id> tokens),
so renaming a publisher re-indexes nothing.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from huiwen.newsroom.models import Channel
from huiwen.text.chinese import fold, grams

EARLIEST = date(2000, 1, 1)
FIELD_PREFIXES = {"author": "a", "column": "k", "print_newspaper": "n"}


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


def field_tokens(original_author: str, column: str, print_newspaper: str) -> list[str]:
    """Prefixed bigrams of the attribution lines the page shows (see the module's docstring)."""
    tokens: list[str] = []
    for prefix, value in ((FIELD_PREFIXES["author"], original_author), (FIELD_PREFIXES["column"], column),
                          (FIELD_PREFIXES["print_newspaper"], print_newspaper)):
        if value:
            tokens += [prefix + token for token in grams(value)]
    return tokens


def value_phrase(prefix: str, value: str) -> tuple[tuple[str, ...], bool]:
    """The tokens a field value matches as a phrase, and whether the last one is a prefix
    (a one-character value: the bigrams it starts, or itself at the end of a run)."""
    tokens = grams(fold(value))
    if len(tokens) > 1 and not tokens[-1].isascii() and len(tokens[-1]) == 1:
        tokens = tokens[:-1]  # a run's final character: not needed for a phrase of its bigrams
    single = len(tokens) == 1 and len(tokens[0]) == 1 and not tokens[0].isascii()
    return tuple(prefix + token for token in tokens), single


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
