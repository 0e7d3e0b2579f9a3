"""/articles (newest first, filtered, keyset-paged) and /articles/{id}: visible articles only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router

from huiwen.api import cursor as keyset
from huiwen.api import params, present
from huiwen.api.errors import ApiError
from huiwen.api.http import set_last_modified
from huiwen.api.schemas import ArticleDetail, ArticlePage, Error
from huiwen.newsroom.models import Article, ArticleQuerySet
from huiwen.search.service import Filters, in_scope, visible_articles

router = Router(tags=["articles"])

LimitParam = Annotated[
    int,
    Query(settings.HUIWEN["API_PAGE_SIZE"], ge=1, le=settings.HUIWEN["API_MAX_PAGE_SIZE"],
          description="每页篇数 / articles per page"),
]
if TYPE_CHECKING:  # None when left out; declared without `| None` for the document (see api.params)
    CursorParam = str | None
else:
    CursorParam = Annotated[
        str,
        Query(None, pattern=keyset.PATTERN, description="上一页的 next_cursor / next_cursor of the previous page"),
    ]


def _changed_scope(filters: Filters) -> ArticleQuerySet:
    """All articles the list could show, visible or not: what last_change() must look at."""
    return in_scope(Article.objects.all(), filters)


def _next_url(request: HttpRequest, next_cursor: str | None) -> str | None:
    if next_cursor is None:
        return None
    query = request.GET.copy()
    query["cursor"] = next_cursor
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


@router.api_operation(
    ["GET", "HEAD"], "/articles", response={200: ArticlePage, 400: Error, 404: Error}, url_name="articles",
    summary="文章列表 / Articles, newest first",
)
def article_list(
    request: HttpRequest, response: HttpResponse, channel: params.ChannelParam = None,
    publisher: params.PublisherParam = None, since: params.SinceParam = None,
    until: params.UntilParam = None, limit: LimitParam = settings.HUIWEN["API_PAGE_SIZE"],
    cursor: CursorParam = None,
) -> dict[str, Any]:
    """Visible articles, newest first. Filters combine; a channel includes its sub-channels.
    Page with `next_cursor` until it is null."""
    scope = params.scope(channel, publisher, since, until)
    set_last_modified(response, _changed_scope(scope.filters).last_change())
    articles: list[Article] = []
    if not scope.empty:
        visible = visible_articles(scope.filters).for_listing()
        if cursor is not None:
            visible = keyset.after(visible, cursor)
        articles = list(visible[: limit + 1])  # one more tells whether a next page exists
    more = len(articles) > limit
    articles = articles[:limit]
    next_cursor = keyset.encode(articles[-1]) if more else None
    return {
        "items": [present.article_summary(request, article) for article in articles],
        "limit": limit,
        "next_cursor": next_cursor,
        "next_url": _next_url(request, next_cursor),
    }


@router.api_operation(
    ["GET", "HEAD"], "/articles/{article_id}", response={200: ArticleDetail, 400: Error, 404: Error, 410: Error},
    url_name="article", summary="文章 / One article with its attribution",
)
def article_detail(
    request: HttpRequest, response: HttpResponse,
    article_id: Annotated[int, Path(ge=1, le=params.MAX_ID, description="文章 id / article id")],
) -> dict[str, Any]:
    """A visible article with all its attribution. Withdrawn: 410; not visible (draft, pending,
    embargoed, in a hidden channel) or missing: 404 — as on the article page."""
    found = Article.objects.visible().select_related("channel", "publisher").filter(pk=article_id).first()
    if found is None:
        if Article.objects.filter(pk=article_id, status=Article.Status.WITHDRAWN).exists():
            raise ApiError(410, "article_gone")
        raise ApiError(404, "article_not_found")
    # As ArticleQuerySet.last_change() counts it: an embargoed article changes when it goes live.
    set_last_modified(response, max(found.updated_at, found.published_at))
    return present.article_detail(request, found)
