"""相关阅读: other visible articles to read next.

A simple ranking for now (same channel first, then the same top-level channel, newest first);
the search issue replaces it with scored relatedness. Candidates come only from visible().
"""

from __future__ import annotations

from huiwen.newsroom.models import Article


def related_articles(article: Article, limit: int) -> list[Article]:
    candidates = Article.objects.visible().exclude(pk=article.pk).for_listing()
    if article.story_id is not None:
        candidates = candidates.exclude(story=article.story_id)  # never another copy of the same work
    chosen = list(candidates.filter(channel=article.channel_id)[:limit])
    if len(chosen) < limit:
        root = article.channel.lineage()[0]
        seen = [item.pk for item in chosen]
        chosen += candidates.in_channel_tree(root).exclude(pk__in=seen)[: limit - len(chosen)]
    return chosen
