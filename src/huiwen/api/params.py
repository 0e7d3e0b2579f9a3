"""Query parameters shared by the article list and search, and how they become filters.

The schema promises as much as it can (patterns, ranges), so every request it calls valid is
answered 200 or 404, and only malformed ones get 400 — schemathesis checks both directions.
What a pattern cannot say is settled here without an error: dates outside what can be stored
are clamped (no article is older than EARLIEST, none visible is newer than today), and an empty
range simply matches nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Annotated

from django.utils import timezone
from ninja import Query
from pydantic import BeforeValidator

from huiwen.api.errors import ApiError
from huiwen.newsroom.models import MAX_CHANNEL_DEPTH, Channel, Publisher
from huiwen.search.service import Filters

EARLIEST = date(1900, 1, 1)
MAX_ID = 2**63 - 1  # bigint: larger ids cannot exist, and PostgreSQL refuses to compare with them
_SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
CHANNEL_PATTERN = rf"^{_SLUG}(?:/{_SLUG}){{0,{MAX_CHANNEL_DEPTH - 1}}}$"

# Declared without `| None`: an optional parameter is one that is left out, never one sent as null,
# and the OpenAPI document then says just that (no `anyOf [..., null]` for generators to try).
# To mypy each is what the view receives: None when left out (ninja reads the runtime aliases).
if TYPE_CHECKING:
    ChannelParam = str | None
    PublisherParam = int | None
else:
    ChannelParam = Annotated[
        str,
        Query(None, pattern=CHANNEL_PATTERN, max_length=250,
              description="频道路径,含下级频道,如 news/china / a channel path; its sub-channels are included"),
    ]
    PublisherParam = Annotated[int, Query(None, ge=1, le=MAX_ID, description="来源 id / publisher id")]

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_day(raw: object) -> object:
    """Only YYYY-MM-DD, as the document says (format: date). Left alone, pydantic would also take
    a number as seconds since 1970 (`until=0`), which schemathesis rightly flagged."""
    if not isinstance(raw, str) or not _ISO_DAY.fullmatch(raw):
        raise ValueError("日期格式应为 YYYY-MM-DD / expected a date as YYYY-MM-DD")
    return raw


Day = Annotated[date, BeforeValidator(_iso_day)]
if TYPE_CHECKING:
    SinceParam = date | None
    UntilParam = date | None
else:
    SinceParam = Annotated[Day, Query(None, description="起始日期 (含) / published on or after this day")]
    UntilParam = Annotated[Day, Query(None, description="截止日期 (含) / published on or before this day")]


@dataclass(frozen=True)
class Scope:
    filters: Filters
    empty: bool  # the date range can match nothing: answer without asking the database


def channel(path: str | None) -> Channel | None:
    """A public channel by path; a hidden one is as unknown as a missing one."""
    if path is None:
        return None
    found = Channel.objects.public().filter(path=path).first()
    if found is None:
        raise ApiError(404, "channel_not_found")
    return found


def publisher(pk: int | None) -> Publisher | None:
    if pk is None:
        return None
    found = Publisher.objects.filter(pk=pk).first()
    if found is None:
        raise ApiError(404, "publisher_not_found")
    return found


def scope(path: str | None, publisher_id: int | None, since: date | None, until: date | None) -> Scope:
    today = timezone.localdate()
    empty = (since is not None and since > today) or (until is not None and until < EARLIEST)
    since = max(since, EARLIEST) if since is not None else None
    until = min(until, today) if until is not None else None
    empty = empty or (since is not None and until is not None and since > until)
    return Scope(Filters(channel(path), publisher(publisher_id), since, until), empty)
