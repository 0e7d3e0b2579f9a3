"""Loading the authored sample content (demo_content.py) into the store, idempotently.

Everything is keyed by natural keys (channel path, publisher name, article URL), so loading
twice changes nothing and a portal that already has content keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from html import escape

from django.db import transaction
from django.utils import timezone

from huiwen.newsroom import demo_content
from huiwen.newsroom import stories as story_service
from huiwen.newsroom.models import Article, Channel, Publisher, Story


@dataclass
class LoadReport:
    channels: int = 0
    publishers: int = 0
    articles: int = 0


def _load_channels(report: LoadReport) -> None:
    def place(spec: demo_content.ChannelSpec, parent: Channel | None, position: int) -> None:
        path = f"{parent.path}/{spec['slug']}" if parent else spec["slug"]
        channel = Channel.objects.filter(path=path).first()
        if channel is None:
            channel = Channel(name=spec["name"], slug=spec["slug"], parent=parent, position=position)
            channel.full_clean()
            channel.save()
            report.channels += 1
        for index, child in enumerate(spec.get("children", []), start=1):
            place(child, channel, index)

    for index, spec in enumerate(demo_content.CHANNELS, start=1):
        place(spec, None, index)


def _load_publishers(report: LoadReport) -> dict[str, Publisher]:
    by_slug: dict[str, Publisher] = {}
    for spec in demo_content.PUBLISHERS:
        publisher, created = Publisher.objects.get_or_create(
            name=spec["name"], defaults={"url": spec["url"], "newspaper": spec.get("newspaper") or ""}
        )
        report.publishers += created
        by_slug[spec["slug"]] = publisher
    return by_slug


def _body_html(spec: demo_content.ArticleSpec) -> str:
    return "".join(f"<p>{escape(paragraph)}</p>" for paragraph in spec["body"])


def _load_articles(report: LoadReport, publishers: dict[str, Publisher]) -> None:
    channels = {channel.path: channel for channel in Channel.objects.all()}
    now = timezone.now().replace(second=0, microsecond=0)
    stories: dict[str, Story] = {}  # the content's story keys: copies of one work (相关阅读 never pairs them)
    for spec in demo_content.ARTICLES:
        if Article.objects.filter(source_url=spec["url"]).exists():
            continue
        story = None
        if spec.get("story"):
            story = stories.get(spec["story"])
            if story is None:
                story = stories[spec["story"]] = story_service.start()  # its original: once its copies are in
        publisher = publishers[spec["publisher"]]
        published_at = now - timedelta(hours=spec["hours_ago"])
        in_print = bool(publisher.newspaper and spec.get("print_page"))
        article = Article(
            title=spec["title"],
            column=spec.get("column", ""),
            original_title=spec.get("original_title", ""),
            original_author=spec.get("original_author", ""),
            editor=spec.get("editor", ""),
            lede=spec.get("lede", ""),
            body=_body_html(spec),
            published_at=published_at,
            publisher=publisher,
            source_url=spec["url"],
            print_newspaper=publisher.newspaper if in_print else "",
            print_date=timezone.localtime(published_at).date() if in_print else None,
            print_page=spec.get("print_page", "") if in_print else "",
            channel=channels[spec["channel"]],
            status=Article.Status.PUBLISHED,
            story=story,
        )
        article.full_clean()
        article.save()
        report.articles += 1
    story_service.settle(list(stories.values()))


def load_demo_content() -> LoadReport:
    report = LoadReport()
    with transaction.atomic():
        _load_channels(report)
        publishers = _load_publishers(report)
        _load_articles(report, publishers)
    return report
