"""JSON errors: one small body for every answer that is not a success, in Chinese and English.

    {"status": 404, "code": "article_not_found", "message": "文章不存在或尚未发布 / ...", "errors": []}

`errors` lists the offending parameters of a 400 answer and is empty otherwise. Views raise
ApiError; the API's exception handlers (api.py) and the URL wrapper (http.py) turn everything
else, unknown paths and methods included, into the same shape, so a client never has to parse
an HTML error page.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse

MESSAGES = {
    "not_found": "没有这个接口 / No such API endpoint",
    "article_not_found": "文章不存在或尚未发布 / Article not found or not yet published",
    "article_gone": "文章已撤下 / This article has been withdrawn",
    "channel_not_found": "没有这个频道 / No such channel",
    "publisher_not_found": "没有这个来源 / No such publisher",
    "invalid_parameters": "参数有误 / Invalid parameters",
    "method_not_allowed": "只支持 GET 和 HEAD / Only GET and HEAD are supported",
    "unavailable": "暂时无法服务,请稍后再试 / Temporarily unavailable, please retry",
    "server_error": "服务器出错 / Internal server error",
}


class ApiError(Exception):
    """Raised by a view to answer with an error body instead of its result."""

    def __init__(self, status: int, code: str, errors: list[dict[str, str]] | None = None) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.errors = errors or []


def body(status: int, code: str, errors: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {"status": status, "code": code, "message": MESSAGES[code], "errors": errors or []}


def response(status: int, code: str, errors: list[dict[str, str]] | None = None) -> HttpResponse:
    content = json.dumps(body(status, code, errors), ensure_ascii=False)
    return HttpResponse(content, status=status, content_type="application/json; charset=utf-8")


def parameter_errors(details: list[dict[str, Any]]) -> list[dict[str, str]]:
    """django-ninja's (pydantic's) validation details as {parameter, location, message}."""
    found = []
    for detail in details:
        location = [str(part) for part in detail.get("loc", ())]
        # loc is ("query", "limit") or ("path", "article_id"); ninja may nest a schema name between.
        found.append({
            "parameter": location[-1] if location else "",
            "location": location[0] if location else "",
            "message": str(detail.get("msg", "invalid")),
        })
    return found
