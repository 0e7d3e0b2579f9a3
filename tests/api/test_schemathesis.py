"""The API against its own OpenAPI document, with schemathesis, in-process (WSGI), on a real database.

Schemathesis generates requests from the document — valid ones and, deliberately, invalid ones —
and checks every answer: no 5xx, a documented status code, a body that matches the documented
schema and content type, valid data accepted (2xx/404), invalid data rejected (4xx), other methods
answered 405. The newsroom fixture gives it published, draft, pending, embargoed, hidden-channel
and withdrawn articles to find. Bounded by MAX_EXAMPLES to keep the run well under a minute.

Generated ids rarely hit a fixture article, so test_every_article_state_conforms also sends
schemathesis cases naming each fixture article (visible, hidden in every way, withdrawn) and
queries that have hits, so the 200 and 410 bodies are validated against the document too.

The document is taken from the API object rather than fetched at import time (no request, so no
database, before the test database exists); test_served_document_is_the_one_tested checks that
/api/v1/openapi.json serves exactly this document. (schemathesis.pytest.from_fixture would fetch
it lazily, but schemathesis 4.32 reads a node attribute pytest 9 no longer has.)
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from ninja.responses import NinjaJSONEncoder

from huiwen.api.api import api
from tests.api.conftest import API

MAX_EXAMPLES = 200  # per operation: the module takes about 25 s on SQLite or PostgreSQL


def _document() -> dict:
    return json.loads(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder))


schema = schemathesis.openapi.from_dict(_document())
schema.app = WSGIHandler()
schema.config.generation.update(max_examples=MAX_EXAMPLES)
# A valid id may name a withdrawn article: 410 Gone is the documented answer, not a rejection.
schema.config.checks.positive_data_acceptance.expected_statuses = [
    *schema.config.checks.positive_data_acceptance.expected_statuses, "410"]


@pytest.fixture
def _keep_test_connection():
    # As Django's test client does: the app must not close the test's connection after a request,
    # or the transaction holding the fixture articles would be lost.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


pytestmark = [
    # The page cache (huiwen.publish) looks up every request, and warns about the long keys the
    # generated query strings make; it is not what this module tests.
    pytest.mark.filterwarnings("ignore::django.core.cache.backends.base.CacheKeyWarning"),
]


@pytest.mark.django_db
def test_served_document_is_the_one_tested(client):
    assert client.get(f"{API}/openapi.json").json() == _document()


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_document(case, newsroom, _keep_test_connection):
    case.call_and_validate()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "status"),
    [("full", 200), ("china_story", 200), ("draft", 404), ("pending", 404), ("embargoed", 404),
     ("in_hidden", 404), ("withdrawn", 410)],
)
def test_every_article_state_conforms(newsroom, _keep_test_connection, kind, status):
    operation = schema[f"{API}/articles/{{article_id}}"]["GET"]
    response = operation.Case(path_parameters={"article_id": getattr(newsroom, kind).pk}).call_and_validate()
    assert response.status_code == status


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "query"),
    [("/articles", {}), ("/articles", {"channel": "news", "limit": 1}), ("/articles", {"publisher": None}),
     ("/search", {"q": "绿道"}), ("/search", {"q": "绿道", "sort": "new", "channel": "news"}),
     ("/search", {"q": "-绿道"}), ("/channels", {})],
)
def test_answers_with_content_conform(newsroom, _keep_test_connection, path, query):
    if "publisher" in query:
        query = {"publisher": newsroom.daily.pk}
    response = schema[f"{API}{path}"]["GET"].Case(query=query).call_and_validate()
    assert response.status_code == 200
    items = response.json().get("items") or response.json().get("hits") or response.json().get("channels")
    assert items or query.get("q") == "-绿道"
