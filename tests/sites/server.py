"""Fixture web sites served on 127.0.0.1 from the test process.

A `FixtureSite` maps paths to handlers; every request is recorded (path, headers, time), so
tests can assert what the collector sent: robots obeyed, conditional headers, Referer, pacing.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    # Seconds to wait between chunks of the body (a slow server), and the chunk size.
    drip: float = 0.0
    chunk: int = 65536


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    at: float


Handler = Callable[["Request"], Reply]


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    count: int  # how many times this path was requested before, this one included


class FixtureSite:
    def __init__(self) -> None:
        self.routes: dict[str, Handler | Reply] = {}
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        site = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:
                site._serve(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, reply: Handler | Reply) -> None:
        self.routes[path] = reply

    def page(self, path: str, body: bytes | str, content_type: str = "text/html; charset=utf-8", **headers: str) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Reply(body=data, headers={"Content-Type": content_type, **headers})

    def requests_for(self, path: str) -> list[Hit]:
        return [hit for hit in self.hits if hit.path == path]

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        headers = {key.lower(): value for key, value in handler.headers.items()}
        with self._lock:
            self.hits.append(Hit(handler.path, headers, time.monotonic()))
            count = sum(1 for hit in self.hits if hit.path == handler.path)
        route = self.routes.get(handler.path)
        if route is None:
            reply = Reply(status=404, body=b"not here", headers={"Content-Type": "text/plain"})
        elif isinstance(route, Reply):
            reply = route
        else:
            reply = route(Request(handler.path, headers, count))
        handler.send_response(reply.status)
        for key, value in reply.headers.items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(reply.body)))
        handler.end_headers()
        try:
            for start in range(0, len(reply.body), reply.chunk):
                handler.wfile.write(reply.body[start:start + reply.chunk])
                handler.wfile.flush()
                if reply.drip:
                    time.sleep(reply.drip)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as the collector should on oversized or slow bodies

    def __enter__(self) -> FixtureSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def gzip_bomb(size: int) -> bytes:
    """`size` zero bytes, gzipped: a few hundred kilobytes that expand to far more than any cap."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: gzip container
    block = b"\0" * (1 << 20)
    parts = [packer.compress(block) for _ in range(size >> 20)]
    return b"".join(parts) + packer.flush()
