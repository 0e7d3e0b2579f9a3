"""Re-extraction from the archive: run the current extractor over stored pages, no fetching.

When the extractor improves, `huiwen reextract` reads each collected URL's latest archived
response and updates the articles whose draft changed (a new revision, history kept).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from django.conf import settings
from django.db import transaction

from huiwen.collect import images
from huiwen.collect.archive import read_response
from huiwen.collect.models import SeenURL, Source
from huiwen.collect.pipeline import policy_for
from huiwen.collect.store import Skip, content_hash, store
from huiwen.extract import ExtractionError, ExtractOptions, extract


def reextract(source: Source | None = None) -> Counter[str]:
    counts: Counter[str] = Counter()
    seen_urls = SeenURL.objects.filter(article__isnull=False).select_related("source", "article")
    if source is not None:
        seen_urls = seen_urls.filter(source=source)
    root = Path(settings.COLLECT["ARCHIVE_DIR"])
    for seen in seen_urls.iterator():
        capture = seen.captures.filter(status=200).order_by("-fetched_at", "-pk").first()
        if capture is None:
            counts["not archived"] += 1
            continue
        try:
            _, headers, body = read_response(root, capture.warc_path, capture.offset)
        except (LookupError, OSError):  # a record lost with the last second before a crash
            counts["not archived"] += 1
            continue
        if seen.source.charset:
            headers["Content-Type"] = f"text/html; charset={seen.source.charset}"
        try:
            draft = extract(body, capture.final_url, headers, ExtractOptions(selectors=seen.source.selectors or {}))
        except ExtractionError:
            counts["failed"] += 1
            continue
        digest = content_hash(draft)
        if digest == seen.content_hash:
            counts["unchanged"] += 1
            continue
        known = images.known_images(seen.article)
        body_html, results = images.localise_html(draft.body_html, seen.url, None, policy_for(seen.source), known)
        try:
            with transaction.atomic():
                stored = store(draft, seen.source, seen.url, capture.fetched_at, body_html=body_html)
                images.record(stored.article, results)
                seen.content_hash = digest
                seen.save(update_fields=["content_hash"])
        except Skip:
            counts["failed"] += 1
            continue
        counts[stored.outcome] += 1
    return counts
