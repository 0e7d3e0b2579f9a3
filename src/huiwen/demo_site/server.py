"""The sample site's HTTP server: a thread in the `huiwen demo` process, on loopback.

It answers as a well-behaved news site does: ETag and Last-Modified on every document, 304 Not
Modified to a conditional request that matches, 404 for what it does not have. It keeps a log
of what it answered, which the demo prints (how many answers were 304) and tests read.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.utils import timezone

from huiwen.demo_site import pages


@dataclass(frozen=True)
class Answer:
    path: str
    status: int
    conditional: bool  # the request carried If-None-Match or If-Modified-Since


class SampleSite:
    """Serve the sample site on host:port (port 0: any free port) until stop()."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, anchor: datetime | None = None) -> None:
        # The hour the site started: publication times count back from it, and it is every
        # document's Last-Modified.
        self.anchor = (anchor or timezone.localtime()).replace(minute=0, second=0, microsecond=0)
        self.answers: list[Answer] = []
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer((host, port), self._handler())
        self.server.daemon_threads = True
        host_bound, self.port = self.server.server_address[0], self.server.server_address[1]
        self.host = host_bound if isinstance(host_bound, str) else host_bound.decode()  # str for AF_INET
        self.documents = pages.site(self.base, self.anchor)
        self._thread = threading.Thread(target=self.server.serve_forever, name="huiwen-demo-site", daemon=True)

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def start(self) -> SampleSite:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> SampleSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def not_modified_count(self) -> int:
        with self._lock:
            return sum(1 for answer in self.answers if answer.status == 304)

    # -- answering -------------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "YunxiNews/1.0"

            def log_message(self, *args: object) -> None:  # the demo's console shows the collector's own output
                pass

            def do_GET(self) -> None:
                site._answer(self, with_body=True)

            def do_HEAD(self) -> None:
                site._answer(self, with_body=False)

        return Handler

    def _answer(self, request: BaseHTTPRequestHandler, *, with_body: bool) -> None:
        path = request.path.split("?", 1)[0]
        document = self.documents.get(path)
        etag_sent = request.headers.get("If-None-Match")
        since_sent = request.headers.get("If-Modified-Since")
        if document is None:
            status, body, headers = 404, "没有这个页面".encode(), {"Content-Type": "text/plain; charset=utf-8"}
        else:
            etag = f'"{hashlib.sha1(document.body).hexdigest()[:20]}"'
            headers = {"Content-Type": document.content_type, "ETag": etag,
                       "Last-Modified": format_datetime(self.anchor.astimezone(UTC), usegmt=True),
                       "Cache-Control": "max-age=60"}
            if _matches(etag_sent, etag) or (etag_sent is None and _not_modified_since(since_sent, self.anchor)):
                status, body = 304, b""
            else:
                status, body = 200, document.body
        with self._lock:
            self.answers.append(Answer(path, status, bool(etag_sent or since_sent)))
        request.send_response(status)
        for name, value in headers.items():
            request.send_header(name, value)
        if status != 304:
            request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        if with_body and body:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                request.wfile.write(body)


def _matches(sent: str | None, etag: str) -> bool:
    if not sent:
        return False
    return sent.strip() == "*" or etag in {tag.strip().removeprefix("W/") for tag in sent.split(",")}


def _not_modified_since(sent: str | None, modified: datetime) -> bool:
    if not sent:
        return False
    try:
        return modified.replace(microsecond=0) <= parsedate_to_datetime(sent)
    except (TypeError, ValueError):
        return False
