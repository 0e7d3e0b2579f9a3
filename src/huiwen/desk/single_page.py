"""“Collect this URL now” on the desk: an editor pastes an article's address and gets it in review.

The page becomes a single-page source (kind `url`, named after its path, so one host can have
many) and is collected at once through the ordinary collector: the same politeness, private
address refusal, archive, extraction, screening and dedupe as every other page. What an
administrator decided for the host carries over: a page on a host that already has a source
takes that source's publisher, channel and private-address allowance unless the editor chose
otherwise. Whatever the source's settings, the article lands in the review queue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from huiwen.backoffice.audit import audit
from huiwen.collect.models import SeenURL, Source
from huiwen.collect.pipeline import Collector
from huiwen.newsroom.models import Article, AuditEntry, Channel, Publisher
from huiwen.text.urls import BadURL, canonical, host_key, page_name

RECHECK_MINUTES = 24 * 60  # a single page is looked at again once a day, for corrections


@dataclass
class Outcome:
    article: Article | None
    source: Source | None
    problems: list[str] = field(default_factory=list)
    existed: bool = False


def host_source(url: str) -> Source | None:
    """The source an administrator set up for this host, if any (its settings are the host's)."""
    host = host_key(url)
    candidates = Source.objects.exclude(kind=Source.Kind.WARC).select_related("publisher", "channel").order_by("pk")
    return next((source for source in candidates if host_key(source.url) == host), None)


def collect(url: str, user: Any, *, publisher: Publisher | None = None, channel: Channel | None = None) -> Outcome:
    try:
        address = canonical(url)
    except BadURL as error:
        return Outcome(None, None, [f"网址无效:{error}"])
    known = Article.objects.filter(source_url=address).first() or Article.objects.filter(
        seen_urls__url=address).first()
    if known is not None:
        return Outcome(known, None, existed=True)
    model = host_source(address)
    publisher = publisher or (model.publisher if model else None)
    channel = channel or (model.channel if model else None)
    if publisher is None or channel is None:
        return Outcome(None, None, ["这个网站还没有采集来源:请选择来源媒体和频道。"])
    source = _source_for(address, publisher, channel, model)
    collector = Collector()
    try:
        run = collector.run(source)
    finally:
        collector.close()
    seen = SeenURL.objects.filter(url=address).select_related("article").first()
    article = seen.article if seen is not None else None
    if article is None:
        errors = [error.message for error in run.errors.order_by("at")[:3]]
        return Outcome(None, source, errors or ["没有采到文章(页面上可能没有正文)。"])
    audit(AuditEntry.Action.COLLECT, article, user, "编辑粘贴网址采集", url=address, source=source.name)
    return Outcome(article, source)


def _source_for(address: str, publisher: Publisher, channel: Channel, model: Source | None) -> Source:
    with transaction.atomic():
        existing = Source.objects.filter(kind=Source.Kind.URL, url=address).first()
        if existing is not None:
            return existing
        return Source.objects.create(
            name=Source.free_name(page_name(address)), kind=Source.Kind.URL, url=address, publisher=publisher,
            channel=channel, review=True, interval_minutes=RECHECK_MINUTES,
            allow_private=bool(model and model.allow_private and host_key(model.url) == host_key(address)),
            host_interval=model.host_interval if model else 1.0, charset=model.charset if model else "",
        )
