"""The first middleware: answers the operations endpoints itself and times everything else.

/healthz, /readyz and /metrics are answered before any other middleware runs, so a probe needs
no session, no page cache (whose validity lives in the database), no allowed host name (load
balancers ask by address) and no HTTPS redirect (they ask the backend over plain HTTP).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping

from django.http import HttpRequest, HttpResponse

from huiwen.ops import access, health, metrics

HEALTH, READY, METRICS = "/healthz", "/readyz", "/metrics"


def _json(payload: Mapping[str, object], status: int = 200) -> HttpResponse:
    response = HttpResponse(json.dumps(payload, ensure_ascii=False), status=status,
                            content_type="application/json; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def healthz(request: HttpRequest) -> HttpResponse:
    return _json({"status": "ok"})


def readyz(request: HttpRequest) -> HttpResponse:
    checks = health.readiness()
    ready = all(check.ok for check in checks)
    detailed = access.may_read_metrics(request)
    payload = {
        "status": "ready" if ready else "not ready",
        "checks": {
            check.name: ({"ok": check.ok, "detail": check.detail, "value": check.value, "ms": check.ms}
                         if detailed else {"ok": check.ok})
            for check in checks
        },
    }
    return _json(payload, 200 if ready else 503)


def metrics_view(request: HttpRequest) -> HttpResponse:
    if not access.may_read_metrics(request):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain; charset=utf-8")
    response = HttpResponse(metrics.exposition(), content_type=metrics.CONTENT_TYPE)
    response["Cache-Control"] = "no-store"
    return response


ENDPOINTS: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    HEALTH: healthz, READY: readyz, METRICS: metrics_view,
}


class OperationsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        endpoint = ENDPOINTS.get(request.path_info)
        if endpoint is not None:
            if request.method not in ("GET", "HEAD"):
                response = HttpResponse(status=405)
                response["Allow"] = "GET, HEAD"
                return response
            return endpoint(request)
        started = time.perf_counter()
        response = self.get_response(request)
        cache = response.headers.get("X-Huiwen-Cache")  # set by the page cache: hit or miss
        metrics.observe(request, response.status_code, time.perf_counter() - started, cache)
        return response
