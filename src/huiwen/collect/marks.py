"""The collector's attribution marks (collect.Attribution, issue 16): written only here, each a change.

How the collector read an article's 来源 and time, and whether either fell back (to the source's
publisher, to the fetch time), is kept for the desk, which lists such articles as 来源待确认 /
时间待确认. Every write of these marks is a change of the change path (newsroom.changes):

- MARK: the collector stored a new article (its row held for the batch and written in one
  INSERT with the others, the change recorded at once), or re-extraction read the page again;
- SETTLE: an editor set 来源 or time by hand (collect.handlers), which settles that mark.

No reader page shows the marks, so no handler of the reader's surfaces acts on them; they are in
the change set for what does (the desk reads them live). tests/test_change_path_writes.py fails on
a write of an Attribution anywhere but here (Attribution.save() records its own change too).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from huiwen.collect.models import Attribution
from huiwen.newsroom import changes
from huiwen.newsroom.changes import Kind
from huiwen.newsroom.models import Article

if TYPE_CHECKING:
    from huiwen.newsroom.changes import Actor


def mark(article: Article, *, source: bool, time: bool, provenance: dict[str, Any], new: bool) -> None:
    """Keep how the page's attribution was read (`source`, `time`: whether each fell back); a new
    article's row is written with its batch."""
    row = Attribution(article=article, source_fallback=source, time_fallback=time, provenance=provenance)
    if new and changes.later(_write_new, row):
        changes.record(row, None, row.marks(), kind=Kind.MARK)
        return
    with changes.acting(Kind.MARK):
        row.save()  # the article's row, inserted or replaced


def _write_new(rows: list[Attribution]) -> None:
    Attribution.objects.bulk_create(rows)


def settle(article_id: int, actor: Actor, *, source: bool = False, time: bool = False) -> None:
    """An editor set the article's 来源 (`source`) and/or time (`time`) by hand: those marks are
    settled (a change of kind SETTLE, by `actor`), where they were set."""
    row = Attribution.objects.filter(pk=article_id).first()
    if row is None:
        return
    settled = [name for name, wanted, held in (("source_fallback", source, row.source_fallback),
                                               ("time_fallback", time, row.time_fallback)) if wanted and held]
    if not settled:
        return
    for name in settled:
        setattr(row, name, False)
    with changes.acting(Kind.SETTLE, actor):
        row.save(update_fields=[*settled, "updated_at"])
