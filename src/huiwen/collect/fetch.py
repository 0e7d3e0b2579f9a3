"""Polite, defensive HTTP fetching with httpx.

Polite: robots.txt (with Crawl-delay) obeyed per host, a minimum interval between requests to
one host, conditional GET, a User-Agent that names huiwen and where to reach its operator.
Defensive: private addresses refused after resolution and on every redirect, at most five
redirects, a cap on the body enforced while it streams (after decompression, so a gzip bomb
stops at the cap), a deadline for the whole response (so a server dripping one byte a second
cannot hold a worker), retries with exponential backoff on timeouts, 429 and 5xx.

The deadline covers everything one fetch() does on the network: name resolution, connecting, the
TLS handshake, sending, the status line and headers, the body, redirects, retries and robots.txt.
httpx's own timeouts are per operation (a server sending one byte every few seconds never trips
them), so the connection's every socket operation is given at most the time left before the
deadline (`_DeadlineBackend`, under httpcore), and an operation that would start after it fails.
Waiting for our own politeness interval does not count against the server.
"""

from __future__ import annotations

import contextvars
import logging
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, Protocol
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpcore
import httpx
from protego import Protego

from huiwen import __version__
from huiwen.collect.netguard import Destination, RefusedAddress, resolve
from huiwen.text.urls import BadURL, host_key

log = logging.getLogger(__name__)

REDIRECTS = {301, 302, 303, 307, 308}
RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_REDIRECTS = 5


# When the fetch in progress on this thread must be over (time.monotonic()), or None outside fetch().
_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("huiwen_fetch_deadline", default=None)


class DeadlinePassed(Exception):
    """The fetch's deadline passed: raised instead of starting another operation."""


def _time_left(timeout: float | None) -> float | None:
    """`timeout` bounded by the time left before the deadline; DeadlinePassed when none is left."""
    deadline = _deadline.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise DeadlinePassed
    return left if timeout is None else min(timeout, left)


@contextmanager
def _deadline_in(seconds: float) -> Iterator[None]:
    """Everything inside must be done within `seconds` (or the outer deadline, if sooner)."""
    mine = time.monotonic() + seconds
    outer = _deadline.get()
    token = _deadline.set(mine if outer is None else min(outer, mine))
    try:
        yield
    finally:
        _deadline.reset(token)


def _extend_deadline(seconds: float) -> None:
    """Our own waiting (the per-host interval) is not the server's time."""
    deadline = _deadline.get()
    if deadline is not None and seconds > 0:
        _deadline.set(deadline + seconds)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read, write and handshake ends by the fetch's deadline."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            return self._stream.read(max_bytes, _time_left(timeout))
        except DeadlinePassed as passed:
            raise httpcore.ReadTimeout("deadline passed") from passed

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        try:
            self._stream.write(buffer, _time_left(timeout))
        except DeadlinePassed as passed:
            raise httpcore.WriteTimeout("deadline passed") from passed

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        try:
            return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, _time_left(timeout)))
        except DeadlinePassed as passed:
            raise httpcore.ConnectTimeout("deadline passed") from passed

    def get_extra_info(self, info: str) -> object:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self._backend = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        try:
            bounded = _time_left(timeout)
        except DeadlinePassed as passed:
            raise httpcore.ConnectTimeout("deadline passed") from passed
        return _DeadlineStream(self._backend.connect_tcp(host, port, bounded, local_address, socket_options))

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("the collector does not use Unix sockets")

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class _DeadlineTransport(httpx.HTTPTransport):
    """httpx's transport on a connection pool whose connections keep the fetch's deadline."""

    def __init__(self) -> None:
        super().__init__(trust_env=False)
        # HTTPTransport builds its pool with httpcore's default backend and has no parameter for
        # another; the pool it sends through is `_pool` (httpx 0.28-0.29, pinned in pyproject).
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False), max_connections=100,
            max_keepalive_connections=20, keepalive_expiry=5.0, network_backend=_DeadlineBackend(),
        )


# Name lookups run here, so one that hangs (a hostile or broken DNS server) cannot outlast the
# deadline; the lookup itself ends by the system resolver's own timeout.
_resolver = ThreadPoolExecutor(max_workers=8, thread_name_prefix="huiwen-resolve")


def _resolve_in_time(host: str, port: int, allow: bool) -> Destination:
    future = _resolver.submit(resolve, host, port, allow)
    try:
        return future.result(timeout=_time_left(None))
    except FutureTimeout as late:
        raise DeadlinePassed from late


class FetchError(Exception):
    """A fetch that produced no usable response. `kind` says why, for the per-source summary."""

    def __init__(self, kind: str, message: str, url: str) -> None:
        super().__init__(f"{kind}: {message} ({url})")
        self.kind = kind
        self.url = url


@dataclass
class Response:
    url: str
    final_url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    request_headers: list[tuple[str, str]]
    fetched_at: float
    redirects: list[str] = field(default_factory=list)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((value for key, value in self.headers if key.lower() == lowered), None)


@dataclass(frozen=True)
class FetchPolicy:
    """How to fetch for one source."""

    allow_private: bool = False
    # Hosts (host[:port]) whose private addresses are allowed: the source's own host only, so
    # an allowed intranet source cannot redirect the collector to some other internal address.
    private_hosts: frozenset[str] = frozenset()
    host_interval: float = 1.0
    obey_robots: bool = True


class HostClock(Protocol):
    """What spaces a fetcher's requests to one host (Throttle here, throttle.RedisThrottle across workers)."""

    def wait(self, host: str, interval: float) -> float: ...


class Throttle:
    """Minimum interval between requests to one host, shared by the threads of a process."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep):
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()
        self._clock, self._sleep = clock, sleep

    def wait(self, host: str, interval: float) -> float:
        with self._lock:
            now = self._clock()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + interval
        delay = start - now
        if delay > 0:
            self._sleep(delay)
        return delay


@dataclass
class _Robots:
    parser: Protego | None  # None: everything allowed (no robots.txt)
    disallow_all: bool = False
    unreachable: str = ""  # why robots.txt could not be read (then disallow_all): a failure, not a rule

    def allowed(self, url: str, agent: str) -> bool:
        if self.disallow_all:
            return False
        return True if self.parser is None else bool(self.parser.can_fetch(url, agent))

    def crawl_delay(self, agent: str) -> float:
        if self.parser is None:
            return 0.0
        delay = self.parser.crawl_delay(agent)
        return float(delay) if delay else 0.0


def user_agent(contact_url: str) -> str:
    return f"huiwen/{__version__} (+{contact_url})"


class Fetcher:
    def __init__(
        self,
        *,
        contact_url: str,
        max_bytes: int = 10 * 1024 * 1024,
        timeout: float = 15.0,
        deadline: float = 60.0,
        retries: int = 3,
        backoff: float = 1.0,
        throttle: HostClock | None = None,
    ) -> None:
        self.agent = user_agent(contact_url)
        self.robots_token = "huiwen"
        self.max_bytes = max_bytes
        self.deadline = deadline
        self.retries = retries
        self.backoff = backoff
        self.throttle = throttle or Throttle()
        self._robots: dict[str, _Robots] = {}
        self._robots_lock = threading.Lock()
        self._client = httpx.Client(
            transport=_DeadlineTransport(),
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            follow_redirects=False,  # followed by hand: each hop is checked
            trust_env=False,  # no proxy from the environment can bypass the address checks
            headers={"User-Agent": self.agent, "Accept-Encoding": "gzip, deflate"},
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the public call -------------------------------------------------------------------

    def fetch(
        self,
        url: str,
        policy: FetchPolicy,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        referer: str | None = None,
        accept: str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    ) -> Response:
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if referer:
            headers["Referer"] = referer
        with _deadline_in(self.deadline):
            try:
                return self._follow(url, headers, policy)
            except DeadlinePassed as passed:
                raise self._late(url) from passed

    def _late(self, url: str) -> FetchError:
        return FetchError("timeout", f"response not complete after {self.deadline:.0f} s", url)

    def _follow(self, url: str, headers: dict[str, str], policy: FetchPolicy) -> Response:
        current, hops = url, list[str]()
        for _ in range(MAX_REDIRECTS + 1):
            response = self._fetch_with_retries(current, headers, policy)
            location = response.header("location")
            if response.status not in REDIRECTS or not location:
                response.url, response.redirects = url, hops
                return response
            target = urljoin(current, location.strip())
            if target in hops or target == url:
                raise FetchError("redirect_loop", f"redirect loop back to {target}", url)
            hops.append(target)
            current = target
            # Conditional headers belong to the first URL only.
            headers.pop("If-None-Match", None)
            headers.pop("If-Modified-Since", None)
        raise FetchError("too_many_redirects", f"more than {MAX_REDIRECTS} redirects", url)

    def robots_allowed(self, url: str, policy: FetchPolicy) -> bool:
        if not policy.obey_robots:
            return True
        with _deadline_in(self.deadline):
            try:
                return self._robots_for(url, policy).allowed(url, self.robots_token)
            except DeadlinePassed as passed:
                raise self._late(url) from passed

    # -- internals -------------------------------------------------------------------------

    def _fetch_with_retries(self, url: str, headers: dict[str, str], policy: FetchPolicy) -> Response:
        if not self.robots_allowed(url, policy):
            unreachable = self._robots_for(url, policy).unreachable
            if unreachable:  # the host did not answer: for the source's health a failed fetch (issue 15)
                raise FetchError("network", f"robots.txt unreachable ({unreachable}): not fetching for now", url)
            raise FetchError("robots", "disallowed by robots.txt", url)
        host = host_key(url)
        interval = max(policy.host_interval, self._robots_for(url, policy).crawl_delay(self.robots_token)
                       if policy.obey_robots else 0.0)
        for attempt in range(self.retries):
            _extend_deadline(self.throttle.wait(host, interval))
            try:
                response = self._send(url, headers, policy)
            except (httpx.TimeoutException, httpx.TransportError) as error:
                _time_left(None)  # past the deadline: no retry, the server has had its time
                if attempt + 1 == self.retries:
                    kind = "timeout" if isinstance(error, httpx.TimeoutException) else "network"
                    raise FetchError(kind, str(error) or type(error).__name__, url) from error
                self._pause(attempt, None)
                continue
            if response.status in RETRY_STATUSES and attempt + 1 < self.retries:
                self._pause(attempt, response.header("retry-after"))
                continue
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def _pause(self, attempt: int, retry_after: str | None) -> None:
        delay = self.backoff * (2**attempt)
        if retry_after:
            delay = max(delay, min(_retry_after_seconds(retry_after), 60.0))
        left = _time_left(None)
        if left is not None and delay >= left:
            raise DeadlinePassed  # the retry could not start before the deadline
        time.sleep(delay)

    def _send(self, url: str, headers: dict[str, str], policy: FetchPolicy) -> Response:
        try:
            parts = urlsplit(url)
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as error:
            raise FetchError("bad_url", str(error), url) from error
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError("bad_url", "only http(s) URLs with a host", url)
        allow = policy.allow_private and host_key(url) in policy.private_hosts
        try:
            destination = _resolve_in_time(parts.hostname, port, allow)
        except RefusedAddress as error:
            raise FetchError("refused_address", str(error), url) from error
        # Connect to the address that was checked; Host and SNI carry the name.
        address = f"[{destination.address}]" if ":" in destination.address else destination.address
        pinned = urlunsplit((parts.scheme, f"{address}:{port}", parts.path or "/", parts.query, ""))
        request_headers = {**headers, "Host": parts.netloc}
        request = self._client.build_request(
            "GET", pinned, headers=request_headers, extensions={"sni_hostname": parts.hostname}
        )
        started = time.time()
        try:
            response = self._client.send(request, stream=True)
        except httpx.TimeoutException:
            _time_left(None)  # DeadlinePassed when that is why the server's answer did not come
            raise
        try:
            body = self._read_body(response, url)
        except httpx.TimeoutException:
            _time_left(None)
            raise
        finally:
            response.close()
        sent = [(key, value) for key, value in request.headers.items()]
        kept = [(k, v) for k, v in response.headers.multi_items()
                if k.lower() not in ("content-encoding", "transfer-encoding", "content-length")]
        kept.append(("Content-Length", str(len(body))))
        return Response(url=url, final_url=url, status=response.status_code, headers=kept, body=body,
                        request_headers=sent, fetched_at=started)

    def _read_body(self, response: httpx.Response, url: str) -> bytes:
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes and \
                not response.headers.get("content-encoding"):
            raise FetchError("too_large", f"Content-Length {declared} over the {self.max_bytes} byte cap", url)
        decoder = _decoder(response.headers.get("content-encoding", ""))
        chunks: list[bytes] = []
        size = 0
        for raw in response.iter_raw(65536):
            _time_left(None)  # a fast server sending forever is stopped too (and by the cap)
            for piece in decoder(raw, self.max_bytes - size + 1):
                size += len(piece)
                if size > self.max_bytes:
                    raise FetchError("too_large", f"body over the {self.max_bytes} byte cap", url)
                chunks.append(piece)
        return b"".join(chunks)

    def _robots_for(self, url: str, policy: FetchPolicy) -> _Robots:
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        with self._robots_lock:
            cached = self._robots.get(key)
        if cached is not None:
            return cached
        robots_url = f"{key}/robots.txt"
        try:
            response = self._send(robots_url, {"Accept": "text/plain"}, policy)
            if response.status in REDIRECTS and response.header("location"):
                response = self._send(urljoin(robots_url, response.header("location") or ""), {}, policy)
        except FetchError as error:
            if error.kind == "refused_address":
                raise
            log.warning("robots.txt of %s unreachable (%s): disallowing for now", key, error)
            return _Robots(parser=None, disallow_all=True, unreachable=str(error) or error.kind)
        except httpx.HTTPError as error:
            # RFC 9309 §2.3.1.4: an unreachable robots.txt means "assume complete disallow".
            log.warning("robots.txt of %s unreachable (%s): disallowing for now", key, error)
            return _Robots(parser=None, disallow_all=True, unreachable=str(error) or type(error).__name__)
        if 200 <= response.status < 300:
            robots = _Robots(parser=Protego.parse(response.body.decode("utf-8", errors="replace")))
        elif 400 <= response.status < 500:
            robots = _Robots(parser=None)  # §2.3.1.3: unavailable means no restrictions
        else:
            robots = _Robots(parser=None, disallow_all=True, unreachable=f"HTTP {response.status}")
        with self._robots_lock:
            self._robots[key] = robots
        return robots


def _decoder(encoding: str) -> Callable[[bytes, int], list[bytes]]:
    """A decompressor that never produces more than the remaining budget from one input chunk."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return lambda data, budget: [data]
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise FetchError("bad_encoding", f"unsupported Content-Encoding {encoding!r}", "")
    # wbits 47 reads both gzip and zlib headers; raw deflate is tried when that fails.
    inflater, raw_tried = zlib.decompressobj(47), False

    def decode(data: bytes, budget: int) -> list[bytes]:
        nonlocal inflater, raw_tried
        out: list[bytes] = []
        pending = data
        while pending:
            try:
                piece = inflater.decompress(pending, max(budget, 1))
            except zlib.error as error:
                if encoding == "deflate" and not raw_tried:
                    inflater, raw_tried = zlib.decompressobj(-15), True
                    continue
                raise FetchError("bad_encoding", f"corrupt {encoding} body: {error}", "") from error
            out.append(piece)
            budget -= len(piece)
            if budget <= 0:
                break
            pending = inflater.unconsumed_tail
            if not piece and not pending:
                break
        return out

    return decode


def _retry_after_seconds(value: str) -> float:
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return 0.0


__all__ = ["BadURL", "FetchError", "FetchPolicy", "Fetcher", "Response", "Throttle", "user_agent"]
