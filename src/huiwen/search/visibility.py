"""Which of some articles are visible, asked through the one rule, looked up by id.

`Article.objects.visible().filter(pk__in=ids)` is correct but lets SQLite's planner scan every
published article through the (status, published_at) index and test each against the list: at
200,000 articles that is tens of milliseconds for a page of ids. Asking the rule per id, as a
correlated EXISTS, keeps the lookup on the primary key and the cost proportional to the ids.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from huiwen.newsroom.models import Article, ArticleQuerySet


def visible_among(ids: object, scope: ArticleQuerySet | None = None) -> ArticleQuerySet:
    """The articles among `ids` (a list, a QuerySet or RawSQL of ids) that `scope` includes.

    `scope` defaults to Article.objects.visible(); pass it narrowed by filters, never widened.
    """
    scope = Article.objects.visible() if scope is None else scope
    return Article.objects.filter(pk__in=ids).filter(Exists(scope.filter(pk=OuterRef("pk"))))
