"""The fetcher against hostile and broken servers on loopback."""

from __future__ import annotations

import time
import tracemalloc

import pytest

from huiwen.collect.fetch import Fetcher, FetchError, FetchPolicy, Throttle
from huiwen.text.urls import host_key
from tests.sites.server import Reply, gzip_bomb

CONTACT = "https://portal.example/about/collector/"


@pytest.fixture
def fetcher():
    with Fetcher(contact_url=CONTACT, max_bytes=1024 * 1024, timeout=2, deadline=2, retries=3, backoff=0.01) as made:
        yield made


@pytest.fixture
def policy(site):
    return FetchPolicy(allow_private=True, private_hosts=frozenset({host_key(site.base)}), host_interval=0)


def test_user_agent_names_huiwen_and_contact(site, fetcher, policy):
    site.page("/a.html", "<p>好</p>")
    response = fetcher.fetch(site.url("/a.html"), policy)
    assert response.status == 200 and response.body == "<p>好</p>".encode()
    agent = site.requests_for("/a.html")[0].headers["user-agent"]
    assert agent.startswith("huiwen/") and CONTACT in agent


def test_redirects_followed_and_recorded(site, fetcher, policy):
    site.add("/old", Reply(status=301, headers={"Location": "/middle"}))
    site.add("/middle", Reply(status=302, headers={"Location": site.url("/new")}))
    site.page("/new", "到了")
    response = fetcher.fetch(site.url("/old"), policy)
    assert response.final_url == site.url("/new") and response.redirects == [site.url("/middle"), site.url("/new")]


def test_redirect_loop_and_too_many_redirects(site, fetcher, policy):
    site.add("/loop-a", Reply(status=302, headers={"Location": "/loop-b"}))
    site.add("/loop-b", Reply(status=302, headers={"Location": "/loop-a"}))
    with pytest.raises(FetchError) as loop:
        fetcher.fetch(site.url("/loop-a"), policy)
    assert loop.value.kind == "redirect_loop"
    for number in range(8):
        site.add(f"/hop{number}", Reply(status=302, headers={"Location": f"/hop{number + 1}"}))
    with pytest.raises(FetchError) as chain:
        fetcher.fetch(site.url("/hop0"), policy)
    assert chain.value.kind == "too_many_redirects"
    assert len(site.requests_for("/hop6")) == 0  # stopped after five redirects


def test_server_error_then_success_is_retried(site, fetcher, policy):
    site.add("/flaky", lambda request: Reply(status=500) if request.count == 1 else Reply(body=b"ok"))
    response = fetcher.fetch(site.url("/flaky"), policy)
    assert response.status == 200 and len(site.requests_for("/flaky")) == 2


def test_persistent_server_error_gives_up_with_the_status(site, fetcher, policy):
    site.add("/down", Reply(status=503))
    response = fetcher.fetch(site.url("/down"), policy)
    assert response.status == 503 and len(site.requests_for("/down")) == 3


def test_slow_drip_hits_the_deadline(site, fetcher, policy):
    site.add("/slow", Reply(body=b"x" * 40, chunk=1, drip=0.1))
    started = time.monotonic()
    with pytest.raises(FetchError) as slow:
        fetcher.fetch(site.url("/slow"), policy)
    assert slow.value.kind == "timeout"
    assert time.monotonic() - started < 15


def test_oversized_body_refused(site, fetcher, policy):
    site.add("/huge", Reply(body=b"a" * (2 * 1024 * 1024)))
    with pytest.raises(FetchError) as huge:
        fetcher.fetch(site.url("/huge"), policy)
    assert huge.value.kind == "too_large"


def test_gzip_bomb_stops_at_the_cap_in_bounded_memory(site, fetcher, policy):
    bomb = gzip_bomb(512 * 1024 * 1024)
    assert len(bomb) < 1024 * 1024
    site.add("/bomb", Reply(body=bomb, headers={"Content-Encoding": "gzip", "Content-Type": "text/html"}))
    tracemalloc.start()
    with pytest.raises(FetchError) as exploded:
        fetcher.fetch(site.url("/bomb"), policy)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert exploded.value.kind == "too_large"
    assert peak < 32 * 1024 * 1024


def test_gzip_body_is_decoded(site, fetcher, policy):
    import gzip

    site.add("/zipped", Reply(body=gzip.compress("压缩的正文".encode()), headers={"Content-Encoding": "gzip"}))
    assert fetcher.fetch(site.url("/zipped"), policy).body == "压缩的正文".encode()


def test_deflate_bodies_are_decoded_with_or_without_the_zlib_header(site, fetcher, policy):
    """Content-Encoding: deflate means a zlib stream, but servers also send raw deflate (no
    header): the decoder retries that once. A body that is neither is a clear error."""
    import zlib

    text = "压缩的正文,第二种压缩方式。".encode() * 20
    raw = zlib.compressobj(9, zlib.DEFLATED, -15)
    site.add("/zlib", Reply(body=zlib.compress(text), headers={"Content-Encoding": "deflate"}))
    site.add("/raw", Reply(body=raw.compress(text) + raw.flush(), headers={"Content-Encoding": "deflate"}))
    site.add("/junk", Reply(body=b"\x00not deflate at all" * 4, headers={"Content-Encoding": "deflate"}))
    assert fetcher.fetch(site.url("/zlib"), policy).body == text
    assert fetcher.fetch(site.url("/raw"), policy).body == text
    with pytest.raises(FetchError) as corrupt:
        fetcher.fetch(site.url("/junk"), policy)
    assert corrupt.value.kind == "bad_encoding"


def test_private_addresses_refused_unless_the_source_allows_its_own_host(site, fetcher):
    site.page("/a.html", "内网")
    with pytest.raises(FetchError) as refused:
        fetcher.fetch(site.url("/a.html"), FetchPolicy(host_interval=0))
    assert refused.value.kind == "refused_address"
    assert site.requests_for("/a.html") == []
    with pytest.raises(FetchError) as metadata:
        fetcher.fetch("http://169.254.169.254/latest/meta-data/", FetchPolicy(host_interval=0))
    assert metadata.value.kind == "refused_address"


def test_redirect_to_another_private_host_refused(site, fetcher, policy):
    site.add("/jump", Reply(status=302, headers={"Location": f"http://127.0.0.2:{site.port}/secret"}))
    with pytest.raises(FetchError) as refused:
        fetcher.fetch(site.url("/jump"), policy)
    assert refused.value.kind == "refused_address"
    assert site.requests_for("/secret") == []


def test_unreachable_robots_means_disallow(site, fetcher, policy):
    site.add("/robots.txt", Reply(status=500))
    site.page("/a.html", "页面")
    with pytest.raises(FetchError) as blocked:
        fetcher.fetch(site.url("/a.html"), policy)
    # Still nothing fetched (RFC 9309), but reported as a failure of the host, not as a rule (issue 15).
    assert blocked.value.kind == "network" and "robots.txt unreachable (HTTP 500)" in str(blocked.value)
    assert site.requests_for("/a.html") == []


def test_missing_robots_means_allow(site, fetcher, policy):
    site.routes.pop("/robots.txt")
    site.page("/a.html", "页面")
    assert fetcher.fetch(site.url("/a.html"), policy).status == 200


def test_throttle_spaces_one_host_only():
    clock = [0.0]
    slept: list[float] = []
    throttle = Throttle(clock=lambda: clock[0], sleep=slept.append)
    throttle.wait("a.example", 2.0)
    throttle.wait("a.example", 2.0)
    throttle.wait("b.example", 2.0)
    assert slept == [2.0]
