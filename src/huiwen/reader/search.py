"""/search: results for words, "phrases" and -exclusions, filtered, ranked or newest first."""

from __future__ import annotations

from typing import TypedDict

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from huiwen.reader.methods import safe_only
from huiwen.search import service
from huiwen.search.forms import MAX_PAGE, MAX_RAW_QUERY, SearchForm
from huiwen.search.query import MAX_QUERY_LENGTH, parse


class _PageLinks(TypedDict):
    number: int
    pages: int
    previous: str | None
    next: str | None
    links: list[tuple[int, str]]


def _page_links(request: HttpRequest, page: int, pages: int) -> _PageLinks:
    def link(number: int) -> str:
        params = request.GET.copy()
        params["page"] = str(number)
        return "?" + params.urlencode()

    window = range(max(1, page - 4), min(pages, page + 4) + 1)
    return {
        "number": page,
        "pages": pages,
        "previous": link(page - 1) if page > 1 else None,
        "next": link(page + 1) if page < pages else None,
        "links": [(number, link(number)) for number in window],
    }


def _too_long(request: HttpRequest, raw: str) -> HttpResponse:
    """A query over the documented limit (MAX_QUERY_LENGTH characters, not encoded bytes): a page
    that says so, with the form holding the part that can be searched."""
    kept = raw[:MAX_QUERY_LENGTH]
    context = {"form": SearchForm({"q": kept}), "search_query": kept, "state": "too_long",
               "length": len(raw), "limit": MAX_QUERY_LENGTH}
    return render(request, "search/results.html", context, status=414)


@safe_only
def search(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("q", "").replace("\x00", "")
    if len(raw) > MAX_QUERY_LENGTH:
        return _too_long(request, raw)
    params = request.GET.copy()
    params["q"] = params.get("q", "")[:MAX_RAW_QUERY].replace("\x00", "")
    form = SearchForm(params)
    context: dict[str, object] = {"form": form, "search_query": params["q"], "state": "start"}
    if not form.is_valid():
        context["state"] = "invalid"
        return render(request, "search/results.html", context, status=400 if params["q"] else 200)
    data = form.cleaned_data
    parsed = parse(data["q"])
    context.update(parsed=parsed, notices=parsed.notices)
    if not data["q"]:
        return render(request, "search/results.html", context)
    if not parsed.searchable:
        context["state"] = "unsearchable"
        return render(request, "search/results.html", context)
    size = settings.HUIWEN["SEARCH_PAGE_SIZE"]
    page = data["page"] or 1
    filters = service.Filters(data["channel"], data["publisher"], data["since"], data["until"])
    order = data["sort"] or "rank"
    results = service.run(parsed, filters, order=order, offset=(page - 1) * size, limit=size)
    pages = min(max(1, -(-results.total // size)), MAX_PAGE, max(1, results.window // size))
    context.update(
        state="results" if results.hits else ("past_end" if results.total else "none"),
        results=results,
        order=order,
        filtered=any([data["channel"], data["publisher"], data["since"], data["until"]]),
        pagination=_page_links(request, page, pages) if pages > 1 else None,
    )
    return render(request, "search/results.html", context, status=404 if context["state"] == "past_end" else 200)
