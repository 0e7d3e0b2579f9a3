"""Per-source fetch statistics for the source dashboard: how polite polling pays off.

Summed from the runs of the last days in one grouped query: requests made (discovery documents
and article pages), how many the server answered 304 Not Modified, bytes received, and bytes a
304 spared (the size of the body it would have sent again).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Sum

from huiwen.collect.models import SourceRun


@dataclass(frozen=True)
class FetchStats:
    requests: int
    not_modified: int
    received: int
    saved: int

    @property
    def not_modified_share(self) -> float:
        return self.not_modified / self.requests if self.requests else 0.0

    @property
    def percent(self) -> int:
        return round(100 * self.not_modified_share)


def per_source(since: datetime) -> dict[int, FetchStats]:
    rows = (SourceRun.objects.filter(started_at__gte=since).values("source")
            .annotate(requests=Sum("requests"), not_modified=Sum("not_modified"), received=Sum("bytes_received"),
                      saved=Sum("bytes_saved")))
    return {row["source"]: FetchStats(row["requests"] or 0, row["not_modified"] or 0, row["received"] or 0,
                                      row["saved"] or 0) for row in rows}
