"""Errors are JSON everywhere under /api/: unknown paths, methods, parameters, failures."""

from __future__ import annotations

import pytest
from django.db import OperationalError

from huiwen.api import channels
from tests.api.conftest import API

pytestmark = pytest.mark.django_db

ERROR_KEYS = {"status", "code", "message", "errors"}


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert set(data) == ERROR_KEYS and data["status"] == status and data["code"] == code
    assert " / " in data["message"]  # Chinese / English
    return data


@pytest.mark.parametrize(
    "path", ["/api/", "/api/v1/", "/api/v2/articles", f"{API}/nothing", f"{API}/articles/", f"{API}/channels/x"]
)
def test_unknown_paths_are_json_404(client, path):
    response = client.get(path)
    _error(response, 404, "not_found")
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_other_methods_are_json_405_with_allow(client, method):
    response = getattr(client, method)(f"{API}/articles")
    _error(response, 405, "method_not_allowed")
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD"}


def test_a_failure_is_a_json_500_that_is_not_cached(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(channels.present, "channel_tree", broken)
    response = client.get(f"{API}/channels")
    _error(response, 500, "server_error")
    assert "no-store" in response["Cache-Control"]
    assert "boom" not in response.content.decode()


def test_an_unreachable_database_is_503_with_retry_after(client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(channels.present, "channel_tree", unreachable)
    response = client.get(f"{API}/channels")
    _error(response, 503, "unavailable")
    assert response["Retry-After"] == "5"


def test_errors_are_cacheable_briefly(client, newsroom):
    response = client.get(f"{API}/articles/{newsroom.withdrawn.pk}")
    assert response.status_code == 410
    assert response["Cache-Control"] == "public, max-age=60"
