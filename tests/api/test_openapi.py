"""The OpenAPI document and the interactive docs."""

from __future__ import annotations

import pytest

from tests.api.conftest import API

pytestmark = pytest.mark.django_db


def test_document_describes_every_endpoint(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert response["Access-Control-Allow-Origin"] == "*" and response["ETag"]
    doc = response.json()
    assert doc["openapi"].startswith("3.1")
    assert set(doc["paths"]) == {f"{API}/articles", f"{API}/articles/{{article_id}}", f"{API}/channels", f"{API}/search"}
    for operations in doc["paths"].values():
        assert set(operations) == {"get"}  # HEAD is GET without a body, not a second operation
    assert set(doc["paths"][f"{API}/articles/{{article_id}}"]["get"]["responses"]) == {"200", "400", "404", "410"}
    operation_ids = [op["operationId"] for ops in doc["paths"].values() for op in ops.values()]
    assert len(operation_ids) == len(set(operation_ids))


def test_interactive_docs_use_local_assets(client):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert f"{API}/openapi.json" in page
    assert "cdn." not in page  # served from our static files, not a CDN
