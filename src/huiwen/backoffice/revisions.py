"""Revisions of an article (django-simple-history): which one came from the source, diffs, restore.

Every save of an article leaves a historical record. Records written by the collector carry no
user; the source's latest text is the latest record whose reason is the collector's update
reason, or else the first record. Diffs are by paragraph, then by character inside changed
paragraphs: Chinese has no spaces, so a word diff would need segmentation and gain little.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Field
from django.utils import timezone

from huiwen.newsroom.models import Article
from huiwen.newsroom.text import html_to_text

SOURCE_UPDATE_REASON = "来源页面内容更新"  # written by collect.store when a source changes its page
# Restoring brings back content, never state: status changes go through newsroom.actions.
CONTENT_FIELDS = ("title", "column", "lede", "body", "original_author", "channel_id", "publisher_id",
                  "print_newspaper", "print_date", "print_page")
# The fields an edit can change, as the diff names them (channel and publisher shown by name).
EDITABLE_DIFF_FIELDS = ("title", "column", "original_author", "lede", "body", "channel", "publisher",
                        "print_newspaper", "print_date", "print_page")
DIFF_FIELDS = ("title", "column", "original_title", "original_author", "editor", "lede", "body", "channel",
               "publisher", "status", "published_at", "source_url", "print_newspaper", "print_date", "print_page")


def records(article: Article) -> list[Any]:
    """Revisions newest first, with the user who made each."""
    return list(article.history.select_related("history_user__editor_profile").order_by("-history_date", "-history_id"))


def source_record(article: Article) -> Any | None:
    """The revision holding the source's own text: its latest update, else the collected original."""
    history = article.history.order_by("-history_date", "-history_id")
    return history.filter(history_change_reason__startswith=SOURCE_UPDATE_REASON).first() or history.last()


def source_value(article: Article, field: str) -> str:
    record = source_record(article)
    return (getattr(record, field, "") or "") if record is not None else ""


@dataclass(frozen=True)
class FieldDiff:
    name: str
    label: str
    segments: list[tuple[str, str]]  # (op, text): op "" unchanged, "ins" added, "del" removed


def _shown(record: Any, field: str) -> str:
    if field == "body":
        return html_to_text(record.body)
    if field in ("channel", "publisher"):
        related = getattr(record, field, None)
        return str(related) if related is not None else ""
    if field == "status":
        return Article.Status(record.status).label if record.status in Article.Status.values else record.status
    value = getattr(record, field, "")
    return "" if value is None else str(value)


def diff_text(old: str, new: str) -> list[tuple[str, str]]:
    """Paragraph diff, refined to characters where a paragraph was changed rather than added or removed."""
    old_lines, new_lines = old.split("\n"), new.split("\n")
    segments: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        before, after = "\n".join(old_lines[a1:a2]), "\n".join(new_lines[b1:b2])
        if op == "equal":
            segments.append(("", before))
        elif op == "replace":
            segments += _char_diff(before, after)
        elif op == "delete":
            segments.append(("del", before))
        else:
            segments.append(("ins", after))
        segments.append(("", "\n"))
    return _merge(segments[:-1])


def _char_diff(old: str, new: str) -> list[tuple[str, str]]:
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    segments = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(("", old[a1:a2]))
            continue
        if a2 > a1:
            segments.append(("del", old[a1:a2]))
        if b2 > b1:
            segments.append(("ins", new[b1:b2]))
    return segments


def _merge(segments: list[tuple[str, str]]) -> list[tuple[str, str]]:
    merged: list[tuple[str, str]] = []
    for op, text in segments:
        if merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + text)
        elif text:
            merged.append((op, text))
    return merged


def diff(old: Any, new: Any, fields: tuple[str, ...] = DIFF_FIELDS) -> list[FieldDiff]:
    """What changed from revision (or article) `old` to `new`, field by field; unchanged fields left out."""
    changes = []
    for field in fields:
        before, after = _shown(old, field), _shown(new, field)
        if before != after:
            model_field = Article._meta.get_field(field)
            assert isinstance(model_field, Field)  # DIFF_FIELDS are the article's own fields
            label = str(model_field.verbose_name)
            changes.append(FieldDiff(field, label, diff_text(before, after)))
    return changes


def restore(article: Article, record: Any, user: Any) -> Article:
    """Bring back the content of revision `record` (not its status) as a new revision."""
    with transaction.atomic():
        for field in CONTENT_FIELDS:
            setattr(article, field, getattr(record, field))
        article._change_reason = f"恢复到 {timezone.localtime(record.history_date):%Y-%m-%d %H:%M:%S} 的修订"
        article._history_user = user
        article.save()
    return article
