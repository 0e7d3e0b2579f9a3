"""What the demo's collection produced, in the words the demo prints and its tests check."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from huiwen.newsroom.models import Article
from huiwen.takedown.models import Notice


@dataclass(frozen=True)
class Collected:
    published: int
    pending: int
    screened: int  # pending with words from the sensitive-word lists
    unsure: int  # pending because the page did not state its 来源 or time
    withdrawn: int
    notices_waiting: int  # takedown notices waiting for the compliance officer


def collected(base: str) -> Collected:
    articles = Article.objects.filter(source_url__startswith=base + "/")
    pending = articles.filter(status=Article.Status.PENDING)
    return Collected(
        published=articles.filter(status=Article.Status.PUBLISHED).count(),
        pending=pending.count(),
        screened=pending.filter(screening__level__in=["review", "block"]).count(),
        unsure=pending.filter(Q(attribution__source_fallback=True) | Q(attribution__time_fallback=True)).count(),
        withdrawn=articles.filter(status=Article.Status.WITHDRAWN).count(),
        notices_waiting=Notice.objects.filter(status=Notice.Status.RECEIVED,
                                              articles__source_url__startswith=base + "/").distinct().count(),
    )
