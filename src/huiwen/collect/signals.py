"""An editor who sets a collected article's 来源 or time by hand confirms it (issue 16).

The collector marks articles whose 来源 fell back to the source's publisher, or whose time fell
back to the fetch time (collect.Attribution); the review queue lists them as 来源待确认. A
revision made by a user that changes the publisher (or the time) settles that mark.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from simple_history.signals import post_create_historical_record

from huiwen.newsroom.models import Article


@receiver(post_create_historical_record, sender=Article.history.model)  # type: ignore[attr-defined]
def confirm_by_hand(sender: Any, instance: Article, history_instance: Any, **kwargs: Any) -> None:
    from huiwen.collect.models import Attribution

    if history_instance.history_user_id is None or history_instance.history_type != "~":
        return
    previous = history_instance.prev_record
    if previous is None:
        return
    settled: dict[str, bool] = {}
    if previous.publisher_id != history_instance.publisher_id:
        settled["source_fallback"] = False
    if previous.published_at != history_instance.published_at:
        settled["time_fallback"] = False
    if settled:
        Attribution.objects.filter(article_id=instance.pk).update(**settled)
