"""An HTTP/1.1 client that reads responses exactly as they arrive on the socket.

urllib and http.client read `Content-Length` bytes and stop: a body longer than its declared
length is silently cut, which is exactly the fault these tests look for. This client asks for
`Connection: close`, reads until the server closes, and keeps what came: the declared length,
the bytes actually received, and the body (chunked transfer decoded).
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass
class Response:
    status: int
    reason: str
    headers: dict[str, str]  # lower-case names; repeated headers joined with ", "
    body: bytes
    received: int  # body bytes on the wire (before chunked decoding)

    def header(self, name: str, default: str = "") -> str:
        return self.headers.get(name.lower(), default)

    @property
    def declared(self) -> int | None:
        value = self.header("content-length")
        return int(value) if value else None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")  # strict: invalid UTF-8 fails the test that reads it


def _dechunk(raw: bytes) -> bytes:
    body, rest = b"", raw
    while True:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            return body
        body, rest = body + rest[:size], rest[size + 2:]


def request(url: str, method: str = "GET", headers: dict[str, str] | None = None, body: bytes = b"",
            timeout: float = 30) -> Response:
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    lines = [f"{method} {target or '/'} HTTP/1.1", f"Host: {parts.netloc}", "Connection: close",
             "Accept-Encoding: identity", "User-Agent: huiwen-tests"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if body or method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body)}")
    with socket.create_connection((parts.hostname, parts.port or 80), timeout=timeout) as connection:
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        chunks = []
        while data := connection.recv(65536):
            chunks.append(data)
    raw = b"".join(chunks)
    head, _, payload = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    _, status, *reason = status_line.split(" ", 2)
    found: dict[str, str] = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        key = name.strip().lower()
        found[key] = f"{found[key]}, {value.strip()}" if key in found else value.strip()
    decoded = _dechunk(payload) if "chunked" in found.get("transfer-encoding", "") else payload
    return Response(int(status), reason[0] if reason else "", found, decoded, len(payload))


def get(url: str, **options: object) -> Response:
    return request(url, **options)  # type: ignore[arg-type]
