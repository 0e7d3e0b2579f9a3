"""相关阅读: scored relatedness from huiwen.search.related (issue 5).

Content similarity of weighted title and body terms, a same-channel bonus and recency decay,
stored when an article is published or changed and refreshed when a candidate is withdrawn.
Items are read through Article.objects.visible() and never include the article itself or
another copy of the same story.
"""

from __future__ import annotations

from huiwen.newsroom.models import Article
from huiwen.search.related import related_articles as _scored


def related_articles(article: Article, limit: int) -> list[Article]:
    return _scored(article, limit)
