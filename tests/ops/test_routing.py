"""Who may read metrics, and which database a request reads from (the router, in process)."""

from __future__ import annotations

from django.test import RequestFactory

from huiwen.collect.models import Source
from huiwen.newsroom.models import Article, Channel, TagVersion
from huiwen.ops import access, routers
from huiwen.takedown.models import Notice


def _request(path="/", method="get", remote="127.0.0.1", **headers):
    return getattr(RequestFactory(), method)(path, REMOTE_ADDR=remote, **headers)


def test_metrics_access_by_address_network_and_token(settings):
    settings.OPS = {**settings.OPS, "METRICS_ALLOW": ["127.0.0.1", "10.8.0.0/16"], "METRICS_TOKEN": "t0ken"}
    settings.PROXY_ADDRESSES = frozenset({"127.0.0.1"})
    assert access.may_read_metrics(_request(remote="10.8.3.4"))
    assert not access.may_read_metrics(_request(remote="10.9.0.1"))
    assert access.may_read_metrics(_request(remote="::ffff:10.8.0.9"))  # IPv4 seen through an IPv6 socket
    assert not access.may_read_metrics(_request(remote="127.0.0.1", HTTP_X_REAL_IP="198.51.100.7"))
    assert access.may_read_metrics(_request(remote="127.0.0.1", HTTP_X_REAL_IP="10.8.1.1"))
    assert not access.may_read_metrics(_request(remote="10.8.3.4", HTTP_X_FORWARDED_FOR="198.51.100.7"))
    assert access.may_read_metrics(_request(remote="198.51.100.7", HTTP_AUTHORIZATION="Bearer t0ken"))
    assert not access.may_read_metrics(_request(remote="198.51.100.7", HTTP_AUTHORIZATION="Bearer t0ke"))
    assert not access.may_read_metrics(_request(remote="not-an-address"))
    settings.OPS = {**settings.OPS, "METRICS_TOKEN": ""}
    assert not access.may_read_metrics(_request(remote="198.51.100.7", HTTP_AUTHORIZATION="Bearer "))


def test_router_sends_reader_reads_to_the_replica_and_the_rest_to_the_primary():
    router = routers.ReplicaRouter()
    seen: dict[str, str | None] = {}

    def view(request):
        seen.update(article=router.db_for_read(Article), channel=router.db_for_read(Channel),
                    tags=router.db_for_read(TagVersion), notice=router.db_for_read(Notice),
                    source=router.db_for_read(Source), write=router.db_for_write(Article))
        return None

    middleware = routers.ReplicaReadsMiddleware(view)
    assert middleware.aliases == []  # none configured here: every read goes to the primary
    middleware(_request("/a/7.html"))
    assert seen["article"] is None
    middleware.aliases = ["replica1"]  # as with HUIWEN_DATABASE_REPLICAS=<one URL>
    middleware(_request("/a/7.html"))
    assert seen == {"article": "replica1", "channel": "replica1", "tags": None, "notice": None, "source": None,
                    "write": "default"}
    for request in (_request("/a/7.html", method="post"), _request("/newsroom/queue/"), _request("/admin/"),
                    _request("/takedown/")):
        middleware(request)
        assert seen["article"] is None, request.path
    assert router.db_for_read(Article) is None  # outside a request
    assert router.allow_migrate("default", "newsroom") and not router.allow_migrate("replica1", "newsroom")
