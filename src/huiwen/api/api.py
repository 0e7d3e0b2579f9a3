"""The NinjaAPI instance: routers, the JSON renderer, and the handlers that keep every failure JSON."""

from __future__ import annotations

import logging
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.renderers import JSONRenderer

from huiwen.api import articles, channels, errors, search
from huiwen.api.errors import ApiError

log = logging.getLogger(__name__)

DESCRIPTION = """汇闻的只读 JSON 接口:文章、频道与搜索。只包含读者在网站上能看到的内容;
被撤下的文章回答 410。/ The read-only JSON API of huiwen: articles, channels and search — exactly
what readers can see on the site. Withdrawn articles answer 410 Gone.

Every answer carries `Cache-Control`, an `ETag` (and `Last-Modified` where the content has a
change time) for conditional requests, and `Access-Control-Allow-Origin: *`. HEAD is answered
as GET without the body. Errors are JSON: `{"status", "code", "message", "errors"}`."""


class Renderer(JSONRenderer):
    # Chinese as UTF-8 rather than \u escapes: a third smaller, and readable.
    json_dumps_params = {"ensure_ascii": False}


class Api(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None,
    ) -> OpenAPISchema:
        """The document without HEAD operations: HEAD is GET without a body (said in the
        description), and listing it again would repeat every operation id."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema["paths"].values():
            operations.pop("head", None)
        return schema


api = Api(
    title="汇闻 huiwen API", version="1", description=DESCRIPTION, renderer=Renderer(),
    urls_namespace="api-v1", docs_url="/docs",
)
api.add_router("", articles.router)
api.add_router("", channels.router)
api.add_router("", search.router)


def _json(request: HttpRequest, status: int, code: str, details: list[dict[str, str]] | None = None) -> HttpResponse:
    return api.create_response(request, errors.body(status, code, details), status=status)


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, error: ApiError) -> HttpResponse:
    return _json(request, error.status, error.code, error.errors)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
    return _json(request, 400, "invalid_parameters", errors.parameter_errors(error.errors))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return _json(request, 404, "not_found")


@api.exception_handler(Exception)
def _failed(request: HttpRequest, error: Exception) -> HttpResponse:
    # A database that is restarting or unreachable is temporary: 503 tells clients to retry.
    if isinstance(error, OperationalError | InterfaceError):
        log.warning("API request failed on the database: %s", error)
        response = _json(request, 503, "unavailable")
        response.headers["Retry-After"] = "5"
        return response
    log.exception("API request failed: %s", request.get_full_path())
    return _json(request, 500, "server_error")
