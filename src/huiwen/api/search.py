"""/search: the site's search (huiwen.search.service), answered as JSON.

Same parsing, same filters, same ranking, same highlighting and the same page limits as
/search; only the presentation differs. What the page shows as a message is a 200 here too: a
query with nothing to look for gives no hits and a notice, a page past the end gives no hits.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.conf import settings
from django.http import HttpRequest
from ninja import Query, Router

from huiwen.api import params, present
from huiwen.api.schemas import Error, SearchResults
from huiwen.search import service
from huiwen.search.forms import MAX_PAGE
from huiwen.search.query import MAX_QUERY_LENGTH, parse

router = Router(tags=["search"])

UNSEARCHABLE = "搜索词里没有可以查找的词 / The query has no word to look for"

# At most the 200 characters the parser reads (the page cuts longer input with a notice; an API
# says no instead). It also keeps every valid URL under gunicorn's 4094-byte request line, even
# with four-byte characters percent-encoded: a longer limit let valid requests meet a 414 from the
# server (found by schemathesis against the running stack).
QueryParam = Annotated[
    str,
    Query(..., min_length=1, max_length=MAX_QUERY_LENGTH,
          description='关键词:词语、"短语"、-排除词;简繁皆可 / words, "phrases", -exclusions; either script'),
]
SortParam = Annotated[
    Literal["rank", "new"], Query("rank", description="rank 按相关度 / new 最新在前 (newest first)")
]
PageParam = Annotated[int, Query(1, ge=1, le=MAX_PAGE, description="页码 / page number")]


def _pages(total: int, size: int, window: int) -> int:
    """Pages a reader can reach, as the search page counts them."""
    return min(max(1, -(-total // size)), MAX_PAGE, max(1, window // size))


def _answer(query: str, page: int, size: int, notices: list[str], results: service.Results | None) -> dict[str, Any]:
    results = results or service.Results([], 0)
    return {
        "query": query, "total": results.total, "total_exact": results.exact, "page": page,
        "pages": _pages(results.total, size, results.window), "page_size": size, "notices": notices, "hits": [],
    }


@router.api_operation(
    ["GET", "HEAD"], "/search", response={200: SearchResults, 400: Error, 404: Error}, url_name="search",
    summary="搜索 / Search",
)
def search(
    request: HttpRequest, q: QueryParam, channel: params.ChannelParam = None, publisher: params.PublisherParam = None,
    since: params.SinceParam = None, until: params.UntilParam = None, sort: SortParam = "rank", page: PageParam = 1,
) -> dict[str, Any]:
    """Visible articles matching `q`, ranked or newest first, with highlighted titles and snippets
    (escaped HTML, terms in `<mark>`, in the article's own script)."""
    scope = params.scope(channel, publisher, since, until)
    parsed = parse(q.replace("\x00", ""))  # as /search does: NUL cannot reach the database
    size = settings.HUIWEN["SEARCH_PAGE_SIZE"]
    notices = list(parsed.notices)
    if not parsed.searchable:
        return _answer(q, page, size, [*notices, UNSEARCHABLE], None)
    if scope.empty:
        return _answer(q, page, size, notices, None)
    results = service.run(parsed, scope.filters, order=sort, offset=(page - 1) * size, limit=size)
    answer = _answer(q, page, size, notices, results)
    answer["hits"] = [
        {"article": present.article_summary(request, hit.article), "title_html": hit.title, "snippet_html": hit.snippet}
        for hit in results.hits
    ]
    return answer
