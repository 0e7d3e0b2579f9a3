"""The blocklist: works withdrawn on a notice are never collected again, by URL or by text.

A reprint of the same work at another URL (another site, a mobile page) is caught by its MinHash
signature: the collector's story fingerprint (text.fingerprint), looked up by LSH band and
confirmed by estimated similarity, as stories themselves are.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from huiwen.newsroom import changes
from huiwen.newsroom.models import Article, Fingerprint
from huiwen.newsroom.text import html_to_text
from huiwen.takedown.models import BlockedBand, BlockedWork, Notice
from huiwen.text import fingerprint


def _signatures(articles: list[Article]) -> dict[int, fingerprint.Signature | None]:
    """One text signature per work: the stored story fingerprint of one copy (one query), or one
    computed from its text. Copies of a story share one (None for the others): their text is the
    same work, and each copy is still blocked by its own URL."""
    stored: dict[int, fingerprint.Signature] = {}
    for article_id, signature, features in (Fingerprint.objects.filter(article__in=articles)
                                            .values_list("article_id", "signature", "features")):
        stored[article_id] = fingerprint.Signature.from_bytes(bytes(signature), features)
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
    works = BlockedWork.objects.bulk_create([
        BlockedWork(notice=notice, article_id_at_block=article.pk, url=article.source_url or "",
                    signature=usable[article.pk].to_bytes() if article.pk in usable else b"")
        for article in articles
    ])
    BlockedBand.objects.bulk_create([
        BlockedBand(blocked=work, key=key) for work in works if work.article_id_at_block in usable
        for key in usable[work.article_id_at_block].band_keys()
    ], batch_size=2000)


def unblock(notice: Notice, batch: int = 200) -> None:
    """Lift the notice's blocks, `batch` works per transaction (each with its 21 band rows)."""
    while True:
        with transaction.atomic():
            ids = list(notice.blocked.values_list("pk", flat=True)[:batch])
            if not ids:
                return
            BlockedBand.objects.filter(blocked_id__in=ids).delete()
            BlockedWork.objects.filter(pk__in=ids).delete()


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
    if not signature.usable:
        return None
    candidates = BlockedWork.objects.filter(bands__key__in=signature.band_keys()).distinct().select_related("notice")
    for blocked in candidates[:50]:
        stored = fingerprint.Signature.from_bytes(bytes(blocked.signature)) if blocked.signature else None
        if stored is not None and fingerprint.same_work(signature, stored):
            return f"与因侵权通知 {blocked.notice.reference} 删除的作品相同,不再采集"
    return None
