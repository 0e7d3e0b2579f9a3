"""Small builders for test data: real model instances saved through the real models."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

from django.utils import timezone

from huiwen.newsroom.models import Article, Channel, Publisher

_counter = itertools.count(1)


def channel(slug: str, name: str | None = None, parent: Channel | None = None, **fields) -> Channel:
    made = Channel(slug=slug, name=name or slug, parent=parent, **fields)
    made.full_clean()
    made.save()
    return made


def publisher(name: str = "江南日报", **fields) -> Publisher:
    made, _ = Publisher.objects.get_or_create(name=name, defaults=fields)
    return made


def article(
    channel: Channel,
    title: str | None = None,
    *,
    status: str = Article.Status.PUBLISHED,
    published_at: datetime | None = None,
    hours_ago: float = 1,
    body: str | None = None,
    **fields,
) -> Article:
    number = next(_counter)
    fields.setdefault("publisher", publisher())
    fields.setdefault("source_url", f"https://www.jiangnan-daily.example/2026/{number:06d}.html")
    made = Article(
        title=title or f"测试文章第{number}篇",
        body=body or f"<p>这是测试文章第{number}篇的正文,讲述城市里一条老街的新变化。</p>",
        status=status,
        published_at=published_at or timezone.now() - timedelta(hours=hours_ago),
        channel=channel,
        **fields,
    )
    made.save()
    return made


def editor(real_name: str = "林知远", username: str | None = None):
    """A user with a real name on file: who a direct-publish source's articles are signed by."""
    from django.contrib.auth import get_user_model

    from huiwen.backoffice.models import EditorProfile

    user, _ = get_user_model().objects.get_or_create(username=username or f"editor-{real_name}")
    EditorProfile.objects.update_or_create(user=user, defaults={"real_name": real_name})
    return user


def print_date(days_ago: int = 0) -> date:
    return timezone.localdate() - timedelta(days=days_ago)
