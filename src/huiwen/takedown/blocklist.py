"""The blocklist: works withdrawn on a notice are never collected again, by URL or by text.

A reprint of the same work at another URL (another site, a mobile page) is caught by its MinHash
signature: a blocked work's print sits in the newsroom's index of works beside the stories' and is
found by the same matcher (newsroom.works.similar), as a story's copies are.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from huiwen.newsroom import changes, works
from huiwen.newsroom.models import Article
from huiwen.newsroom.text import html_to_text
from huiwen.takedown.models import BlockedWork, Notice
from huiwen.text import fingerprint


def _signatures(articles: list[Article]) -> dict[int, fingerprint.Signature | None]:
    """One text signature per work: the stored story fingerprint of one copy (one query), or one
    computed from its text. Copies of a story share one (None for the others): their text is the
    same work, and each copy is still blocked by its own URL."""
    stored = works.story_signatures(article.pk for article in articles)
    chosen: dict[int, fingerprint.Signature | None] = {}
    seen_stories: set[int] = set()
    for article in sorted(articles, key=lambda a: (a.pk not in stored, a.pk)):
        if article.story_id is not None and article.story_id in seen_stories:
            chosen[article.pk] = None
            continue
        if article.story_id is not None:
            seen_stories.add(article.story_id)
        chosen[article.pk] = stored.get(article.pk) or fingerprint.signature(html_to_text(article.body))
    return chosen


def block(notice: Notice, articles: Iterable[Article]) -> None:
    """Block these works (a few bulk inserts, whatever their number)."""
    articles = list(articles)
    signatures = _signatures(articles)
    usable = {pk: signature for pk, signature in signatures.items() if signature is not None and signature.usable}
    prints = dict(zip(usable, works.block(list(usable.values())), strict=True))
    BlockedWork.objects.bulk_create([
        BlockedWork(notice=notice, article_id_at_block=article.pk, url=article.source_url or "",
                    fingerprint_id=prints.get(article.pk))
        for article in articles
    ])


def unblock(notice: Notice, batch: int = 200) -> None:
    """Lift the notice's blocks, `batch` works per transaction (each with its print)."""
    while True:
        with transaction.atomic():
            rows = list(notice.blocked.values_list("pk", "fingerprint_id")[:batch])
            if not rows:
                return
            BlockedWork.objects.filter(pk__in=[pk for pk, _ in rows]).delete()
            works.forget(print_id for _, print_id in rows if print_id is not None)


def _any_blocked() -> bool:
    # Asked once per collector batch (newsroom.changes), not once per page. A work blocked while a
    # batch is being stored could slip through in that batch; the window grows from one page to
    # one batch (seconds), and was never zero: a notice can commit between a check and a store.
    return changes.remembered("any-blocked", BlockedWork.objects.exists)


def blocked_reason(urls: Iterable[str], signature: fingerprint.Signature) -> str | None:
    """Why a page may not be collected, or None. `urls`: its canonical URL and any it names."""
    if not _any_blocked():
        return None  # the usual case: one cheap query (one per batch), no lookups by URL and band
    by_url = BlockedWork.objects.filter(url__in=[u for u in urls if u]).select_related("notice").first()
    if by_url is not None:
        return f"该作品已因侵权通知 {by_url.notice.reference} 删除,不再采集"
    matches = [match.fingerprint_id for match in works.similar(signature, works.Kind.BLOCKED)
               if match.fingerprint_id is not None]  # (a blocked print is never held)
    if matches:
        blocked = {work.fingerprint_id: work for work in
                   BlockedWork.objects.filter(fingerprint_id__in=matches).select_related("notice")}
        for print_id in matches:  # the most similar first
            if print_id in blocked:
                return f"与因侵权通知 {blocked[print_id].notice.reference} 删除的作品相同,不再采集"
    return None
