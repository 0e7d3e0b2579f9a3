"""Re-extraction from the archive: run the current extractor over stored pages, no fetching.

When the extractor improves, `huiwen reextract` reads each collected URL's latest archived
response and applies what the page now gives to its article — text, 来源, time, authors, 责编,
print citation — as one revision with the reason "re-extracted", so every change can be seen
and undone in the history. A field an editor changed by hand (a revision made by a user that
changed it) is never overwritten; a 来源 or time that would only fall back (to the source's
publisher, to the fetch time) never replaces one the article has.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from huiwen.collect import images, marks
from huiwen.collect.archive import read_response
from huiwen.collect.models import SeenURL, Source
from huiwen.collect.pipeline import policy_for
from huiwen.collect.store import Fallbacks, Skip, check_usable, content_hash, fallbacks, fields_for
from huiwen.extract import ArticleDraft, ExtractionError, ExtractOptions, extract
from huiwen.newsroom import ports, stories
from huiwen.newsroom.models import Article, Publisher
from huiwen.newsroom.text import clean_body_html
from huiwen.text.fingerprint import signature as text_signature

REASON = "re-extracted"
# What re-extraction may change; channel, status and the desk's own fields are never touched.
FIELDS = ("title", "column", "original_title", "original_author", "source_editor", "lede", "body",
          "published_at", "publisher_id", "print_newspaper", "print_date", "print_page")
TEXT_FIELDS = ("title", "lede", "body")


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
        try:
            with transaction.atomic():
                counts[_apply(seen, draft, capture.fetched_at)] += 1
        except Skip:
            counts["failed"] += 1
    return counts


def _apply(seen: SeenURL, draft: ArticleDraft, fetched_at: Any) -> str:
    """Write the draft's better fields into the article; "updated" or "unchanged"."""
    assert seen.article_id is not None  # only addresses with an article are read again
    article = Article.objects.select_for_update().get(pk=seen.article_id)
    digest = content_hash(draft)
    found = fallbacks(draft)
    known = images.known_images(article)
    body_html, results = images.localise_html(draft.body_html, seen.url, None, policy_for(seen.source), known)
    check_usable(draft)
    new = fields_for(draft, seen.source, seen.url, fetched_at, body_html)
    publisher = new.pop("publisher")
    assert isinstance(publisher, Publisher)
    new["publisher_id"] = publisher.pk
    new["body"] = clean_body_html(str(new["body"]))  # as Article.save() stores it
    by_hand = hand_edited(article)
    changes = {name: new[name] for name in FIELDS
               if name not in by_hand and _better(name, found) and _value(article, name) != new[name]}
    _record(article, draft, found, by_hand)
    seen.content_hash = digest
    seen.save(update_fields=["content_hash"])
    if not changes:
        return "unchanged"
    for name, value in changes.items():
        setattr(article, name, value)
    article._change_reason = REASON  # recorded by the revision history
    touched = []
    if changes.keys() & set(TEXT_FIELDS):
        ports.screen_collected(article)  # issue 7: new text is screened like a source's update
        touched = stories.refold(article, text_signature(draft.body))  # saved with it (newsroom.stories)
    article.save()
    images.record(article, results)
    stories.settle(touched)
    return "updated"


def _better(name: str, found: Fallbacks) -> bool:
    """A field the page now gives; a fallback never replaces what the article holds."""
    if name == "publisher_id":
        return not found.source
    if name == "published_at":
        return not found.time
    return True


def _value(article: Article, name: str) -> object:
    return getattr(article, name)


def hand_edited(article: Article) -> set[str]:
    """The fields an editor changed by hand: those a revision made by a user changed from the
    revision before it (the collector's and re-extraction's revisions have no user)."""
    edited: set[str] = set()
    previous = None
    for record in article.history.order_by("history_date", "history_id"):
        if previous is not None and record.history_user_id is not None:
            edited.update(name for name in FIELDS if getattr(record, name) != getattr(previous, name))
        elif previous is None and record.history_user_id is not None:
            edited.update(FIELDS)  # written by hand from the start: nothing to re-extract over
        previous = record
    return edited


def _record(article: Article, draft: ArticleDraft, found: Fallbacks, by_hand: set[str]) -> None:
    """The attribution as now read; a field the editor set is confirmed, not waiting."""
    marks.mark(article, source=found.source and "publisher_id" not in by_hand,
               time=found.time and "published_at" not in by_hand, provenance=draft.provenance_json(), new=False)
