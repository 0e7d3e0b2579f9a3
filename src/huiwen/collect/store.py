"""The last stages of the pipeline: a draft becomes an article (new, or a new version), in a story.

Dedupe happens here, against three records: the URL (one article per original URL, enforced
by the database), the content hash (an unchanged page is not a new version), and the story
fingerprint (a reprint of a work already held joins that work's story).
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction

from huiwen.collect import marks
from huiwen.collect.models import Source
from huiwen.extract import ArticleDraft
from huiwen.newsroom import changes, ports, stories, works
from huiwen.newsroom.models import Article, Publisher, Story
from huiwen.text import fingerprint

log = logging.getLogger(__name__)

# A 来源 line longer than this is extraction noise, not a publisher's name.
MAX_PUBLISHER_NAME = 40
# A 来源 read with less confidence than this (a site name, an outlet guessed from a dateline)
# is shown to the desk as 来源待确认, like one that fell back to the source's publisher.
UNSURE = 0.6
# What a publisher's name is made of: letters (any script), digits, spaces and the punctuation media
# names use (人民网-人民日报, 新华社·北京, 《南方周末》). Anything else (issue 13: a hostile page's 来源
# line made a publisher named "<img") means the line is not a name, and the source's publisher is used.
PUBLISHER_NAME = re.compile(r"[\w \-–—·・()()《》〈〉&.、]+")


class Skip(Exception):
    """The page is not stored: it holds no article, or it may not be collected."""


class NoArticle(Skip):
    """Extraction found no usable article on the page: for the source's health a failure."""


@dataclass(frozen=True)
class Stored:
    article: Article
    outcome: str  # "new", "updated" or "unchanged"
    content_hash: str


def _check_not_withdrawn(draft: ArticleDraft, url: str, signature: fingerprint.Signature) -> None:
    """A work withdrawn on a takedown notice is never collected again, at any URL."""
    reason = ports.blocked_reason({url, draft.canonical_url or ""}, signature)
    if reason:
        raise Skip(reason)


def content_hash(draft: ArticleDraft) -> str:
    text = "\x1f".join([draft.title or "", draft.lede or "", draft.body])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Fallbacks:
    """What the page did not say, so that the collector filled it in (issue 16)."""

    source: bool  # no readable 来源 (or only a weak guess): filed under the source's publisher
    time: bool  # no time on the page: the fetch time stands in

    @property
    def any(self) -> bool:
        return self.source or self.time


def fallbacks(draft: ArticleDraft) -> Fallbacks:
    read = draft.provenance.get("source")
    weak = read is not None and read.confidence < UNSURE
    return Fallbacks(source=publisher_name(draft) is None or weak, time=draft.published_at is None)


def publisher_name(draft: ArticleDraft) -> str | None:
    """The page's 来源 line if it can be a publisher's name (spaces normalised), else None."""
    name = " ".join((draft.source or "").split())
    if (not name or len(name) > MAX_PUBLISHER_NAME or not PUBLISHER_NAME.fullmatch(name)
            or not any(char.isalpha() for char in name)):
        return None
    return name


def record_attribution(article: Article, draft: ArticleDraft, found: Fallbacks, *, new: bool) -> None:
    """Keep how the page's attribution was read (collect.marks: a change of kind MARK); a new
    article's row is written with its batch."""
    marks.mark(article, source=found.source, time=found.time, provenance=draft.provenance_json(), new=new)


def _publisher(draft: ArticleDraft, source: Source) -> Publisher:
    """The 来源 the page states (a reprint names its origin), else the source's publisher."""
    name = publisher_name(draft)
    if name is None or name == source.publisher.name:
        return source.publisher
    publisher, _ = Publisher.objects.get_or_create(name=name)
    return publisher


def fields_for(
    draft: ArticleDraft, source: Source, url: str, fetched_at: datetime, body_html: str
) -> dict[str, object]:
    """The article's fields as the draft gives them (the source's publisher, the fetch time where it is silent)."""
    citation = draft.print_citation
    return {
        "title": (draft.title or "")[:200],
        "column": (draft.column or "")[:40],
        "original_title": (draft.title or "")[:200],
        "original_author": "、".join(draft.authors)[:120],
        "source_editor": "、".join(draft.editors or ((draft.editor,) if draft.editor else ()))[:60],
        "lede": _lede(draft),
        "body": body_html,
        "published_at": draft.published_at or fetched_at,
        "publisher": _publisher(draft, source),
        "print_newspaper": citation.newspaper[:60] if citation else "",
        "print_date": citation.date if citation else None,
        "print_page": f"{int(citation.page):02d}" if citation and str(citation.page).isdigit() else "",
        "channel": source.channel_for(url),
    }


def _lede(draft: ArticleDraft) -> str:
    """The draft's lede, unless the body already holds it.

    An extractor offers the body's first paragraph (or a page description that repeats it) as
    the lede when the page has no lede of its own; stored as well, the article page would show
    that paragraph twice and search would count it twice.
    """
    lede = (draft.lede or "").strip()
    if lede and "".join(lede.split()) in "".join(draft.body.split()):
        return ""
    return lede


def check_usable(draft: ArticleDraft) -> None:
    if not (draft.title or "").strip():
        raise NoArticle("no headline found on the page")
    if len(draft.body) < 20:
        raise NoArticle("no article body found on the page")


def article_urls(draft: ArticleDraft, url: str) -> set[str]:
    """The addresses an existing article for this page may be stored under."""
    return {url, draft.canonical_url or ""} - {""}


def store(draft: ArticleDraft, source: Source, url: str, fetched_at: datetime, body_html: str | None = None,
          *, known_new: bool = False) -> Stored:
    """Create or update the article for `url` from `draft` (with `body_html` when images were localised).

    `known_new`: the caller has just looked up article_urls() for a batch and none is stored, so
    the lookup is skipped (a racing worker's insert is still caught by the unique constraint).
    """
    check_usable(draft)
    signature = fingerprint.signature(draft.body)  # computed once: the blocklist and the story both use it
    _check_not_withdrawn(draft, url, signature)
    digest = content_hash(draft)
    fields = fields_for(draft, source, url, fetched_at, draft.body_html if body_html is None else body_html)
    urls = article_urls(draft, url)
    # No savepoint of its own: the caller's (one per page) already undoes a failed store.
    with transaction.atomic(savepoint=False):
        existing = None if known_new else Article.objects.select_for_update().filter(source_url__in=urls).first()
        if existing is not None:
            return _update(existing, fields, digest, signature)
        found = fallbacks(draft)
        # Published directly only under a responsible editor's real name (Art. 15), and only when
        # the page itself stated its 来源 and time: a filled-in one waits for the desk.
        direct = source.publishes_directly() and not found.any
        article = Article(
            source_url=url,
            status=Article.Status.PUBLISHED if direct else Article.Status.PENDING,
            editor=source.responsible_editor() if direct else "",
            **fields,
        )
        ports.screen_collected(article)  # issue 7: screened before it is stored (as published, for some sources)
        # The story is known before the insert, so the article is written once, story included
        # (a new story and the article are changes of one unit: gone together if the insert fails).
        joined = _matching_story(None, signature)
        try:
            with transaction.atomic(), changes.unit():
                article.story = joined or stories.start(article)
                _insert(article)
        except IntegrityError:
            # Another worker stored the same URL a moment ago: that article is the one. (Any other
            # integrity error is this page's own fault, and is reported as such.)
            existing = Article.objects.filter(source_url=url).first()
            if existing is None:
                raise
            return _update(existing, fields, digest, signature)
        works.keep(article.pk, signature, new=True)
        record_attribution(article, draft, found, new=True)
        if joined is not None:
            stories.settle([joined])
        return Stored(article=article, outcome="new", content_hash=digest)


def _insert(article: Article) -> None:
    """Save a new article: a change of kind "collect" (its revision, screening, index and tags
    follow through the change path, once per batch where they can)."""
    with changes.acting(changes.Kind.COLLECT):
        article.save()


def _update(article: Article, fields: dict[str, object], digest: str, signature: fingerprint.Signature) -> Stored:
    if article.seen_urls.filter(content_hash=digest).exists():
        return Stored(article=article, outcome="unchanged", content_hash=digest)
    # Editors may have moved or re-titled the article; the source's changes replace the text
    # and attribution, not the editorial placement.
    for name in ("title", "column", "original_title", "original_author", "source_editor", "lede", "body",
                 "print_newspaper", "print_date", "print_page"):
        setattr(article, name, fields[name])
    article._change_reason = "来源页面内容更新"  # recorded by the revision history
    ports.screen_collected(article)  # issue 7: the source's new text is screened too
    # The story it now matches (newsroom.stories) is saved with it: one change, one revision.
    touched = stories.refold(article, signature)
    with changes.acting(changes.Kind.SOURCE_UPDATE):
        article.save()
    stories.settle(touched)
    return Stored(article=article, outcome="updated", content_hash=digest)


def _matching_story(article: Article | None, signature: fingerprint.Signature) -> Story | None:
    """The story a page's text belongs to (newsroom.stories.matching; `article`: the stored article
    itself, never its own match; None for one not yet stored)."""
    return stories.matching(signature, exclude_article=None if article is None else article.pk)
