"""Slow-drip servers: the fetch deadline holds for headers and body at any speed.

The attack (issue 13): a page body sent at 1 byte/s, or headers at 1 byte every 2 s, kept a
worker busy past 1,200 s against a 60 s deadline. Here the deadline is 3 s and the server
sends one byte a second; every fetch must be over within deadline + 2 s, without retrying.
"""

from __future__ import annotations

import time

import pytest

from huiwen.collect.fetch import Fetcher, FetchError, FetchPolicy
from huiwen.collect.models import SourceRun
from huiwen.text.urls import host_key
from tests.abuse.hostile import HostileServer, slow_body, slow_headers

DEADLINE = 3.0
BOUND = DEADLINE + 2.0


def policy_for(server: HostileServer, robots: bool = False) -> FetchPolicy:
    return FetchPolicy(allow_private=True, private_hosts=frozenset({host_key(server.base)}), host_interval=0,
                       obey_robots=robots)


@pytest.fixture
def fetcher():
    # Generous per-operation timeout and retries: only the deadline can stop a drip.
    with Fetcher(contact_url="https://portal.example/about/collector/", timeout=10, deadline=DEADLINE,
                 retries=3, backoff=0.01) as made:
        yield made


def timed_failure(fetcher: Fetcher, url: str, policy: FetchPolicy) -> tuple[float, FetchError]:
    started = time.monotonic()
    with pytest.raises(FetchError) as failed:
        fetcher.fetch(url, policy)
    return time.monotonic() - started, failed.value


@pytest.mark.parametrize("drip", [slow_headers(1.0), slow_headers(2.0), slow_body(1.0)],
                         ids=["headers 1 byte/s", "headers 1 byte/2 s", "body 1 byte/s"])
def test_a_dripping_server_is_cut_off_at_the_deadline(fetcher, drip):
    with HostileServer(drip) as server:
        elapsed, error = timed_failure(fetcher, server.url("/page.html"), policy_for(server))
    assert error.kind == "timeout"
    assert DEADLINE - 0.5 <= elapsed <= BOUND, f"took {elapsed:.1f} s"
    assert server.connections == 1  # a deadline passed is not retried


def test_a_dripping_robots_txt_counts_against_the_same_deadline(fetcher):
    with HostileServer(slow_headers(1.0)) as server:
        elapsed, error = timed_failure(fetcher, server.url("/page.html"), policy_for(server, robots=True))
    assert error.kind == "timeout" and elapsed <= BOUND


def test_a_fast_server_sending_forever_stops_at_the_deadline_or_the_cap(fetcher):
    # 1 KiB every 10 ms: no read ever waits, the deadline still ends it.
    drip = slow_body(per_byte=0.0, size=50_000_000)
    with HostileServer(drip) as server:
        started = time.monotonic()
        with pytest.raises(FetchError) as failed:
            fetcher.fetch(server.url("/big"), policy_for(server))
    assert failed.value.kind in ("timeout", "too_large") and time.monotonic() - started <= BOUND


@pytest.mark.django_db
def test_collecting_from_a_dripping_site_ends_and_records_the_failure(settings, make_source, run_collector):
    settings.COLLECT = {**settings.COLLECT, "DEADLINE": DEADLINE, "TIMEOUT": 10, "RETRIES": 3}
    with HostileServer(slow_headers(1.0)) as server:
        source = make_source("url", server.url("/story.html"))
        started = time.monotonic()
        run_collector(source)
        elapsed = time.monotonic() - started
    # One page, one fetch, one deadline: not three retries of it, not 1,200 s.
    assert elapsed <= BOUND + 1.0, f"took {elapsed:.1f} s"
    run = SourceRun.objects.filter(source=source).latest("pk")
    assert run.failed >= 1
